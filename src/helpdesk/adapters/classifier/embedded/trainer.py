"""Training into a model folder, from rows of any source (a JSONL export today; confirmed
tickets from the database later), and the build of the shipped model.

`train_to_folder` fits (see `training.py`), measures the cross-validated metrics, and writes
the folder with its metadata. With `mix_shipped`, the shipped data set's tickets of the
categories present in the organisation's rows are added: they bring the wording of many
styles and the vocabulary of problems the organisation has not had yet, while the model still
answers only with the organisation's categories.

`python -m helpdesk.adapters.classifier.embedded.trainer` rewrites the shipped data set and the
shipped model folder (calibrated on folds that hold out a writing style and a third of the
issues at once).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np

from helpdesk.adapters.classifier.embedded import model_folder
from helpdesk.adapters.classifier.embedded.dataset import build_dataset, load_dataset, write_dataset
from helpdesk.adapters.classifier.embedded.evaluation import (
    Report,
    report_of,
    style_issue_folds,
)
from helpdesk.adapters.classifier.embedded.training import (
    Progress,
    Row,
    Settings,
    Trained,
    fit_model,
)

SHIPPED_NAME = "shipped"


def _version() -> str:
    try:
        return version("helpdesk")
    except PackageNotFoundError:  # running from a source tree
        return "unknown"


def with_shipped(rows: Sequence[Row]) -> list[Row]:
    """The rows, and the shipped data set's tickets of the categories they use."""
    present = {r["category"] for r in rows}
    return [*rows, *(r for r in load_dataset() if r["category"] in present)]


def train_to_folder(
    rows: Sequence[Row],
    out: Path,
    *,
    source: str,
    name: str,
    mix_shipped: bool = False,
    settings: Settings | None = None,
    progress: Progress | None = None,
    folds: np.ndarray | None = None,
    exclude: Sequence[np.ndarray] = (),
    scheme: str = "grouped by title (tickets with the same title stay in one fold)",
) -> tuple[Trained, Report]:
    settings = settings or Settings()
    own = len(rows)
    training_rows = with_shipped(rows) if mix_shipped else list(rows)
    trained = fit_model(training_rows, settings, progress, folds, exclude)
    truth = [trained.oof.labels[i] for i in trained.oof.truth]
    report = report_of(trained.probabilities, trained.oof.labels, truth)
    metadata: dict[str, Any] = {
        "name": name,
        "version": _version(),
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "training_seconds": round(trained.seconds, 1),
        "source": source,
        "tickets": len(training_rows),
        "own_tickets": own,
        "mixed_with_shipped_data": mix_shipped,
        "counts": dict(sorted(Counter(r["category"] for r in training_rows).items())),
        "cross_validation": {
            "scheme": scheme,
            "folds": len(set(trained.oof.folds.tolist())),
            **report.summary(),
            "per_category": {
                c: {
                    "precision": round(report.precision[c], 4),
                    "recall": round(report.recall[c], 4),
                    "f1": round(report.f1[c], 4),
                }
                for c in report.precision
            },
        },
        "features": settings.describe(),
    }
    model_folder.save(trained.model, out, metadata)
    return trained, report


def build_shipped(progress: Progress | None = None) -> Report:
    rows = build_dataset()
    write_dataset(rows)
    styles, groups = style_issue_folds(rows)
    cells = styles * 10 + groups
    _, report = train_to_folder(
        rows,
        model_folder.SHIPPED_MODEL,
        source="the shipped data set (data/tickets.jsonl)",
        name=SHIPPED_NAME,
        progress=progress,
        folds=cells,
        exclude=(styles, groups),
        scheme="leave one writing style and a third of the issues out at once",
    )
    return report


if __name__ == "__main__":
    from helpdesk.adapters.classifier.embedded.evaluation import format_report

    def show(stage: str, done: int, total: int) -> None:
        print(f"\r{stage}: {done}/{total}", end="\n" if done == total else "", flush=True)

    print(format_report(build_shipped(show), "shipped model, cross-validated"))
