"""How good the embedded model is: k-fold cross-validation or a labeled file.

`python -m helpdesk.adapters.classifier.embedded.evaluation` (or `helpdesk classifier eval`)
prints accuracy, macro-F1, per-category precision/recall, the confusion matrix, the expected
calibration error with a bootstrap 95% interval, and precision among the tickets the router
would send automatically (confidence ≥ 0.80). `--train` refits the shipped model.

Folds are grouped by issue (every telling of one issue stays in one fold), so the numbers
measure tickets about problems the model has not seen, not rephrasings of ones it has.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from helpdesk.adapters.classifier.embedded.dataset import ISSUES, load_dataset
from helpdesk.adapters.classifier.embedded.model import (
    LinearModel,
    fit_temperature,
    softmax,
    train,
)
from helpdesk.domain.arabic import fold
from helpdesk.domain.taxonomy import CATEGORIES, Category

AUTO_THRESHOLD = 0.80
ECE_BINS = 15
FOLDS = 5


@dataclass
class Report:
    n: int
    accuracy: float
    macro_f1: float
    precision: dict[str, float]
    recall: dict[str, float]
    confusion: list[list[int]]
    ece: float
    ece_interval: tuple[float, float]
    auto_precision: float
    auto_coverage: float
    temperature: float


def text_of(row: dict[str, str]) -> str:
    return f"{row['title']}\n{row['description']}"


def _issue_groups(rows: Sequence[dict[str, str]]) -> list[int]:
    """Which issue each row tells, by its title (typos folded away)."""
    titles = {fold(t): i for i, (t, _) in enumerate(t for c in ISSUES.values() for t in c)}
    groups = []
    for row in rows:
        key = fold(row["title"])
        groups.append(titles.get(key, hash(key) % 10_000 + 10_000))
    return groups


def grouped_folds(rows: Sequence[dict[str, str]], k: int = FOLDS) -> list[int]:
    """A fold number per row; groups are dealt to folds round-robin within each category."""
    groups = _issue_groups(rows)
    fold_of_group: dict[int, int] = {}
    per_category: dict[str, int] = {}
    for row, group in zip(rows, groups, strict=True):
        if group not in fold_of_group:
            n = per_category.get(row["category"], 0)
            fold_of_group[group] = n % k
            per_category[row["category"]] = n + 1
    return [fold_of_group[g] for g in groups]


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
    confidence: np.ndarray, correct: np.ndarray, rounds: int = 500
) -> tuple[float, float]:
    rng = np.random.default_rng(7)
    n = len(confidence)
    values = [
        expected_calibration_error(confidence[idx], correct[idx])
        for idx in (rng.integers(0, n, n) for _ in range(rounds))
    ]
    return float(np.percentile(values, 2.5)), float(np.percentile(values, 97.5))


def report_of(probabilities: np.ndarray, truth: np.ndarray, temperature: float) -> Report:
    predicted = probabilities.argmax(axis=1)
    confidence = probabilities.max(axis=1)
    correct = (predicted == truth).astype(float)
    k = len(CATEGORIES)
    confusion = np.zeros((k, k), dtype=int)
    for t, p in zip(truth, predicted, strict=True):
        confusion[t, p] += 1
    precision, recall, f1s = {}, {}, []
    for i, category in enumerate(CATEGORIES):
        tp = confusion[i, i]
        p = tp / confusion[:, i].sum() if confusion[:, i].sum() else 0.0
        r = tp / confusion[i, :].sum() if confusion[i, :].sum() else 0.0
        precision[str(category)], recall[str(category)] = float(p), float(r)
        f1s.append(2 * p * r / (p + r) if p + r else 0.0)
    auto = confidence >= AUTO_THRESHOLD
    return Report(
        n=len(truth),
        accuracy=float(correct.mean()),
        macro_f1=float(np.mean(f1s)),
        precision=precision,
        recall=recall,
        confusion=confusion.tolist(),
        ece=expected_calibration_error(confidence, correct),
        ece_interval=_bootstrap(confidence, correct),
        auto_precision=float(correct[auto].mean()) if auto.any() else 0.0,
        auto_coverage=float(auto.mean()),
        temperature=temperature,
    )


def _labels(rows: Sequence[dict[str, str]]) -> np.ndarray:
    index = {str(c): i for i, c in enumerate(CATEGORIES)}
    return np.array([index[r["category"]] for r in rows])


def out_of_fold_logits(rows: Sequence[dict[str, str]], k: int = FOLDS) -> np.ndarray:
    folds = np.array(grouped_folds(rows, k))
    logits = np.zeros((len(rows), len(CATEGORIES)))
    for f in range(k):
        train_rows = [r for r, g in zip(rows, folds, strict=True) if g != f]
        model = train(
            [text_of(r) for r in train_rows], [Category(r["category"]) for r in train_rows]
        )
        for i in np.flatnonzero(folds == f):
            logits[i] = model.logits(text_of(rows[int(i)]))
    return logits


def run_cross_validation(rows: Sequence[dict[str, str]] | None = None, k: int = FOLDS) -> Report:
    """Out-of-fold predictions; the temperature is fitted on other folds' predictions too,
    so no row's confidence was calibrated with that row."""
    rows = list(rows if rows is not None else load_dataset())
    truth = _labels(rows)
    logits = out_of_fold_logits(rows, k)
    folds = np.array(grouped_folds(rows, k))
    probabilities = np.zeros_like(logits)
    temperatures = []
    for f in range(k):
        held = folds == f
        t = fit_temperature(logits[~held], truth[~held])
        temperatures.append(t)
        probabilities[held] = softmax(logits[held] / t)
    return report_of(probabilities, truth, float(np.mean(temperatures)))


def fit_shipped_model(rows: Sequence[dict[str, str]] | None = None) -> LinearModel:
    """Train on every row, with the temperature fitted on out-of-fold predictions."""
    rows = list(rows if rows is not None else load_dataset())
    model = train([text_of(r) for r in rows], [Category(r["category"]) for r in rows])
    model.temperature = fit_temperature(out_of_fold_logits(rows), _labels(rows))
    return model


def evaluate_file(path: Path, model: LinearModel | None = None) -> Report:
    model = model or LinearModel.load()
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
    probabilities = np.array([model.probabilities(text_of(r)) for r in rows])
    return report_of(probabilities, _labels(rows), model.temperature)


def format_report(report: Report, title: str) -> str:
    short = [str(c)[:6] for c in CATEGORIES]
    lines = [
        title,
        f"tickets {report.n}   accuracy {report.accuracy:.3f}   macro-F1 {report.macro_f1:.3f}",
        f"ECE {report.ece:.3f} (95% CI {report.ece_interval[0]:.3f}–{report.ece_interval[1]:.3f}, "
        f"{ECE_BINS} bins)   temperature {report.temperature:.2f}",
        f"confidence ≥ {AUTO_THRESHOLD:.2f}: precision {report.auto_precision:.3f} on "
        f"{report.auto_coverage:.1%} of tickets",
        "",
        f"{'category':<16}{'precision':>10}{'recall':>8}",
    ]
    for c in CATEGORIES:
        lines.append(f"{c!s:<16}{report.precision[str(c)]:>10.3f}{report.recall[str(c)]:>8.3f}")
    lines += [
        "",
        "confusion (rows: truth, columns: predicted)",
        " " * 8 + " ".join(f"{s:>6}" for s in short),
    ]
    for s, row in zip(short, report.confusion, strict=True):
        lines.append(f"{s:<8}" + " ".join(f"{n:>6}" for n in row))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="evaluate the embedded classifier")
    parser.add_argument("--data", type=Path, help="a JSONL file of title/description/category")
    parser.add_argument("--train", action="store_true", help="refit and save the shipped model")
    args = parser.parse_args(argv)
    if args.train:
        fit_shipped_model().save()
        print("saved the model")
    if args.data:
        print(format_report(evaluate_file(args.data), f"evaluation on {args.data}"))
    else:
        print(
            format_report(
                run_cross_validation(), f"{FOLDS}-fold cross-validation, grouped by issue"
            )
        )


if __name__ == "__main__":
    main()
