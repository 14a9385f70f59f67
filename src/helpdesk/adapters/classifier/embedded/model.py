"""A small multinomial logistic regression over text features, with a calibration temperature.

Training is full-batch Adam on L2-normalised binary features, in NumPy. Confidences are
calibrated by temperature scaling: the temperature is fitted on out-of-fold predictions
(k-fold cross-validation), so that a confidence of 0.9 means right about nine times in ten.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from helpdesk.adapters.classifier.embedded.features import features
from helpdesk.domain.taxonomy import CATEGORIES, Category

MODEL_FILE = Path(__file__).parent / "data" / "model.npz"


@dataclass
class LinearModel:
    vocabulary: dict[str, int]
    weights: np.ndarray  # (features, categories)
    bias: np.ndarray  # (categories,)
    temperature: float = 1.0
    labels: tuple[Category, ...] = CATEGORIES

    def _indices(self, text: str) -> np.ndarray:
        found = {self.vocabulary[f] for f in features(text) if f in self.vocabulary}
        return np.fromiter(found, dtype=np.int64, count=len(found))

    def logits(self, text: str) -> np.ndarray:
        idx = self._indices(text)
        total = np.zeros(len(self.labels)) if idx.size == 0 else self.weights[idx].sum(axis=0)
        scale = np.sqrt(idx.size) if idx.size else 1.0
        logits: np.ndarray = (total / scale + self.bias).astype(np.float64)
        return logits

    def probabilities(self, text: str) -> np.ndarray:
        return softmax(self.logits(text) / self.temperature)

    def save(self, path: Path = MODEL_FILE) -> None:
        names = np.array(sorted(self.vocabulary, key=self.vocabulary.__getitem__))
        np.savez_compressed(
            path,
            vocabulary=names,
            weights=self.weights.astype(np.float32),
            bias=self.bias.astype(np.float32),
            temperature=np.array([self.temperature]),
            labels=np.array([str(c) for c in self.labels]),
        )

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> LinearModel:
        with np.load(path, allow_pickle=False) as data:
            names = data["vocabulary"].tolist()
            return cls(
                vocabulary={name: i for i, name in enumerate(names)},
                weights=data["weights"],
                bias=data["bias"],
                temperature=float(data["temperature"][0]),
                labels=tuple(Category(c) for c in data["labels"].tolist()),
            )


def softmax(z: np.ndarray) -> np.ndarray:
    shifted = z - z.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=-1, keepdims=True)  # type: ignore[no-any-return]


def _design(texts: Sequence[str], vocabulary: dict[str, int]) -> np.ndarray:
    x = np.zeros((len(texts), len(vocabulary)), dtype=np.float32)
    for row, text in enumerate(texts):
        idx = [vocabulary[f] for f in set(features(text)) if f in vocabulary]
        if idx:
            x[row, idx] = 1.0 / np.sqrt(len(idx))
    return x


def train(
    texts: Sequence[str],
    labels: Sequence[Category],
    *,
    min_df: int = 2,
    l2: float = 1e-4,
    steps: int = 300,
    learning_rate: float = 0.05,
) -> LinearModel:
    """Fit weights by full-batch Adam; deterministic (zero initialisation, fixed order)."""
    df = Counter(f for text in texts for f in set(features(text)))
    vocabulary = {f: i for i, f in enumerate(sorted(f for f, n in df.items() if n >= min_df))}
    x = _design(texts, vocabulary)
    classes = {c: i for i, c in enumerate(CATEGORIES)}
    y = np.zeros((len(texts), len(CATEGORIES)), dtype=np.float32)
    y[np.arange(len(texts)), [classes[c] for c in labels]] = 1.0
    w = np.zeros((x.shape[1], y.shape[1]), dtype=np.float32)
    b = np.zeros(y.shape[1], dtype=np.float32)
    params = [w, b]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    n = len(texts)
    for step in range(1, steps + 1):
        p = softmax(x @ w + b)
        error = (p - y) / n
        grads = [x.T @ error + l2 * w, error.sum(axis=0)]
        for i, (param, grad) in enumerate(zip(params, grads, strict=True)):
            m[i] = beta1 * m[i] + (1 - beta1) * grad
            v[i] = beta2 * v[i] + (1 - beta2) * grad * grad
            m_hat = m[i] / (1 - beta1**step)
            v_hat = v[i] / (1 - beta2**step)
            param -= learning_rate * m_hat / (np.sqrt(v_hat) + eps)
    return LinearModel(vocabulary, w, b)


def fit_temperature(logits: np.ndarray, truth: np.ndarray) -> float:
    """The temperature that minimises the negative log-likelihood of out-of-fold predictions."""
    best, best_nll = 1.0, float("inf")
    for t in np.exp(np.linspace(np.log(0.2), np.log(5.0), 161)):
        p = softmax(logits / t)
        nll = -float(np.mean(np.log(p[np.arange(len(truth)), truth] + 1e-12)))
        if nll < best_nll:
            best, best_nll = float(t), nll
    return best
