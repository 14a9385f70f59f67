"""Storage port: per-category auto thresholds computed from evidence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from helpdesk.domain.taxonomy import Category


@dataclass(frozen=True, slots=True)
class StoredThreshold:
    """A category's own auto threshold (None: automatic routing off for it), with what it gave
    on history when it was computed."""

    category: Category
    auto_threshold: float | None
    target_precision: float
    precision: float | None
    coverage: float | None
    evidence: int
    set_at: datetime


class RoutingThresholdRepository(Protocol):
    async def all(self) -> list[StoredThreshold]:
        """Every stored threshold, by category name."""
        ...

    async def replace_all(self, thresholds: list[StoredThreshold]) -> None:
        """Forget the stored thresholds and keep these instead."""
        ...
