"""Steps every ticket-changing use case shares: load in scope, save with the version check,
and turn an outcome's field changes into audit entries and notices."""

from __future__ import annotations

from uuid import UUID

from helpdesk.application.context import Context
from helpdesk.application.ports.storage import StaleVersion, UnitOfWork
from helpdesk.domain import notices
from helpdesk.domain.audit import AuditFact
from helpdesk.domain.changes import Outcome
from helpdesk.domain.errors import Conflict, PreconditionFailed
from helpdesk.domain.people import Actor
from helpdesk.domain.permissions import ensure_workable
from helpdesk.domain.ticket import Ticket


async def workable_ticket(uow: UnitOfWork, actor: Actor, ticket_id: UUID) -> Ticket:
    return ensure_workable(actor, await uow.tickets.get(ticket_id))


async def save(uow: UnitOfWork, before: Ticket, after: Ticket, if_match: int | None) -> None:
    try:
        await uow.tickets.update(after, expected_version=before.version)
    except StaleVersion:
        if if_match is not None:
            raise PreconditionFailed("the ticket changed meanwhile; reload it and retry") from None
        raise Conflict("the ticket changed meanwhile; retry") from None


async def change_notices(
    uow: UnitOfWork, outcome: Outcome, actor_id: UUID | None, *, tell_status: bool = True
) -> list[notices.Notice]:
    """Status, assignee and department changes, each told to the people domain.md names.

    Overrides and reclassifications tell their own audience instead of a status notice."""
    ticket = outcome.ticket
    groups: list[list[notices.Notice]] = []
    status = outcome.status_change
    if status is not None and tell_status:
        groups.append(notices.on_status_changed(ticket, status.old, actor_id))
    if outcome.assignee_change is not None and ticket.assigned_agent_id is not None:
        groups.append(notices.on_assigned(ticket, actor_id))
    if (
        outcome.department_change is not None
        and ticket.assigned_agent_id is None
        and ticket.department_id is not None
    ):
        agents = [p.id for p in await uow.profiles.active_agents(ticket.department_id)]
        groups.append(notices.on_department_changed(ticket, agents, actor_id))
    return notices.merge(*groups)


async def record(
    ctx: Context,
    uow: UnitOfWork,
    outcome: Outcome,
    facts: list[AuditFact],
    actor_id: UUID | None,
    *,
    extra_notices: list[notices.Notice] | None = None,
    tell_status: bool = True,
) -> None:
    """Write the change's audit entries and notifications (same transaction as the change)."""
    ticket = outcome.ticket
    await uow.audit.add_all(ctx.audit_entries(facts, actor_id=actor_id, ticket_id=ticket.id))
    told = notices.merge(
        extra_notices or [],
        await change_notices(uow, outcome, actor_id, tell_status=tell_status),
    )
    await uow.notifications.add_all(ctx.notifications(told, ticket_id=ticket.id))
