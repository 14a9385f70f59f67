"""Update a ticket's status, priority, assignee and department, checked together."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from helpdesk.application.ports.clock import Clock, IdSource
from helpdesk.application.ports.storage.unit_of_work import UnitOfWorkFactory
from helpdesk.application.tickets.assigning import reassign_if_ineligible
from helpdesk.application.tickets.saving import load_workable, record_change, save_versioned
from helpdesk.domain import audit
from helpdesk.domain.changes import TicketUpdate, diff, is_reopening, plan_update
from helpdesk.domain.people import Actor
from helpdesk.domain.permissions import STAFF, require_role
from helpdesk.domain.ticket import Ticket


@dataclass(frozen=True, slots=True)
class UpdateTicket:
    ticket_id: UUID
    changes: TicketUpdate
    if_match: int | None = None


class UpdateTicketUseCase:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, ids: IdSource) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids

    async def execute(self, actor: Actor, command: UpdateTicket) -> Ticket:
        require_role(actor, STAFF)
        request = command.changes
        async with self._uow() as uow:
            ticket = await load_workable(uow, actor, command.ticket_id)
            # Look up only what the request names: the target department, the named assignee
            # (with their load), and — when moving — the current assignee's membership.
            target = request.names_department(ticket)
            wanted = request.names_assignee()
            department = await uow.departments.get(target) if target is not None else None
            assignee = await uow.assignment.load_of(wanted) if wanted is not None else None
            current_assignee = (
                await uow.profiles.get(ticket.assigned_agent_id)
                if target is not None and ticket.assigned_agent_id is not None
                else None
            )
            now = self._clock.now()
            outcome = plan_update(
                ticket,
                request,
                actor=actor,
                department=department,
                assignee=assignee,
                current_assignee=current_assignee,
                if_match=command.if_match,
                now=now,
            )
            if not outcome.changes:
                return ticket  # nothing to do: no write, no audit entry, no new version
            after = outcome.ticket
            if is_reopening(outcome):
                await reassign_if_ineligible(uow, after, now)
                outcome.changes = diff(ticket, after)
            change = outcome.assignee_change
            if change is not None and change.new is not None:
                await uow.assignment.mark_assigned(change.new, now)
            await save_versioned(uow, ticket, after, command.if_match, by_staff=True)
            how = "reopen" if is_reopening(outcome) and change is not None else "manual"
            await record_change(
                uow,
                outcome,
                audit.assignment_facts(outcome.changes, how),
                actor.id,
                now=now,
                new_id=self._ids.new_id,
            )
            await uow.commit()
        return after
