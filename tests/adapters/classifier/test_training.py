"""The trainer: scikit-learn fits, NumPy serves the same answers, model folders round-trip."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from helpdesk.adapters.classifier.embedded import model_folder, training
from helpdesk.adapters.classifier.embedded.dataset import load_dataset
from helpdesk.adapters.classifier.embedded.model_folder import ModelFolderError
from helpdesk.adapters.classifier.embedded.trainer import train_to_folder
from helpdesk.domain.taxonomy import Category
from helpdesk.domain.text_preparation import classification_text


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    chosen = {"network", "printing", "hr", "finance"}
    return [
        {k: r[k] for k in ("title", "description", "category")}
        for r in load_dataset()
        if r["category"] in chosen and r["style"] in {"msa", "email", "gulf"}
    ]


def test_the_numpy_model_gives_the_estimators_logits(rows: list[dict[str, str]]) -> None:
    prepared = training.prepare(rows)
    model, x, regression = training.fit_sklearn(prepared, training.Settings())
    expected = regression.decision_function(x)
    for i in range(0, len(rows), 7):
        logits, _ = model.evidence_of(prepared.counts[i])
        assert np.allclose(logits, expected[i], atol=1e-4)
    # And from the raw ticket, through text preparation and features, the same again.
    row = rows[3]
    logits, _ = model.evidence(classification_text(row["title"], row["description"]))
    assert np.allclose(logits, expected[3], atol=1e-4)


def test_a_model_answers_only_with_the_categories_it_was_trained_on(
    rows: list[dict[str, str]], tmp_path: Path
) -> None:
    trained, report = train_to_folder(rows, tmp_path / "m", source="test", name="m")
    loaded, metadata = model_folder.load(tmp_path / "m")
    assert loaded.labels == (Category.NETWORK, Category.PRINTING, Category.HR, Category.FINANCE)
    text = "الطابعة لا تطبع\nالطابعة في مكتبي لا تطبع أي ورقة"
    assert np.allclose(loaded.probabilities(text), trained.model.probabilities(text))
    assert metadata["counts"] == {
        c: sum(r["category"] == c for r in rows) for c in ("finance", "hr", "network", "printing")
    }
    assert metadata["cross_validation"]["accuracy"] == round(report.accuracy, 4)
    assert report.accuracy > 0.85
    assert metadata["features"]["text"].startswith("domain.text_preparation")


def test_cross_validation_never_scores_a_ticket_with_a_model_that_saw_its_group(
    rows: list[dict[str, str]],
) -> None:
    prepared = training.prepare(rows)
    folds = training.fold_of_groups(prepared.groups, prepared.labels, 3)
    by_group: dict[str, set[int]] = {}
    for group, f in zip(prepared.groups, folds, strict=True):
        by_group.setdefault(group, set()).add(int(f))
    assert all(len(f) == 1 for f in by_group.values())


def test_a_corrupt_or_foreign_folder_is_refused_with_one_line(tmp_path: Path) -> None:
    with pytest.raises(ModelFolderError, match="no such directory"):
        model_folder.load(tmp_path / "absent")
    folder = tmp_path / "m"
    folder.mkdir()
    with pytest.raises(ModelFolderError, match=r"no metadata\.json"):
        model_folder.load(folder)
    (folder / "metadata.json").write_text(json.dumps({"format_version": 1}))
    with pytest.raises(ModelFolderError, match="format_version"):
        model_folder.load(folder)
    (folder / "metadata.json").write_text(json.dumps({"format_version": 3}))
    with pytest.raises(ModelFolderError, match=r"no model\.npz"):
        model_folder.load(folder)
    (folder / "model.npz").write_bytes(b"\x00" * 64)
    with pytest.raises(ModelFolderError, match="corrupt") as raised:
        model_folder.load(folder)
    assert "\n" not in str(raised.value)
