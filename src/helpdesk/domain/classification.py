"""What a classifier says about a ticket's text."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from helpdesk.domain.taxonomy import TAXONOMY_RANK, Category


@dataclass(frozen=True, slots=True)
class CategoryScore:
    category: Category
    confidence: float


@dataclass(frozen=True, slots=True)
class Classification:
    """The top category, its confidence, every score (highest first), the model, and when.

    Build it with `Classification.from_scores`, which sorts and validates.
    """

    category: Category
    confidence: float
    scores: tuple[CategoryScore, ...]
    model: str
    classified_at: datetime

    @classmethod
    def from_scores(
        cls,
        scores: Iterable[tuple[Category, float]] | dict[Category, float],
        *,
        model: str,
        classified_at: datetime,
    ) -> Classification:
        pairs = list(scores.items()) if isinstance(scores, dict) else list(scores)
        if not pairs:
            raise ValueError("a classification needs at least one score")
        for category, confidence in pairs:
            if not isinstance(category, Category):
                raise ValueError(f"unknown category {category!r}")
            if not (math.isfinite(confidence) and 0.0 <= confidence <= 1.0):
                raise ValueError(f"confidence {confidence!r} is outside [0, 1]")
        ordered = sorted(pairs, key=lambda pair: (-round(pair[1], 9), TAXONOMY_RANK[pair[0]]))
        top_category, top_confidence = ordered[0]
        return cls(
            category=top_category,
            confidence=float(top_confidence),
            scores=tuple(CategoryScore(c, float(p)) for c, p in ordered),
            model=model,
            classified_at=classified_at,
        )
