"""The embedded model at serving time: TF-IDF blocks, a linear layer and a calibrated
temperature, in NumPy (scikit-learn fits it, see `training.py`, but is not needed to run it).

Each block (`features.BLOCKS`) turns its feature counts into sublinear TF-IDF (1 + log count,
times the block's idf), L2-normalised over the features the model knows, and scaled by the
block's weight — exactly what the fitted scikit-learn pipeline computes. Logits are the sum over
blocks plus a bias.

Unfamiliar text weighs less twice over. Features no training ticket had still count in each
block's L2 norm, so the known ones of a mostly unknown text carry little; and the logits are
divided by a temperature that grows with how unfamiliar and how thin the evidence is,
`T = exp(intercept + Σ coefficient·signal)` (`Calibration`). The coefficients are fitted on
out-of-fold predictions (folds that hold out whole writing styles and issues) and may only
raise the temperature, so a ticket unlike the training data gets a flatter distribution
instead of a confident guess.
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
    unknown_idf: float  # the idf a feature no training ticket shared would have had
    norm_floor: float  # texts with less evidence than this are not scaled up to it

    def vector(self, counts: Counter[str]) -> tuple[np.ndarray, np.ndarray, float, int]:
        """(rows, values, unknown share, known features) of one text in this block.

        The L2 norm runs over every feature of the text, the unknown ones counted with
        `unknown_idf`: the more of a text the model has never seen, the less its known
        features weigh. A text whose norm is below `norm_floor` (a short one) is divided by
        the floor instead, so one or two words are not blown up into a full ticket's worth
        of evidence. Training normalises the same way."""
        rows, tfs = [], []
        known = total = 0
        unknown_mass = 0.0
        for feature, count in counts.items():
            total += count
            tf = 1.0 + math.log(count)
            index = self.vocabulary.get(feature)
            if index is None:
                unknown_mass += tf * tf
            else:
                known += count
                rows.append(index)
                tfs.append(tf)
        unknown = 1.0 - known / total if total else 1.0
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros(0), unknown, 0
        index_array = np.asarray(rows, dtype=np.int64)
        values = np.asarray(tfs) * self.idf[index_array - self.offset]
        norm = math.sqrt(float(values @ values) + unknown_mass * self.unknown_idf**2)
        norm = max(norm, self.norm_floor)
        return index_array, values * (self.scale / norm), unknown, len(rows)


SIGNALS = ("unknown_word_share", "unknown_char_ngram_share", "sparseness")


@dataclass(frozen=True)
class Calibration:
    """log T = intercept + Σ coefficient · signal, over `SIGNALS`: the share of the ticket's
    word features and of its character n-grams that no training ticket had, and
    1/√(1 + known word features) (little evidence). Coefficients are never negative."""

    method: str
    intercept: float = 0.0
    coefficients: tuple[float, ...] = (0.0, 0.0, 0.0)

    def temperature(self, signals: tuple[float, ...]) -> float:
        return math.exp(
            self.intercept + sum(c * s for c, s in zip(self.coefficients, signals, strict=True))
        )


@dataclass(frozen=True)
class LinearModel:
    labels: tuple[Category, ...]
    blocks: dict[str, Block]
    weights: np.ndarray  # (features of all blocks, labels)
    bias: np.ndarray  # (labels,)
    calibration: Calibration

    def evidence(self, text: str) -> tuple[np.ndarray, tuple[float, ...]]:
        """Raw logits and the calibration signals of a prepared text."""
        return self.evidence_of(features(text))

    def evidence_of(self, counts: dict[str, Counter[str]]) -> tuple[np.ndarray, tuple[float, ...]]:
        logits = self.bias.astype(np.float64).copy()
        unknown = {"word": 1.0, "char": 1.0}
        known_words = 0
        for name in BLOCKS:
            block = self.blocks.get(name)
            if block is None:
                continue
            rows, values, unknown[name], known = block.vector(counts[name])
            if name == "word":
                known_words = known
            if rows.size:
                logits += values @ self.weights[rows]
        return logits, (unknown["word"], unknown["char"], 1.0 / math.sqrt(1.0 + known_words))

    def probabilities(self, text: str) -> np.ndarray:
        return self.probabilities_of(features(text))

    def probabilities_of(self, counts: dict[str, Counter[str]]) -> np.ndarray:
        logits, signals = self.evidence_of(counts)
        return softmax(logits / self.calibration.temperature(signals))


def softmax(z: np.ndarray) -> np.ndarray:
    shifted = z - z.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=-1, keepdims=True)  # type: ignore[no-any-return]
