"""Service levels in memory: the same answers as the SQL adapters, from the domain's clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from helpdesk.adapters.storage.memory.store import Transaction
from helpdesk.application.ports.storage.sla import SlaAttainment
from helpdesk.application.ports.storage.stats import StatsWindow
from helpdesk.domain.reporting import MEDIAN, P90, percentile
from helpdesk.domain.sla.business_calendar import BusinessCalendar
from helpdesk.domain.sla.clock import Crossing, Target, next_check_at
from helpdesk.domain.sla.policy import SlaPolicy
from helpdesk.domain.taxonomy import Priority
from helpdesk.domain.ticket import Ticket


class MemorySlaRepository:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    async def policies(self) -> list[SlaPolicy]:
        found = self._tx.read("sla_policies").values()
        return sorted(found, key=lambda p: (p.created_at, p.id.int))

    async def get_policy(self, policy_id: UUID) -> SlaPolicy | None:
        policy: SlaPolicy | None = self._tx.read("sla_policies").get(policy_id)
        return policy

    async def add_policy(self, policy: SlaPolicy) -> None:
        self._tx.write("sla_policies")[policy.id] = policy

    async def update_policy(self, policy: SlaPolicy) -> None:
        self._tx.write("sla_policies")[policy.id] = policy

    async def delete_policy(self, policy_id: UUID) -> None:
        self._tx.write("sla_policies").pop(policy_id, None)

    async def calendar(self, department_id: UUID) -> BusinessCalendar | None:
        calendar: BusinessCalendar | None = self._tx.read("department_calendars").get(department_id)
        return calendar

    async def set_calendar(self, department_id: UUID, calendar: BusinessCalendar) -> None:
        self._tx.write("department_calendars")[department_id] = calendar

    def _next_checks(self) -> list[tuple[datetime, Ticket]]:
        found = []
        for ticket in self._tx.read("tickets").values():
            at = next_check_at(ticket.clock)
            if at is not None:
                found.append((at, ticket))
        return found

    async def due_for_check(self, now: datetime, limit: int) -> list[UUID]:
        due = sorted((at, t.id.int, t.id) for at, t in self._next_checks() if at <= now)
        return [ticket_id for _, _, ticket_id in due[:limit]]

    async def claim_due(self, ticket_id: UUID, now: datetime) -> Ticket | None:
        ticket: Ticket | None = self._tx.read("tickets").get(ticket_id)
        if ticket is None:
            return None
        at = next_check_at(ticket.clock)
        return ticket.copy() if at is not None and at <= now else None

    async def mark_crossing(
        self, ticket_id: UUID, crossing: Crossing, due_at: datetime, acted_at: datetime
    ) -> bool:
        key = (ticket_id, crossing.target, crossing.point, due_at)
        if key in self._tx.read("sla_crossings"):
            return False
        self._tx.write("sla_crossings")[key] = acted_at
        return True

    async def attainment(self, window: StatsWindow, now: datetime) -> list[SlaAttainment]:
        groups: dict[tuple[UUID | None, Priority], list[Ticket]] = {}
        for t in self._tx.read("tickets").values():
            if (
                t.clock.resolution_due_at is None
                or (window.department_id is not None and t.department_id != window.department_id)
                or (window.created_from is not None and t.created_at < window.created_from)
                or (window.created_to is not None and t.created_at >= window.created_to)
            ):
                continue
            groups.setdefault((t.department_id, t.priority), []).append(t)
        return [_attainment(key, found, now) for key, found in groups.items()]


def _minutes(values: list[timedelta | None]) -> list[float]:
    return sorted(v / timedelta(minutes=1) for v in values if v is not None)


def _attainment(
    key: tuple[UUID | None, Priority], tickets: list[Ticket], now: datetime
) -> SlaAttainment:
    clocks = [t.clock for t in tickets]
    first = _minutes([c.first_response_working for c in clocks])
    resolution = _minutes([c.resolution_working for c in clocks])
    return SlaAttainment(
        department_id=key[0],
        priority=key[1],
        total=len(clocks),
        first_response_met=sum(
            1
            for c in clocks
            if c.first_responded_at is not None
            and c.first_response_due_at is not None
            and c.first_responded_at <= c.first_response_due_at
        ),
        first_response_breached=sum(1 for c in clocks if c.is_breached(Target.FIRST_RESPONSE, now)),
        resolution_met=sum(
            1
            for c in clocks
            if c.resolved_at is not None
            and c.resolution_due_at is not None
            and c.resolved_at <= c.resolution_due_at
        ),
        resolution_breached=sum(1 for c in clocks if c.is_breached(Target.RESOLUTION, now)),
        median_first_response_minutes=percentile(first, MEDIAN),
        p90_first_response_minutes=percentile(first, P90),
        median_resolution_minutes=percentile(resolution, MEDIAN),
        p90_resolution_minutes=percentile(resolution, P90),
    )
