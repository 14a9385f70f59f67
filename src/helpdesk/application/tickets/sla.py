"""Keeping a ticket's SLA clock in step with its changes (inside the use case's unit of work).

The rules are the domain's (`domain/sla/clock.py`); these steps read what they need — the
policies and the department's calendar — and apply them: the clock starts at creation, follows
status changes (waiting pauses it, resolving stops it, reopening runs it on), is re-targeted
when the priority, department or category changes, and records the first response (the first
public comment or status change by staff).
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from helpdesk.application.ports.storage.unit_of_work import UnitOfWork
from helpdesk.domain.sla.business_calendar import BusinessCalendar
from helpdesk.domain.sla.clock import (
    SlaClock,
    follow_status,
    record_first_response,
    retarget,
    start_clock,
)
from helpdesk.domain.sla.policy import SlaPolicy, select_policy
from helpdesk.domain.taxonomy import Category, Priority
from helpdesk.domain.ticket import Ticket

DEFAULT_CALENDAR = BusinessCalendar()


async def calendar_for(uow: UnitOfWork, department_id: UUID | None) -> BusinessCalendar:
    """The department's calendar, or the default one (also for a ticket without department)."""
    if department_id is None:
        return DEFAULT_CALENDAR
    return await uow.sla.calendar(department_id) or DEFAULT_CALENDAR


async def policy_for(uow: UnitOfWork, ticket: Ticket) -> SlaPolicy | None:
    category = Category(ticket.category) if ticket.category is not None else None
    return select_policy(
        await uow.sla.policies(),
        priority=ticket.priority,
        department_id=ticket.department_id,
        category=category,
    )


async def new_clock(
    uow: UnitOfWork,
    *,
    created_at: datetime,
    priority: Priority,
    department_id: UUID | None,
    category: Category | None,
) -> SlaClock:
    """A new ticket's clock, with the due times of the policy that applies (if any): the
    policies, and the department's calendar only when a policy applies."""
    policy = select_policy(
        await uow.sla.policies(),
        priority=priority,
        department_id=department_id,
        category=category,
    )
    calendar = await calendar_for(uow, department_id) if policy else DEFAULT_CALENDAR
    return start_clock(created_at, policy, calendar)


def _targeting(ticket: Ticket) -> tuple[object, ...]:
    return (ticket.priority, ticket.department_id, ticket.category)


async def follow_sla(uow: UnitOfWork, before: Ticket, after: Ticket, *, by_staff: bool) -> None:
    """What a change from `before` to `after` does to the clock, at `after.updated_at`: a status
    change (by staff: also a first response), then a re-targeting when what picks the policy
    changed."""
    now = after.updated_at
    clock = after.clock
    calendar: BusinessCalendar | None = None
    if before.status != after.status:
        calendar = await calendar_for(uow, after.department_id)
        clock = follow_status(clock, calendar, before.status, after.status, now, by_staff=by_staff)
    if _targeting(before) != _targeting(after):
        if calendar is None or before.department_id != after.department_id:
            calendar = await calendar_for(uow, after.department_id)
        clock = retarget(clock, await policy_for(uow, after), calendar, now)
    after.sla = clock


async def first_response(uow: UnitOfWork, ticket: Ticket, now: datetime) -> bool:
    """Record a staff member's public comment as the first response; False when one was
    already recorded (nothing changes)."""
    if ticket.clock.first_responded_at is not None:
        return False
    calendar = await calendar_for(uow, ticket.department_id)
    ticket.sla = record_first_response(ticket.clock, calendar, now)
    return True
