"""Fitting the embedded model with scikit-learn, from labelled rows of any source.

`fit_model(rows)` prepares each ticket's text (`domain.text_preparation.classification_text`,
the same call the use cases make), extracts the feature blocks, fits one `TfidfVectorizer` per
block and a multinomial `LogisticRegression` over their weighted concatenation, and exports
vocabulary, idf and weights into the NumPy `LinearModel`. Confidence is calibrated on
out-of-fold predictions: folds hold out whole groups — writing styles or issues when the rows
carry them, otherwise tickets with the same title — and the calibration coefficients
minimise the negative log-likelihood of those held-out predictions.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from helpdesk.adapters.classifier.embedded.features import BLOCKS, CHAR_NGRAMS, features
from helpdesk.adapters.classifier.embedded.model import (
    SIGNALS,
    Block,
    Calibration,
    LinearModel,
    softmax,
)
from helpdesk.domain.arabic import fold
from helpdesk.domain.taxonomy import CATEGORIES, Category
from helpdesk.domain.text_preparation import classification_text

FOLDS = 5
Row = dict[str, str]
Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True)
class Settings:
    """What the trainer may vary; recorded in the model folder's metadata."""

    c: float = 4.0
    min_df: dict[str, int] = field(default_factory=lambda: {"char": 2, "word": 2})
    scales: dict[str, float] = field(default_factory=lambda: {"char": 1.0, "word": 0.8})
    calibration: str = "unfamiliarity"  # or "temperature"
    folds: int = FOLDS
    tolerance: float = 1e-3
    # Share of training tickets whose evidence is below the norm floor (see `model.Block`).
    norm_floor_quantile: float = 0.5

    def describe(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "char_ngrams": list(CHAR_NGRAMS),
            "blocks": list(BLOCKS),
            "text": "domain.text_preparation.classification_text(title, description)",
        }


@dataclass(frozen=True)
class Prepared:
    """Rows turned into feature counts once, reused by every fold."""

    counts: list[dict[str, Counter[str]]]
    labels: list[Category]
    groups: list[str]


def prepare(rows: Sequence[Row], progress: Progress | None = None) -> Prepared:
    counts = []
    for i, row in enumerate(rows):
        counts.append(features(classification_text(row["title"], row["description"])))
        if progress and (i % 50 == 0 or i == len(rows) - 1):
            progress("features", i + 1, len(rows))
    return Prepared(counts, [Category(r["category"]) for r in rows], group_keys(rows))


def group_keys(rows: Sequence[Row]) -> list[str]:
    """What must stay together in one fold: the issue a composed row tells, or for an
    organisation's tickets, tickets with the same (folded) title."""
    return [r.get("issue") or "title:" + fold(r["title"]) for r in rows]


def fold_of_groups(groups: Sequence[str], labels: Sequence[Category], k: int) -> np.ndarray:
    """A fold per row; groups are dealt round-robin within each category, in order of first
    appearance (deterministic, and every fold sees every category)."""
    fold_of: dict[str, int] = {}
    per_category: Counter[Category] = Counter()
    for group, label in zip(groups, labels, strict=True):
        if group not in fold_of:
            fold_of[group] = per_category[label] % k
            per_category[label] += 1
    return np.array([fold_of[g] for g in groups])


def fit_linear(
    prepared: Prepared, settings: Settings, indices: Iterable[int] | None = None
) -> LinearModel:
    """Vectorizers and logistic regression on the chosen rows; calibration left neutral."""
    return fit_sklearn(prepared, settings, indices)[0]


def fit_sklearn(
    prepared: Prepared, settings: Settings, indices: Iterable[int] | None = None
) -> tuple[LinearModel, Any, Any]:
    """The exported model, with the design matrix and the fitted scikit-learn estimator it
    was exported from (so that tests can hold the NumPy model to the estimator's answers)."""
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    chosen = list(range(len(prepared.labels))) if indices is None else list(indices)
    labels = [prepared.labels[i] for i in chosen]
    present = tuple(c for c in CATEGORIES if c in set(labels))
    if len(present) < 2:
        raise ValueError("training needs tickets of at least two categories")
    matrices, blocks, offset = [], {}, 0
    for name in BLOCKS:
        vectorizer = TfidfVectorizer(
            analyzer=_elements,
            lowercase=False,
            sublinear_tf=True,
            norm=None,
            min_df=min(settings.min_df[name], max(1, len(chosen) // 50)),
        )
        documents = [prepared.counts[i][name] for i in chosen]
        try:
            x = vectorizer.fit_transform(documents)
        except ValueError:  # no feature of this block reached min_df
            continue
        scale = settings.scales[name]
        # The idf of a feature in a single training ticket (smooth idf, as scikit-learn's).
        unknown_idf = float(np.log((1 + len(chosen)) / 2) + 1)
        known = vectorizer.vocabulary_
        unknown_mass = np.array(
            [
                sum((1 + np.log(c)) ** 2 for f, c in counts.items() if f not in known)
                for counts in documents
            ]
        )
        norms = np.sqrt(
            np.asarray(x.multiply(x).sum(axis=1)).ravel() + unknown_mass * unknown_idf**2
        )
        floor = float(np.quantile(norms, settings.norm_floor_quantile)) if len(norms) else 0.0
        norms = np.maximum(norms, max(floor, 1e-9))
        matrices.append(sparse.diags(scale / norms) @ x)
        vocabulary = {f: int(j) + offset for f, j in known.items()}
        blocks[name] = Block(
            vocabulary, vectorizer.idf_.astype(np.float64), offset, scale, unknown_idf, floor
        )
        offset += x.shape[1]
    x_all = sparse.hstack(matrices).tocsr()
    y = np.array([present.index(label) for label in labels])
    # On these sparse TF-IDF blocks saga reached a tolerance of 1e-3 in about a fifth of the
    # time lbfgs took at 1e-4, which keeps an organisation's training well under a minute.
    regression = LogisticRegression(
        C=settings.c, solver="saga", max_iter=300, tol=settings.tolerance, random_state=0
    )
    regression.fit(x_all, y)
    coef, intercept = regression.coef_, regression.intercept_
    if len(present) == 2:  # binary: scikit-learn keeps one row; make it two symmetric logits
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    model = LinearModel(
        labels=present,
        blocks=blocks,
        weights=np.ascontiguousarray(coef.T, dtype=np.float32),
        bias=intercept.astype(np.float32),
        calibration=Calibration("none"),
    )
    return model, x_all, regression


def _elements(counts: Counter[str]) -> list[str]:
    return list(counts.elements())


@dataclass
class OutOfFold:
    logits: np.ndarray  # (rows, labels of the full model), -30 where a fold lacked a label
    signals: np.ndarray  # (rows, calibration signals)
    folds: np.ndarray
    truth: np.ndarray  # index into `labels`
    labels: tuple[Category, ...]


def out_of_fold(
    prepared: Prepared,
    settings: Settings,
    folds: np.ndarray,
    progress: Progress | None = None,
    exclude: Sequence[np.ndarray] = (),
) -> OutOfFold:
    """Each fold scored by a model trained without it; each of `exclude` (more labels per
    row: the writing style, the issue group) also keeps out of training every row that shares
    a held-out row's value of it."""
    labels = tuple(c for c in CATEGORIES if c in set(prepared.labels))
    n = len(prepared.labels)
    logits = np.full((n, len(labels)), -30.0)
    signals = np.ones((n, len(SIGNALS)))
    fold_names = sorted(set(folds.tolist()))
    for done, f in enumerate(fold_names):
        held = np.flatnonzero(folds == f)
        keep = folds != f
        for label in exclude:
            keep &= ~np.isin(label, np.unique(label[held]))
        train = np.flatnonzero(keep)
        model = fit_linear(prepared, settings, train)
        columns = [labels.index(c) for c in model.labels]
        for i in held:
            z, signals[i] = model.evidence_of(prepared.counts[int(i)])
            logits[i, columns] = z
        if progress:
            progress("cross-validation", done + 1, len(fold_names))
    truth = np.array([labels.index(c) for c in prepared.labels])
    return OutOfFold(logits, signals, folds, truth, labels)


def fit_calibration(
    logits: np.ndarray, signals: np.ndarray, truth: np.ndarray, method: str
) -> Calibration:
    """Coefficients that minimise the negative log-likelihood of held-out predictions."""
    from scipy.optimize import minimize

    free = 0 if method == "temperature" else signals.shape[1]
    design = np.column_stack([np.ones(len(truth)), signals[:, :free]])
    rows = np.arange(len(truth))

    def nll(theta: np.ndarray) -> float:
        t = np.exp(np.clip(design @ theta, -4.0, 4.0))
        z = logits / t[:, None]
        z = z - z.max(axis=1, keepdims=True)
        log_p = z[rows, truth] - np.log(np.exp(z).sum(axis=1))
        return float(-log_p.mean())

    # Unfamiliarity may only lower confidence (coefficients ≥ 0): our own held-out data
    # cannot show how unlike them real tickets are, and a confident wrong answer is the worst
    # outcome.
    bounds = [(-4.0, 4.0)] + [(0.0, 6.0)] * free
    best = minimize(nll, np.zeros(free + 1), method="L-BFGS-B", bounds=bounds)
    coefficients = [*best.x[1:].tolist(), *([0.0] * (signals.shape[1] - free))]
    return Calibration(method, float(best.x[0]), tuple(coefficients))


def calibrated_probabilities(
    oof: OutOfFold, method: str, exclude: Sequence[np.ndarray] = ()
) -> np.ndarray:
    """Held-out probabilities whose calibration was fitted on the other folds only (and,
    with `exclude`, only on folds sharing none of the held-out rows' style or issue group)."""
    probabilities = np.zeros_like(oof.logits)
    for f in sorted(set(oof.folds.tolist())):
        held = oof.folds == f
        others = ~held
        for label in exclude:
            others &= ~np.isin(label, np.unique(label[held]))
        calibration = fit_calibration(
            oof.logits[others], oof.signals[others], oof.truth[others], method
        )
        t = np.array([calibration.temperature(tuple(s)) for s in oof.signals[held]])
        probabilities[held] = softmax(oof.logits[held] / t[:, None])
    return probabilities


def subset(prepared: Prepared, indices: Iterable[int]) -> Prepared:
    chosen = list(indices)
    return Prepared(
        [prepared.counts[i] for i in chosen],
        [prepared.labels[i] for i in chosen],
        [prepared.groups[i] for i in chosen],
    )


@dataclass
class Trained:
    model: LinearModel
    oof: OutOfFold
    probabilities: np.ndarray  # honest out-of-fold probabilities (for the metadata's metrics)
    seconds: float


def fit_calibrated(
    prepared: Prepared,
    settings: Settings,
    indices: Iterable[int] | None = None,
    progress: Progress | None = None,
    folds: np.ndarray | None = None,
    exclude: Sequence[np.ndarray] = (),
) -> Trained:
    """Grouped cross-validation on the rows (for calibration and honest metrics), then the
    final fit on all of them with the calibration fitted on the held-out predictions."""
    start = time.perf_counter()
    if indices is not None:
        prepared = subset(prepared, indices)
    if folds is None:
        folds = fold_of_groups(prepared.groups, prepared.labels, settings.folds)
    oof = out_of_fold(prepared, settings, folds, progress, exclude)
    calibration = fit_calibration(oof.logits, oof.signals, oof.truth, settings.calibration)
    probabilities = calibrated_probabilities(oof, settings.calibration, exclude)
    if progress:
        progress("final model", 0, 1)
    final = fit_linear(prepared, settings)
    if progress:
        progress("final model", 1, 1)
    model = LinearModel(final.labels, final.blocks, final.weights, final.bias, calibration)
    return Trained(model, oof, probabilities, time.perf_counter() - start)


def fit_model(
    rows: Sequence[Row],
    settings: Settings | None = None,
    progress: Progress | None = None,
    folds: np.ndarray | None = None,
    exclude: Sequence[np.ndarray] = (),
) -> Trained:
    """Prepare the rows' text and features, then `fit_calibrated`."""
    start = time.perf_counter()
    prepared = prepare(rows, progress)
    trained = fit_calibrated(prepared, settings or Settings(), None, progress, folds, exclude)
    trained.seconds = time.perf_counter() - start
    return trained
