"""The steps every ticket-changing use case shares, inside its unit of work: load the ticket in
the caller's scope, save it with the version check, and write the change's audit entries and
notifications beside it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from helpdesk.application.ports.storage.tickets import StaleVersion
from helpdesk.application.ports.storage.unit_of_work import UnitOfWork
from helpdesk.application.tickets.sla import follow_sla
from helpdesk.domain import audit, notices
from helpdesk.domain.changes import Outcome
from helpdesk.domain.errors import Conflict, PreconditionFailed
from helpdesk.domain.mail import outgoing
from helpdesk.domain.people import Actor
from helpdesk.domain.permissions import ensure_workable
from helpdesk.domain.ticket import Ticket


async def load_workable(uow: UnitOfWork, actor: Actor, ticket_id: UUID) -> Ticket:
    return ensure_workable(actor, await uow.tickets.get(ticket_id))


async def save_versioned(
    uow: UnitOfWork,
    before: Ticket,
    after: Ticket,
    if_match: int | None,
    *,
    by_staff: bool = False,
) -> None:
    """Save `after` over `before`, its SLA clock brought in step with the change first
    (`by_staff`: a status change made by a staff member, which is a first response)."""
    await follow_sla(uow, before, after, by_staff=by_staff)
    try:
        await uow.tickets.update(after, expected_version=before.version)
    except StaleVersion:
        if if_match is not None:
            raise PreconditionFailed("the ticket changed meanwhile; reload it and retry") from None
        raise Conflict("the ticket changed meanwhile; retry") from None


async def members(uow: UnitOfWork, audience: notices.Audience) -> list[UUID]:
    """The people a domain audience names: a department's active agents, or the admins."""
    if audience.department_id is not None:
        return [p.id for p in await uow.profiles.active_agents(audience.department_id)]
    if audience.admins:
        return [p.id for p in await uow.profiles.active_admins()]
    return []


async def change_notices(
    uow: UnitOfWork, outcome: Outcome, actor_id: UUID | None, *, tell_status: bool = True
) -> list[notices.Notice]:
    """Status, assignee and department changes, each told to the people docs/rules.md names.

    Overrides and reclassifications tell their own audience instead of a status notice."""
    ticket = outcome.ticket
    groups: list[list[notices.Notice]] = []
    status = outcome.status_change
    if status is not None and tell_status:
        groups.append(notices.on_status_changed(ticket, status.old, actor_id))
    if outcome.assignee_change is not None and ticket.assigned_agent_id is not None:
        groups.append(notices.on_assigned(ticket, actor_id))
    if outcome.department_change is not None and ticket.department_id is not None:
        watchers = await members(uow, notices.pickup_audience(ticket))
        groups.append(notices.on_department_changed(ticket, watchers, actor_id))
    return notices.merge(*groups)


async def record_change(
    uow: UnitOfWork,
    outcome: Outcome,
    facts: list[audit.AuditFact],
    actor_id: UUID | None,
    *,
    now: datetime,
    new_id: Callable[[], UUID],
    extra_notices: list[notices.Notice] | None = None,
    tell_status: bool = True,
) -> None:
    """Write the change's audit entries and notifications (same transaction as the change)."""
    ticket_id = outcome.ticket.id
    await uow.audit.add_all(
        audit.entries(facts, actor_id=actor_id, ticket_id=ticket_id, now=now, new_id=new_id)
    )
    told = notices.merge(
        extra_notices or [],
        await change_notices(uow, outcome, actor_id, tell_status=tell_status),
    )
    await store_notifications(uow, told, outcome.ticket, now=now, new_id=new_id)


async def store_notifications(
    uow: UnitOfWork,
    told: list[notices.Notice],
    ticket: Ticket,
    *,
    now: datetime,
    new_id: Callable[[], UUID],
    submitter_reply_to: str | None = None,
) -> None:
    """Store the notifications of a change to `ticket`, and queue those that matter to a person
    as e-mail (outgoing.MAILED_KINDS) in the outbox, in the same transaction: the outbox keeps
    each for its recipient only when their profile has an address and has not opted out.
    `submitter_reply_to`: the Message-ID of the submitter's own mail that this change answers
    (a mailed ticket's receipt), so their mail client shows the two together."""
    stored = notices.deliver(told, ticket_id=ticket.id, now=now, new_id=new_id)
    await uow.notifications.add_all(stored)
    mails = [
        outgoing.outbox_notification(
            n,
            ticket_number=ticket.number,
            ticket_title=ticket.title,
            in_reply_to=submitter_reply_to if n.user_id == ticket.submitter_id else None,
        )
        for n in outgoing.mailed(stored)
    ]
    await uow.outbox.add_for_recipients(mails)
