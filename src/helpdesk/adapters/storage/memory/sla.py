"""Service levels in memory: the same answers as the SQL adapters, from the domain's clock."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from helpdesk.adapters.storage.memory.store import Transaction
from helpdesk.domain.sla.business_calendar import BusinessCalendar
from helpdesk.domain.sla.clock import Crossing, SlaState, next_check_at, sla_state
from helpdesk.domain.sla.policy import SlaPolicy
from helpdesk.domain.taxonomy import ACTIVE_STATUSES
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

    async def at_risk_counts(self, agent_ids: list[UUID], now: datetime) -> dict[UUID, int]:
        wanted = set(agent_ids)
        counts: dict[UUID, int] = {}
        for ticket in self._tx.read("tickets").values():
            agent = ticket.assigned_agent_id
            if (
                agent in wanted
                and ticket.status in ACTIVE_STATUSES
                and sla_state(ticket.clock, now) is SlaState.AT_RISK
            ):
                assert agent is not None
                counts[agent] = counts.get(agent, 0) + 1
        return counts
