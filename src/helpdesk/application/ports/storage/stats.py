"""Storage port: reports computed by the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from helpdesk.domain.reporting import override_rate
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
