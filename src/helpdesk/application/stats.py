"""Routing reports: admins see everything, agents their own department's tickets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from helpdesk.application.admin_audit import check_range
from helpdesk.application.ports.clock import Clock
from helpdesk.application.ports.storage.sla import SlaAttainment
from helpdesk.application.ports.storage.stats import (
    AgentWorkload,
    CategoryQuality,
    DepartmentOverrides,
    ModeCounts,
    StatsWindow,
)
from helpdesk.application.ports.storage.unit_of_work import UnitOfWorkFactory
from helpdesk.domain.errors import ValidationFailed
from helpdesk.domain.people import Actor
from helpdesk.domain.permissions import STAFF, require_role
from helpdesk.domain.sla.policy import PRIORITY_ORDER
from helpdesk.domain.taxonomy import CATEGORIES, Category, Role

MAX_BINS = 100


@dataclass(frozen=True, slots=True)
class Period:
    created_from: datetime | None = None
    created_to: datetime | None = None


@dataclass(frozen=True, slots=True)
class Bin:
    lower: float
    upper: float
    count: int


@dataclass(frozen=True, slots=True)
class Histogram:
    bins: list[Bin]
    unclassified: int


@dataclass(frozen=True, slots=True)
class Taxonomy:
    categories: list[tuple[Category, int]]
    unclassified: int


def window_for(actor: Actor, period: Period) -> StatsWindow:
    """The reports an actor may see: agents are held to their department."""
    require_role(actor, STAFF)
    check_range(period.created_from, period.created_to)
    department = actor.department_id if actor.role is Role.AGENT else None
    if actor.role is Role.AGENT and department is None:
        raise ValidationFailed.of("department_id", "you belong to no department")
    return StatsWindow(department, period.created_from, period.created_to)


class _Report:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow


class RoutingModesReport(_Report):
    async def execute(self, actor: Actor, period: Period) -> ModeCounts:
        window = window_for(actor, period)
        async with self._uow(read_only=True) as uow:
            return await uow.stats.routing_modes(window)


class ConfidenceHistogramReport(_Report):
    async def execute(self, actor: Actor, period: Period, bins: int) -> Histogram:
        window = window_for(actor, period)
        if not 1 <= bins <= MAX_BINS:
            raise ValidationFailed.of("bins", f"must be between 1 and {MAX_BINS}")
        async with self._uow(read_only=True) as uow:
            counts, unclassified = await uow.stats.confidence_histogram(window, bins)
        return Histogram(
            [Bin(round(i / bins, 6), round((i + 1) / bins, 6), n) for i, n in enumerate(counts)],
            unclassified,
        )


class TaxonomyReport(_Report):
    async def execute(self, actor: Actor, period: Period) -> Taxonomy:
        window = window_for(actor, period)
        async with self._uow(read_only=True) as uow:
            counts, unclassified = await uow.stats.taxonomy(window)
        return Taxonomy([(c, counts.get(c, 0)) for c in CATEGORIES], unclassified)


class OverrideRateReport(_Report):
    async def execute(self, actor: Actor, period: Period) -> list[DepartmentOverrides]:
        window = window_for(actor, period)
        async with self._uow(read_only=True) as uow:
            return await uow.stats.override_rate(window)


class AgentWorkloadReport(_Report):
    async def execute(self, actor: Actor) -> list[AgentWorkload]:
        window = window_for(actor, Period())
        async with self._uow(read_only=True) as uow:
            return await uow.stats.agent_workload(window.department_id)


class SlaReport(_Report):
    """Service-level attainment per department and priority (GET /stats/sla): admins see every
    department, agents their own; targets are judged at the clock's instant."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        super().__init__(uow)
        self._clock = clock

    async def execute(self, actor: Actor, period: Period) -> list[SlaAttainment]:
        window = window_for(actor, period)
        async with self._uow(read_only=True) as uow:
            rows = await uow.sla.attainment(window, self._clock.now())
        return sorted(
            rows,
            key=lambda r: (
                r.department_id is not None,
                str(r.department_id),
                PRIORITY_ORDER.index(r.priority),
            ),
        )


class RoutingQualityReport(_Report):
    """Per category, in taxonomy order (every category, zero when nothing happened)."""

    async def execute(self, actor: Actor, period: Period) -> list[CategoryQuality]:
        window = window_for(actor, period)
        async with self._uow(read_only=True) as uow:
            found = {q.category: q for q in await uow.stats.routing_quality(window)}
        return [found.get(c, CategoryQuality(c)) for c in CATEGORIES]
