"""Reclassify: rerun the classifier on the stored text and re-route where domain.md allows."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from helpdesk.application.context import Context
from helpdesk.application.tickets.assigning import assign_by_policy
from helpdesk.application.tickets.common import record, save, workable_ticket
from helpdesk.domain import audit
from helpdesk.domain.changes import apply_reclassification, check_if_match, reroute_target
from helpdesk.domain.errors import DependencyUnavailable
from helpdesk.domain.people import Actor, DepartmentDirectory
from helpdesk.domain.permissions import STAFF, require_role
from helpdesk.domain.routing import decide
from helpdesk.domain.taxonomy import RoutingMode
from helpdesk.domain.text_preparation import classification_text
from helpdesk.domain.ticket import Ticket


@dataclass(frozen=True, slots=True)
class ReclassifyTicket:
    ticket_id: UUID
    if_match: int | None = None


class ReclassifyTicketUseCase:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    async def execute(self, actor: Actor, command: ReclassifyTicket) -> Ticket:
        require_role(actor, STAFF)
        async with self._ctx.uow() as uow:
            ticket = await workable_ticket(uow, actor, command.ticket_id)
            check_if_match(ticket, command.if_match)
        classification = await self._ctx.classifier.classify(
            classification_text(ticket.title, ticket.description)
        )
        if classification is None:
            raise DependencyUnavailable("the classifier is unavailable; the ticket is unchanged")
        async with self._ctx.uow() as uow:
            ticket = await workable_ticket(uow, actor, command.ticket_id)
            directory = DepartmentDirectory.of(await uow.departments.all())
            decision = decide(classification, directory, self._ctx.policies.thresholds)
            now = self._ctx.clock.now()
            target = reroute_target(ticket, decision)
            agent = None
            if target is not None and decision.mode is RoutingMode.AUTO:
                agent = await assign_by_policy(uow, target, now)
            outcome = apply_reclassification(
                ticket,
                classification,
                decision,
                assignee_id=agent.id if agent else None,
                if_match=command.if_match,
                now=now,
            )
            after = outcome.ticket
            await save(uow, ticket, after, command.if_match)
            facts = [audit.reclassified(ticket, after, decision)]
            change = outcome.assignee_change
            if change is not None:
                facts.append(audit.assigned(change.old, change.new, "reclassify"))
            await record(self._ctx, uow, outcome, facts, actor.id, tell_status=False)
            await uow.commit()
        return after
