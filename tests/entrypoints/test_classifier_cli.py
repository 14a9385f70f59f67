"""`helpdesk classifier train|eval|serve` with model folders, and HELPDESK_CLASSIFIER_MODEL."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from helpdesk.adapters.classifier.embedded.dataset import load_dataset

from ..processes import clean_environ


def helpdesk(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = clean_environ()
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "helpdesk.entrypoints.cli", *args],
        check=False,
        cwd=tmp_path,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    path.write_text(
        "".join(
            json.dumps({k: r[k] for k in ("title", "description", "category")}, ensure_ascii=False)
            + "\n"
            for r in rows
        ),
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A model trained on an organisation's three categories, and a held-out file of them."""
    tmp = tmp_path_factory.mktemp("trained")
    rows = [r for r in load_dataset() if r["category"] in {"printing", "finance", "facilities"}]
    history = [r for r in rows if r["style"] in {"msa", "email", "terse", "gulf"}]
    held = [r for r in rows if r["style"] in {"egyptian", "levantine"}][:60]
    write_rows(tmp / "history.jsonl", history)
    write_rows(tmp / "held.jsonl", held)
    result = helpdesk(
        tmp,
        "classifier",
        "train",
        "--data",
        "history.jsonl",
        "--out",
        "org-model",
        "--own-data-only",
    )
    assert result.returncode == 0, result.stderr
    assert "saved to org-model" in result.stdout
    return tmp, tmp / "org-model"


def test_train_writes_a_model_folder_with_its_metadata(trained: tuple[Path, Path]) -> None:
    _, folder = trained
    metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    assert set(metadata["counts"]) == {"printing", "finance", "facilities"}
    assert metadata["labels"] == ["printing", "finance", "facilities"]
    assert metadata["mixed_with_shipped_data"] is False
    assert metadata["cross_validation"]["accuracy"] > 0.8
    assert metadata["calibration"]["method"] == "unfamiliarity"
    assert metadata["trained_at"] and metadata["version"]
    assert (folder / "model.npz").is_file()


def test_the_trained_model_classifies_and_evaluates(trained: tuple[Path, Path]) -> None:
    tmp, folder = trained
    result = helpdesk(
        tmp, "classify", "الطابعة لا تطبع وتظهر انحشار الورق", HELPDESK_CLASSIFIER_MODEL=str(folder)
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["category"] == "printing"
    assert {s["category"] for s in answer["scores"]} == {"printing", "finance", "facilities"}
    evaluated = helpdesk(tmp, "classifier", "eval", "--model", str(folder), "--data", "held.jsonl")
    assert evaluated.returncode == 0, evaluated.stderr
    assert "(over the 3 categories present)" in evaluated.stdout
    assert "confidence ≥ 0.90" in evaluated.stdout
    summary = helpdesk(tmp, "classifier", "eval", "--model", str(folder))
    assert json.loads(summary.stdout)["name"] == "org-model"


def test_training_refuses_to_overwrite_a_model_without_force(trained: tuple[Path, Path]) -> None:
    tmp, _ = trained
    again = helpdesk(tmp, "classifier", "train", "--data", "history.jsonl", "--out", "org-model")
    assert again.returncode == 2
    assert again.stderr.strip().startswith("helpdesk: --out:")


def test_a_missing_or_corrupt_model_folder_is_one_line_at_start_up(tmp_path: Path) -> None:
    missing = helpdesk(tmp_path, "classify", "الطابعة", HELPDESK_CLASSIFIER_MODEL="nowhere")
    assert missing.returncode == 2
    assert missing.stderr.strip() == (
        "helpdesk: HELPDESK_CLASSIFIER_MODEL: nowhere is not a model folder (no such directory)"
    )
    corrupt = tmp_path / "corrupt"
    corrupt.mkdir()
    (corrupt / "metadata.json").write_text('{"format_version": 3, "name": "x"}')
    (corrupt / "model.npz").write_bytes(b"not a zip file")
    for args in (
        ("classify", "الطابعة"),
        ("--database-url", "memory://", "serve", "--port", "1"),
    ):
        result = helpdesk(tmp_path, *args, HELPDESK_CLASSIFIER_MODEL=str(corrupt))
        assert result.returncode == 2, args
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("helpdesk: HELPDESK_CLASSIFIER_MODEL:")
        assert "corrupt" in lines[0]
    flag = helpdesk(tmp_path, "classifier", "serve", "--model", str(tmp_path / "absent"))
    assert flag.returncode == 2
    assert flag.stderr.strip().startswith("helpdesk: --model:")
    (corrupt / "metadata.json").write_text("{not json")
    bad_json = helpdesk(tmp_path, "classifier", "eval", "--model", str(corrupt), "--data", "x")
    assert bad_json.returncode == 2
    (tmp_path / "x").write_text("")
    bad_json = helpdesk(tmp_path, "classifier", "eval", "--model", str(corrupt), "--data", "x")
    assert bad_json.returncode == 2 and "not valid JSON" in bad_json.stderr
