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
from helpdesk.adapters.classifier.embedded.model import Block, Calibration, LinearModel, softmax
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
    min_df: dict[str, int] = field(default_factory=lambda: {"char": 2, "word": 2, "lex": 1})
    scales: dict[str, float] = field(
        default_factory=lambda: {"char": 1.0, "word": 0.8, "lex": 0.5}
    )
    calibration: str = "unfamiliarity"  # or "temperature"
    folds: int = FOLDS
    tolerance: float = 1e-3

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
    if rows and all(r.get("issue") for r in rows):
        return [r["issue"] for r in rows]
    return [fold(r["title"]) for r in rows]


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
            min_df=min(settings.min_df[name], max(1, len(chosen) // 50)),
        )
        try:
            x = vectorizer.fit_transform([prepared.counts[i][name] for i in chosen])
        except ValueError:  # no feature of this block reached min_df
            continue
        scale = settings.scales[name]
        matrices.append(x * scale)
        vocabulary = {f: int(j) + offset for f, j in vectorizer.vocabulary_.items()}
        blocks[name] = Block(vocabulary, vectorizer.idf_.astype(np.float64), offset, scale)
        offset += x.shape[1]
    x_all = sparse.hstack(matrices).tocsr()
    y = np.array([present.index(label) for label in labels])
    # saga converges in a few seconds on sparse TF-IDF where lbfgs needs ten times longer;
    # the tolerance is the one at which held-out metrics stopped changing.
    regression = LogisticRegression(
        C=settings.c, solver="saga", max_iter=300, tol=settings.tolerance, random_state=0
    )
    regression.fit(x_all, y)
    coef, intercept = regression.coef_, regression.intercept_
    if len(present) == 2:  # binary: scikit-learn keeps one row; make it two symmetric logits
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    return LinearModel(
        labels=present,
        blocks=blocks,
        weights=np.ascontiguousarray(coef.T, dtype=np.float32),
        bias=intercept.astype(np.float32),
        calibration=Calibration("none"),
    )


def _elements(counts: Counter[str]) -> list[str]:
    return list(counts.elements())


@dataclass
class OutOfFold:
    logits: np.ndarray  # (rows, labels of the full model), -inf where a fold lacked a label
    unknown_words: np.ndarray
    unknown_chars: np.ndarray
    folds: np.ndarray
    truth: np.ndarray  # index into `labels`
    labels: tuple[Category, ...]


def out_of_fold(
    prepared: Prepared,
    settings: Settings,
    folds: np.ndarray,
    progress: Progress | None = None,
) -> OutOfFold:
    labels = tuple(c for c in CATEGORIES if c in set(prepared.labels))
    n = len(prepared.labels)
    logits = np.full((n, len(labels)), -30.0)
    unknown_words, unknown_chars = np.ones(n), np.ones(n)
    fold_names = sorted(set(folds.tolist()))
    for done, f in enumerate(fold_names):
        train = np.flatnonzero(folds != f)
        held = np.flatnonzero(folds == f)
        model = fit_linear(prepared, settings, train)
        columns = [labels.index(c) for c in model.labels]
        for i in held:
            z, uw, uc = model.evidence_of(prepared.counts[int(i)])
            logits[i, columns] = z
            unknown_words[i], unknown_chars[i] = uw, uc
        if progress:
            progress("cross-validation", done + 1, len(fold_names))
    truth = np.array([labels.index(c) for c in prepared.labels])
    return OutOfFold(logits, unknown_words, unknown_chars, folds, truth, labels)


def fit_calibration(
    logits: np.ndarray,
    unknown_words: np.ndarray,
    unknown_chars: np.ndarray,
    truth: np.ndarray,
    method: str,
) -> Calibration:
    """Coefficients that minimise the negative log-likelihood of held-out predictions."""
    from scipy.optimize import minimize

    free = 1 if method == "temperature" else 3
    design = np.column_stack([np.ones(len(truth)), unknown_words, unknown_chars])[:, :free]
    rows = np.arange(len(truth))

    def nll(theta: np.ndarray) -> float:
        t = np.exp(np.clip(design @ theta, -4.0, 4.0))
        z = logits / t[:, None]
        z = z - z.max(axis=1, keepdims=True)
        log_p = z[rows, truth] - np.log(np.exp(z).sum(axis=1))
        return float(-log_p.mean())

    best = minimize(nll, np.zeros(free), method="Nelder-Mead", options={"xatol": 1e-4, "fatol": 1e-7, "maxiter": 4000})
    theta = [*best.x.tolist(), 0.0, 0.0][:3]
    return Calibration(method, *theta)


def calibrated_probabilities(oof: OutOfFold, method: str) -> np.ndarray:
    """Held-out probabilities whose calibration was fitted on the other folds only."""
    probabilities = np.zeros_like(oof.logits)
    for f in sorted(set(oof.folds.tolist())):
        held = oof.folds == f
        calibration = fit_calibration(
            oof.logits[~held],
            oof.unknown_words[~held],
            oof.unknown_chars[~held],
            oof.truth[~held],
            method,
        )
        t = np.array(
            [
                calibration.temperature(w, c)
                for w, c in zip(oof.unknown_words[held], oof.unknown_chars[held], strict=True)
            ]
        )
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
) -> Trained:
    """Grouped cross-validation on the rows (for calibration and honest metrics), then the
    final fit on all of them with the calibration fitted on the held-out predictions."""
    start = time.perf_counter()
    if indices is not None:
        prepared = subset(prepared, indices)
    if folds is None:
        folds = fold_of_groups(prepared.groups, prepared.labels, settings.folds)
    oof = out_of_fold(prepared, settings, folds, progress)
    calibration = fit_calibration(
        oof.logits, oof.unknown_words, oof.unknown_chars, oof.truth, settings.calibration
    )
    probabilities = calibrated_probabilities(oof, settings.calibration)
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
) -> Trained:
    """Prepare the rows' text and features, then `fit_calibrated`."""
    start = time.perf_counter()
    prepared = prepare(rows, progress)
    trained = fit_calibrated(prepared, settings or Settings(), None, progress, folds)
    trained.seconds = time.perf_counter() - start
    return trained
