"""A model folder: the model's arrays (`model.npz`) and what it is (`metadata.json`).

metadata.json records the format version, when the model was trained, on how many tickets of
each category, its cross-validated metrics, the calibration method and coefficients, and the
feature settings. The shipped model is such a folder inside the package (`data/model/`); a
trained one is selected with `HELPDESK_CLASSIFIER_MODEL` or `--model`.

Loading checks everything it reads: a missing or corrupt folder raises `ModelFolderError` with
one line that says what is wrong.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from helpdesk.adapters.classifier.embedded.features import BLOCKS
from helpdesk.adapters.classifier.embedded.model import SIGNALS, Block, Calibration, LinearModel
from helpdesk.domain.taxonomy import Category

FORMAT_VERSION = 3
ARRAYS = "model.npz"
METADATA = "metadata.json"
SHIPPED_MODEL = Path(__file__).parent / "data" / "model"


class ModelFolderError(Exception):
    """A model folder that cannot be used; the message is one line."""


def save(model: LinearModel, folder: Path, metadata: dict[str, Any]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, np.ndarray] = {
        "labels": np.array([str(c) for c in model.labels]),
        "weights": model.weights.astype(np.float32),
        "bias": model.bias.astype(np.float32),
    }
    for name, block in model.blocks.items():
        names = sorted(block.vocabulary, key=block.vocabulary.__getitem__)
        arrays[f"{name}_vocabulary"] = np.array(names)
        arrays[f"{name}_idf"] = block.idf.astype(np.float32)
        arrays[f"{name}_position"] = np.array(
            [block.offset, block.scale, block.unknown_idf, block.norm_floor]
        )
    np.savez_compressed(folder / ARRAYS, **arrays)  # type: ignore[arg-type]
    calibration = model.calibration
    described = {
        "format_version": FORMAT_VERSION,
        **metadata,
        "labels": [str(c) for c in model.labels],
        "calibration": {
            "method": calibration.method,
            "intercept": calibration.intercept,
            "coefficients": dict(zip(SIGNALS, calibration.coefficients, strict=True)),
            "formula": "T = exp(intercept + sum(coefficient * signal))",
        },
    }
    (folder / METADATA).write_text(
        json.dumps(described, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def read_metadata(folder: Path) -> dict[str, Any]:
    path = folder / METADATA
    if not folder.is_dir():
        raise ModelFolderError(f"{folder} is not a model folder (no such directory)")
    if not path.is_file():
        raise ModelFolderError(f"{folder} is not a model folder (no {METADATA})")
    try:
        metadata = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        raise ModelFolderError(f"{path} is not valid JSON ({e})") from None
    if not isinstance(metadata, dict) or metadata.get("format_version") != FORMAT_VERSION:
        raise ModelFolderError(
            f"{path}: format_version must be {FORMAT_VERSION} (a model trained by another version?)"
        )
    return metadata


def load(folder: Path = SHIPPED_MODEL) -> tuple[LinearModel, dict[str, Any]]:
    metadata = read_metadata(folder)
    path = folder / ARRAYS
    if not path.is_file():
        raise ModelFolderError(f"{folder} is not a model folder (no {ARRAYS})")
    try:
        with np.load(path, allow_pickle=False) as data:
            labels = tuple(Category(c) for c in data["labels"].tolist())
            weights = data["weights"]
            bias = data["bias"]
            blocks = {}
            for name in BLOCKS:
                if f"{name}_vocabulary" not in data:
                    continue
                names = data[f"{name}_vocabulary"].tolist()
                offset, scale, unknown_idf, floor = data[f"{name}_position"].tolist()
                blocks[name] = Block(
                    {f: int(offset) + i for i, f in enumerate(names)},
                    data[f"{name}_idf"].astype(np.float64),
                    int(offset),
                    float(scale),
                    float(unknown_idf),
                    float(floor),
                )
        described = metadata["calibration"]
        calibration = Calibration(
            str(described["method"]),
            float(described["intercept"]),
            tuple(float(described["coefficients"][s]) for s in SIGNALS),
        )
    except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as e:
        raise ModelFolderError(f"{path} is corrupt ({type(e).__name__}: {e})") from None
    rows = sum(len(b.vocabulary) for b in blocks.values())
    if not blocks or weights.shape != (rows, len(labels)) or bias.shape != (len(labels),):
        raise ModelFolderError(f"{path} is corrupt (array shapes do not match)")
    return LinearModel(labels, blocks, weights, bias, calibration), metadata
