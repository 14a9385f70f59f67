"""Override routing: a human sends the ticket to another department, with a reason."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from helpdesk.application.ports.clock import Clock, IdSource
from helpdesk.application.ports.storage.unit_of_work import UnitOfWorkFactory
from helpdesk.application.tickets.assigning import assign_by_policy
from helpdesk.application.tickets.saving import load_workable, record_change, save_versioned
from helpdesk.domain import audit, notices
from helpdesk.domain.changes import apply_override, check_override
from helpdesk.domain.labels import label_for
from helpdesk.domain.people import Actor
from helpdesk.domain.permissions import STAFF, require_role
from helpdesk.domain.taxonomy import Category
from helpdesk.domain.ticket import Ticket


@dataclass(frozen=True, slots=True)
class OverrideRouting:
    ticket_id: UUID
    department_id: UUID
    reason: str
    assigned_agent_id: UUID | None = None
    if_match: int | None = None
    category: Category | None = None  # the human's label; else the department may imply one


class OverrideRoutingUseCase:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, ids: IdSource) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids

    async def execute(self, actor: Actor, command: OverrideRouting) -> Ticket:
        require_role(actor, STAFF)
        async with self._uow() as uow:
            ticket = await load_workable(uow, actor, command.ticket_id)
            requested = command.assigned_agent_id
            assignee = await uow.assignment.load_of(requested) if requested else None
            target = check_override(
                ticket,
                department=await uow.departments.get(command.department_id),
                assignee=assignee,
                assignee_requested=requested is not None,
                reason=command.reason,
                if_match=command.if_match,
            )
            now = self._clock.now()
            if requested is not None:
                await uow.assignment.mark_assigned(requested, now)
                agent_id: UUID | None = requested
            else:
                agent = await assign_by_policy(uow, target.id, now)
                agent_id = agent.id if agent else None
            outcome = apply_override(
                ticket,
                department_id=target.id,
                assignee_id=agent_id,
                reason=command.reason,
                now=now,
                label=label_for(command.category, target, by=actor.id, at=now),
            )
            after = outcome.ticket
            await save_versioned(uow, ticket, after, command.if_match, by_staff=True)
            facts = [audit.overridden(ticket, after, after.routing_reason)]
            if outcome.assignee_change is not None:
                facts.append(audit.assigned(ticket.assigned_agent_id, agent_id, "override"))
            await record_change(
                uow,
                outcome,
                facts,
                actor.id,
                now=now,
                new_id=self._ids.new_id,
                extra_notices=notices.on_overridden(after, actor.id, after.routing_reason),
                tell_status=False,
            )
            await uow.commit()
        return after
