"""How good a model is: on a labelled file, or by cross-validation that holds out whole
writing styles and issues.

`helpdesk classifier eval [--model DIR] [--data FILE]` prints accuracy, per-category
precision/recall/F1, macro-F1 over the categories present in the data, the expected
calibration error (with a bootstrap 95% interval), the confusion matrix, and coverage with
precision at confidence ≥ 0.55 / 0.80 / 0.90 (what the router would suggest or send on its own).

Without `--data`, the shipped data set is cross-validated by leaving one writing style out and,
inside it, one third of the issues: every fold is scored on tickets whose style *and* issue the
model never saw in training (tellings of an issue in other styles would otherwise give the
answer away).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from helpdesk.adapters.classifier.embedded.model import LinearModel
from helpdesk.domain.taxonomy import CATEGORIES, Category
from helpdesk.domain.text_preparation import classification_text

THRESHOLDS = (0.55, 0.80, 0.90)
ECE_BINS = 15
ISSUE_GROUPS = 3


@dataclass
class Report:
    n: int
    accuracy: float
    macro_f1: float
    present: tuple[Category, ...]  # categories in the data: the macro average runs over these
    columns: tuple[Category, ...]  # categories in the confusion matrix's columns
    precision: dict[str, float]
    recall: dict[str, float]
    f1: dict[str, float]
    confusion: list[list[int]]  # rows: `present`, columns: `columns`
    ece: float
    ece_interval: tuple[float, float]
    at: dict[float, tuple[float, float]]  # threshold -> (coverage, precision)

    def summary(self) -> dict[str, float]:
        return {
            "tickets": self.n,
            "accuracy": round(self.accuracy, 4),
            "macro_f1": round(self.macro_f1, 4),
            "ece": round(self.ece, 4),
            **{f"coverage_at_{t:.2f}": round(self.at[t][0], 4) for t in THRESHOLDS},
            **{f"precision_at_{t:.2f}": round(self.at[t][1], 4) for t in THRESHOLDS},
        }


def expected_calibration_error(confidence: np.ndarray, correct: np.ndarray) -> float:
    edges = np.linspace(0.0, 1.0, ECE_BINS + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1]), 0, ECE_BINS - 1)
    ece = 0.0
    for b in range(ECE_BINS):
        mask = which == b
        if mask.any():
            ece += mask.mean() * abs(correct[mask].mean() - confidence[mask].mean())
    return float(ece)


def _bootstrap(
    confidence: np.ndarray, correct: np.ndarray, rounds: int = 300
) -> tuple[float, float]:
    rng = np.random.default_rng(7)
    n = len(confidence)
    values = [
        expected_calibration_error(confidence[idx], correct[idx])
        for idx in (rng.integers(0, n, n) for _ in range(rounds))
    ]
    return float(np.percentile(values, 2.5)), float(np.percentile(values, 97.5))


def report_of(
    probabilities: np.ndarray, labels: Sequence[Category], truth: Sequence[Category]
) -> Report:
    """Metrics of predictions (`probabilities` columns follow `labels`) against the truth."""
    predicted = [labels[i] for i in probabilities.argmax(axis=1)]
    confidence = probabilities.max(axis=1)
    correct = np.array([p == t for p, t in zip(predicted, truth, strict=True)], dtype=float)
    present = tuple(c for c in CATEGORIES if c in set(truth))
    columns = tuple(c for c in CATEGORIES if c in set(truth) | set(predicted))
    confusion = np.zeros((len(present), len(columns)), dtype=int)
    for t, p in zip(truth, predicted, strict=True):
        confusion[present.index(t), columns.index(p)] += 1
    precision, recall, f1 = {}, {}, {}
    for category in present:
        tp = sum(1 for t, p in zip(truth, predicted, strict=True) if t == p == category)
        said = sum(1 for p in predicted if p == category)
        real = sum(1 for t in truth if t == category)
        pr = tp / said if said else 0.0
        rc = tp / real if real else 0.0
        precision[str(category)], recall[str(category)] = pr, rc
        f1[str(category)] = 2 * pr * rc / (pr + rc) if pr + rc else 0.0
    at = {}
    for threshold in THRESHOLDS:
        sure = confidence >= threshold
        at[threshold] = (float(sure.mean()), float(correct[sure].mean()) if sure.any() else 0.0)
    return Report(
        n=len(truth),
        accuracy=float(correct.mean()),
        macro_f1=float(np.mean(list(f1.values()))),
        present=present,
        columns=columns,
        precision=precision,
        recall=recall,
        f1=f1,
        confusion=confusion.tolist(),
        ece=expected_calibration_error(confidence, correct),
        ece_interval=_bootstrap(confidence, correct),
        at=at,
    )


def read_labelled(path: Path) -> list[dict[str, str]]:
    """Rows {title, description, category} of a JSONL file; a bad line is one clear error."""
    rows = []
    with path.open(encoding="utf-8") as file:
        for number, line in enumerate(file, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                Category(row["category"])
                rows.append({k: str(row[k]) for k in ("title", "description", "category")})
            except (ValueError, KeyError, TypeError) as e:
                raise ValueError(
                    f"line {number}: expected {{title, description, category}} ({e})"
                ) from None
    if not rows:
        raise ValueError("no labelled tickets in the file")
    return rows


def predict(model: LinearModel, rows: Sequence[dict[str, str]]) -> np.ndarray:
    return np.array(
        [model.probabilities(classification_text(r["title"], r["description"])) for r in rows]
    )


def evaluate_rows(model: LinearModel, rows: Sequence[dict[str, str]]) -> Report:
    return report_of(predict(model, rows), model.labels, [Category(r["category"]) for r in rows])


def evaluate_file(path: Path, model: LinearModel) -> Report:
    return evaluate_rows(model, read_labelled(path))


def style_issue_folds(rows: Sequence[dict[str, str]]) -> tuple[np.ndarray, np.ndarray]:
    """(style index, issue group) per row of the shipped data set."""
    from helpdesk.adapters.classifier.embedded.training import fold_of_groups, group_keys

    styles = sorted({r["style"] for r in rows})
    groups = fold_of_groups(group_keys(rows), [Category(r["category"]) for r in rows], ISSUE_GROUPS)
    return np.array([styles.index(r["style"]) for r in rows]), groups


def held_out_styles(
    rows: Sequence[dict[str, str]] | None = None,
    settings: Any = None,
    progress: Any = None,
) -> tuple[Report, dict[str, Report]]:
    """Cross-validation of the shipped data set: each fold is one writing style and one
    third of the issues; its model trains on the other styles' tellings of the other issues.
    Each fold's confidences are calibrated with coefficients fitted on the other folds."""
    from helpdesk.adapters.classifier.embedded import training
    from helpdesk.adapters.classifier.embedded.dataset import load_dataset

    rows = list(rows if rows is not None else load_dataset())
    styles, groups = style_issue_folds(rows)
    trained = training.fit_model(
        rows, settings, progress, folds=styles * 10 + groups, exclude=(styles, groups)
    )
    labels = trained.oof.labels
    truth = [labels[i] for i in trained.oof.truth]
    overall = report_of(trained.probabilities, labels, truth)
    names = sorted({r["style"] for r in rows})
    per_style = {
        name: report_of(
            trained.probabilities[styles == s],
            labels,
            [t for t, k in zip(truth, styles, strict=True) if k == s],
        )
        for s, name in enumerate(names)
    }
    return overall, per_style


def format_report(report: Report, title: str) -> str:
    short = [str(c)[:6] for c in report.columns]
    lines = [
        title,
        f"tickets {report.n}   accuracy {report.accuracy:.3f}   macro-F1 {report.macro_f1:.3f} "
        f"(over the {len(report.present)} categories present)",
        f"ECE {report.ece:.3f} (95% CI {report.ece_interval[0]:.3f}–{report.ece_interval[1]:.3f}, "
        f"{ECE_BINS} bins)",
    ]
    for threshold in THRESHOLDS:
        coverage, precision = report.at[threshold]
        lines.append(
            f"confidence ≥ {threshold:.2f}: coverage {coverage:6.1%}   precision {precision:.3f}"
        )
    lines += ["", f"{'category':<16}{'precision':>10}{'recall':>8}{'F1':>8}"]
    for c in report.present:
        k = str(c)
        lines.append(
            f"{k:<16}{report.precision[k]:>10.3f}{report.recall[k]:>8.3f}{report.f1[k]:>8.3f}"
        )
    lines += [
        "",
        "confusion (rows: truth, columns: predicted)",
        " " * 8 + " ".join(f"{s:>6}" for s in short),
    ]
    for c, row in zip(report.present, report.confusion, strict=True):
        lines.append(f"{str(c)[:6]:<8}" + " ".join(f"{n:>6}" for n in row))
    return "\n".join(lines)
