"""Storage port: reports computed by the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from helpdesk.domain.reporting import override_rate
from helpdesk.domain.routing_quality import Evidence, ratio
from helpdesk.domain.taxonomy import Category


@dataclass(frozen=True, slots=True)
class StatsWindow:
    """Which tickets a report covers: one department (agents) or all, and a created_at range."""

    department_id: UUID | None = None
    created_from: datetime | None = None  # inclusive
    created_to: datetime | None = None  # exclusive


@dataclass(frozen=True, slots=True)
class ModeCounts:
    total: int
    auto: int
    suggested: int
    manual: int
    overridden: int


@dataclass(frozen=True, slots=True)
class DepartmentOverrides:
    department_id: UUID
    name: str
    total: int
    overridden: int

    @property
    def rate(self) -> float:
        return override_rate(self.overridden, self.total)


@dataclass(frozen=True, slots=True)
class AgentWorkload:
    agent_id: UUID
    full_name: str
    department_id: UUID | None
    open: int
    in_progress: int
    waiting: int

    @property
    def total_active(self) -> int:
        return self.open + self.in_progress + self.waiting


@dataclass(frozen=True, slots=True)
class CategoryQuality:
    """How routing fared for one category. The routing counts group tickets by the model's
    category; `labelled`/`model_agreed` by the human's. "Judged" tickets are those with a
    verdict (`domain/routing_quality.py`); "moved" ones a person moved away from the router's
    department."""

    category: Category
    auto_routed: int = 0
    auto_moved: int = 0
    auto_judged: int = 0
    auto_correct: int = 0
    suggested: int = 0  # shadow decisions not included
    suggested_judged: int = 0
    suggested_accepted: int = 0
    shadow: int = 0
    shadow_judged: int = 0
    shadow_correct: int = 0
    labelled: int = 0
    model_agreed: int = 0

    @property
    def auto_precision(self) -> float | None:
        return ratio(self.auto_correct, self.auto_judged)

    @property
    def suggested_acceptance(self) -> float | None:
        return ratio(self.suggested_accepted, self.suggested_judged)

    @property
    def shadow_precision(self) -> float | None:
        return ratio(self.shadow_correct, self.shadow_judged)

    @property
    def model_accuracy(self) -> float | None:
        return ratio(self.model_agreed, self.labelled)


class StatsRepository(Protocol):
    """Reports computed by the database, each in one query (memory: its own equivalent)."""

    async def routing_modes(self, window: StatsWindow) -> ModeCounts:
        """Counts by the router's own decision (`router_mode`), and overridden tickets."""
        ...

    async def confidence_histogram(self, window: StatsWindow, bins: int) -> tuple[list[int], int]:
        """Counts per bin of `routing_confidence` (c rounded to 6 decimals falls in bin
        min(floor(c × bins), bins − 1)), and the count of tickets without a confidence."""
        ...

    async def taxonomy(self, window: StatsWindow) -> tuple[dict[Category, int], int]:
        """Tickets per classified category (categories with none left out), and unclassified."""
        ...

    async def override_rate(self, window: StatsWindow) -> list[DepartmentOverrides]:
        """Per current department (every department, zero when empty), by name."""
        ...

    async def agent_workload(self, department_id: UUID | None) -> list[AgentWorkload]:
        """Active tickets per status for every active agent (of the department), by name."""
        ...

    async def routing_quality(self, window: StatsWindow) -> list[CategoryQuality]:
        """Per category with any ticket in the window (any order): the routing counts by the
        model's category, the label counts by the human's."""
        ...

    async def routing_evidence(self, window: StatsWindow) -> list[Evidence]:
        """The judged tickets of the window counted per model category, confidence step
        (`domain.routing_quality.confidence_step`, given back as step / STEPS) and verdict, in
        any order."""
        ...
