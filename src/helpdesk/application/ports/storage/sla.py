"""Storage port: service levels — policies, department calendars, and what the SLA pass reads
and records (tickets due for a check, crossings acted on)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from helpdesk.application.ports.storage.stats import StatsWindow
from helpdesk.domain.sla.business_calendar import BusinessCalendar
from helpdesk.domain.sla.clock import Crossing
from helpdesk.domain.sla.policy import SlaPolicy
from helpdesk.domain.taxonomy import Priority
from helpdesk.domain.ticket import Ticket


@dataclass(frozen=True, slots=True)
class SlaAttainment:
    """One department and priority: tickets with due times, targets met and breached (at the
    report's instant), and the working minutes to first response and to resolution."""

    department_id: UUID | None
    priority: Priority
    total: int
    first_response_met: int
    first_response_breached: int
    resolution_met: int
    resolution_breached: int
    median_first_response_minutes: float | None
    p90_first_response_minutes: float | None
    median_resolution_minutes: float | None
    p90_resolution_minutes: float | None


class SlaRepository(Protocol):
    async def policies(self) -> list[SlaPolicy]:
        """Every policy, active or not, oldest first (then by id)."""
        ...

    async def get_policy(self, policy_id: UUID) -> SlaPolicy | None: ...

    async def add_policy(self, policy: SlaPolicy) -> None: ...

    async def update_policy(self, policy: SlaPolicy) -> None: ...

    async def delete_policy(self, policy_id: UUID) -> None: ...

    async def calendar(self, department_id: UUID) -> BusinessCalendar | None:
        """The department's calendar; None when it has none of its own (the default applies)."""
        ...

    async def set_calendar(self, department_id: UUID, calendar: BusinessCalendar) -> None: ...

    async def due_for_check(self, now: datetime, limit: int) -> list[UUID]:
        """Tickets whose next SLA check is at or before `now`, soonest first (an index read:
        nothing else is looked at)."""
        ...

    async def claim_due(self, ticket_id: UUID, now: datetime) -> Ticket | None:
        """The ticket, locked for this transaction, if it is still due at `now`; None when it
        is not (any more), or when another transaction holds it (PostgreSQL: SKIP LOCKED —
        the other pass is acting on it)."""
        ...

    async def mark_crossing(
        self, ticket_id: UUID, crossing: Crossing, due_at: datetime, acted_at: datetime
    ) -> bool:
        """Record that this crossing (at this due instant) is acted on; False when it already
        was — then nobody acts on it again."""
        ...

    async def attainment(self, window: StatsWindow, now: datetime) -> list[SlaAttainment]:
        """Per department and priority (in any order) of the tickets created in the window that have due times; a target counts as breached when it
        is at `now` (or was, when its event came late)."""
        ...
