"""The embedded model at serving time: TF-IDF blocks, a linear layer and a calibrated
temperature, in NumPy (scikit-learn fits it, see `training.py`, but is not needed to run it).

Each block (`features.BLOCKS`) turns its feature counts into sublinear TF-IDF (1 + log count,
times the block's idf), L2-normalised over the features the model knows, and scaled by the
block's weight — exactly what the fitted scikit-learn pipeline computes. Logits are the sum over
blocks plus a bias.

Confidence: the logits are divided by a temperature that grows with how unfamiliar the text
is, `T = exp(a + b·unknown_words + c·unknown_char_ngrams)` (shares of the ticket's word stems
and character n-grams that no training ticket had). The coefficients are fitted on
out-of-fold predictions (folds that hold out whole writing styles or issues), so a ticket
unlike the training data gets a flatter distribution instead of a confident guess.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

from helpdesk.adapters.classifier.embedded.features import BLOCKS, features
from helpdesk.domain.taxonomy import Category


@dataclass(frozen=True)
class Block:
    vocabulary: dict[str, int]  # feature -> row of the weight matrix
    idf: np.ndarray  # per feature of this block, in row order from `offset`
    offset: int
    scale: float

    def vector(self, counts: Counter[str]) -> tuple[np.ndarray, np.ndarray, float]:
        """(rows, values, unknown share) of one text's features in this block."""
        rows, tfs = [], []
        known = 0
        total = 0
        for feature, count in counts.items():
            total += count
            index = self.vocabulary.get(feature)
            if index is not None:
                known += count
                rows.append(index)
                tfs.append(1.0 + math.log(count))
        unknown = 1.0 - known / total if total else 1.0
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros(0), unknown
        index_array = np.asarray(rows, dtype=np.int64)
        values = np.asarray(tfs) * self.idf[index_array - self.offset]
        norm = float(np.sqrt(values @ values))
        return index_array, values * (self.scale / norm), unknown


@dataclass(frozen=True)
class Calibration:
    """log T = a + b·(unknown word share) + c·(unknown char n-gram share)."""

    method: str
    a: float = 0.0
    b: float = 0.0
    c: float = 0.0

    def temperature(self, unknown_words: float, unknown_chars: float) -> float:
        return math.exp(self.a + self.b * unknown_words + self.c * unknown_chars)


@dataclass(frozen=True)
class LinearModel:
    labels: tuple[Category, ...]
    blocks: dict[str, Block]
    weights: np.ndarray  # (features of all blocks, labels)
    bias: np.ndarray  # (labels,)
    calibration: Calibration

    def evidence(self, text: str) -> tuple[np.ndarray, float, float]:
        """Raw logits and the unknown shares (words, char n-grams) of a prepared text."""
        return self.evidence_of(features(text))

    def evidence_of(self, counts: dict[str, Counter[str]]) -> tuple[np.ndarray, float, float]:
        logits = self.bias.astype(np.float64).copy()
        unknown = {}
        for name in BLOCKS:
            block = self.blocks.get(name)
            if block is None:
                continue
            rows, values, unknown[name] = block.vector(counts[name])
            if rows.size:
                logits += values @ self.weights[rows]
        return logits, unknown.get("word", 1.0), unknown.get("char", 1.0)

    def probabilities(self, text: str) -> np.ndarray:
        return self.probabilities_of(features(text))

    def probabilities_of(self, counts: dict[str, Counter[str]]) -> np.ndarray:
        logits, unknown_words, unknown_chars = self.evidence_of(counts)
        return softmax(logits / self.calibration.temperature(unknown_words, unknown_chars))


def softmax(z: np.ndarray) -> np.ndarray:
    shifted = z - z.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=-1, keepdims=True)  # type: ignore[no-any-return]
