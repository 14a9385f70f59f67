"""Reading tickets: one, a filtered page in the caller's scope, and a ticket's audit trail."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Literal
from uuid import UUID

from helpdesk.application.pagination import Page, check_limit, decode_cursor, page_of
from helpdesk.application.ports.clock import Clock
from helpdesk.application.ports.storage.tickets import FAR_FUTURE, TicketFilter, TicketOrder
from helpdesk.application.ports.storage.unit_of_work import UnitOfWorkFactory
from helpdesk.domain.arabic import fold
from helpdesk.domain.comments import can_see_internal
from helpdesk.domain.errors import Forbidden, ValidationFailed
from helpdesk.domain.keyset import Position
from helpdesk.domain.people import Actor
from helpdesk.domain.permissions import EVERYONE, STAFF, ensure_visible, require_role, visible_scope
from helpdesk.domain.records import AuditEntry
from helpdesk.domain.taxonomy import (
    ACTIVE_STATUSES,
    DEPARTMENT_QUEUE_STATUSES,
    Category,
    Priority,
    RoutingMode,
    TicketStatus,
)
from helpdesk.domain.ticket import Ticket


class Queue(StrEnum):
    """The ready-made views of the ticket list: my active tickets, my department's unassigned
    ones, the tickets in triage in my scope."""

    MINE = "mine"
    DEPARTMENT = "department"
    TRIAGE = "triage"


@dataclass(frozen=True, slots=True)
class ListTickets:
    statuses: frozenset[TicketStatus] | None = None
    priority: Priority | None = None
    department_id: UUID | None = None
    assigned: UUID | Literal["me", "none"] | None = None
    routing_mode: RoutingMode | None = None
    overridden: bool | None = None
    category: Category | None = None
    q: str | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    queue: Queue | None = None
    sla: Literal["at_risk", "breached"] | None = None
    order: TicketOrder = "created"
    limit: int | None = None
    cursor: str | None = None


def due_position(ticket: Ticket) -> Position:
    """Where a page in `resolution_due` order ends: the due time (none: last), then the id."""
    return Position(ticket.clock.resolution_due_at or FAR_FUTURE, ticket.id)


class _Empty(Exception):
    """The filters contradict each other: no ticket can match."""


def _intersect(
    current: frozenset[TicketStatus] | None, allowed: frozenset[TicketStatus]
) -> frozenset[TicketStatus]:
    result = allowed if current is None else current & allowed
    if not result:
        raise _Empty
    return result


def _assignee(where: TicketFilter, agent_id: UUID) -> TicketFilter:
    if where.unassigned or (where.assignee_id not in (None, agent_id)):
        raise _Empty
    return replace(where, assignee_id=agent_id)


def effective_filter(actor: Actor, query: ListTickets, now: datetime) -> TicketFilter:
    """The query's filters and queue folded into one set of conditions (raises _Empty)."""
    if (
        query.created_after is not None
        and query.created_before is not None
        and query.created_after >= query.created_before
    ):
        raise ValidationFailed.of("created_before", "must be later than created_after")
    text = fold(query.q) if query.q is not None else None
    where = TicketFilter(
        statuses=query.statuses or None,
        priority=query.priority,
        department_id=query.department_id,
        routing_mode=query.routing_mode,
        overridden=query.overridden,
        category=query.category,
        text=text or None,
        created_after=query.created_after,
        created_before=query.created_before,
        sla=query.sla,
        sla_at=now if query.sla is not None else None,
    )
    if query.assigned == "none":
        where = replace(where, unassigned=True)
    elif query.assigned == "me":
        where = _assignee(where, actor.id)
    elif query.assigned is not None:
        where = _assignee(where, query.assigned)
    if query.queue == Queue.MINE:
        where = _assignee(where, actor.id)
        where = replace(where, statuses=_intersect(where.statuses, ACTIVE_STATUSES))
    elif query.queue == Queue.DEPARTMENT:
        if actor.department_id is None or where.department_id not in (None, actor.department_id):
            raise _Empty
        if where.assignee_id is not None:
            raise _Empty
        where = replace(
            where,
            department_id=actor.department_id,
            unassigned=True,
            statuses=_intersect(where.statuses, DEPARTMENT_QUEUE_STATUSES),
        )
    elif query.queue == Queue.TRIAGE:
        where = replace(
            where, statuses=_intersect(where.statuses, frozenset({TicketStatus.TRIAGE}))
        )
    return where


class ListTicketsUseCase:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, actor: Actor, query: ListTickets) -> Page[Ticket]:
        require_role(actor, EVERYONE)
        limit = check_limit(query.limit)
        scope = visible_scope(actor)
        try:
            where = effective_filter(actor, query, self._clock.now())
        except _Empty:
            return Page([], None)
        # The SLA filter's instant changes with every request: the cursor keeps the state asked
        # for, not the instant, so that paging through at-risk tickets stays possible.
        filters = {
            "scope": scope,
            "where": replace(where, sla_at=None),
            "order": query.order,
        }
        after = decode_cursor(query.cursor, filters)
        async with self._uow(read_only=True) as uow:
            rows = await uow.tickets.search(scope, where, after, limit + 1, order=query.order)
        if query.order == "resolution_due":
            return page_of(rows, limit, filters, key=due_position)
        return page_of(rows, limit, filters)


class GetTicketUseCase:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, actor: Actor, ticket_id: UUID) -> Ticket:
        require_role(actor, EVERYONE)
        async with self._uow(read_only=True) as uow:
            return ensure_visible(actor, await uow.tickets.get(ticket_id))


@dataclass(frozen=True, slots=True)
class TicketAudit:
    ticket_id: UUID
    limit: int | None = None
    cursor: str | None = None


class TicketAuditUseCase:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, actor: Actor, query: TicketAudit) -> Page[AuditEntry]:
        require_role(actor, STAFF)
        limit = check_limit(query.limit)
        filters = {"ticket": str(query.ticket_id)}
        async with self._uow(read_only=True) as uow:
            ticket = ensure_visible(actor, await uow.tickets.get(query.ticket_id))
            if not can_see_internal(actor, ticket):
                raise Forbidden("the audit trail is for the staff who work on this ticket")
            after = decode_cursor(query.cursor, filters)
            rows = await uow.audit.for_ticket(query.ticket_id, after=after, limit=limit + 1)
        return page_of(rows, limit, filters)
