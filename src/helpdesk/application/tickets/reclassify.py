"""Reclassify: rerun the classifier on the stored text and re-route where docs/rules.md allows."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from helpdesk.application.ports.classifier import Classifier
from helpdesk.application.ports.clock import Clock, IdSource
from helpdesk.application.ports.storage.unit_of_work import UnitOfWorkFactory
from helpdesk.application.routing_evidence import RoutingThresholdCache, current_thresholds
from helpdesk.application.tickets.assigning import assign_by_policy
from helpdesk.application.tickets.saving import load_workable, record_change, save_versioned
from helpdesk.domain import audit
from helpdesk.domain.changes import apply_reclassification, check_if_match, reroute_target
from helpdesk.domain.departments import DepartmentDirectory
from helpdesk.domain.errors import DependencyUnavailable
from helpdesk.domain.people import Actor
from helpdesk.domain.permissions import STAFF, require_role
from helpdesk.domain.routing import Thresholds, decide
from helpdesk.domain.taxonomy import RoutingMode
from helpdesk.domain.text_preparation import classification_text
from helpdesk.domain.ticket import Ticket


@dataclass(frozen=True, slots=True)
class ReclassifyTicket:
    ticket_id: UUID
    if_match: int | None = None


class ReclassifyTicketUseCase:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        classifier: Classifier,
        clock: Clock,
        ids: IdSource,
        *,
        thresholds: Thresholds,
        routing_cache: RoutingThresholdCache | None = None,
    ) -> None:
        self._uow = uow
        self._classifier = classifier
        self._clock = clock
        self._ids = ids
        self._thresholds = thresholds
        self._routing_cache = routing_cache

    async def execute(self, actor: Actor, command: ReclassifyTicket) -> Ticket:
        require_role(actor, STAFF)
        async with self._uow(read_only=True) as uow:
            ticket = await load_workable(uow, actor, command.ticket_id)
            check_if_match(ticket, command.if_match)
        classification = await self._classifier.classify(
            classification_text(ticket.title, ticket.description)
        )
        if classification is None:
            raise DependencyUnavailable("the classifier is unavailable; the ticket is unchanged")
        async with self._uow() as uow:
            ticket = await load_workable(uow, actor, command.ticket_id)
            directory = DepartmentDirectory.of(await uow.departments.all())
            thresholds = await current_thresholds(uow, self._thresholds, self._routing_cache)
            decision = decide(classification, directory, thresholds)
            now = self._clock.now()
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
            await save_versioned(uow, ticket, after, command.if_match, by_staff=True)
            facts = [audit.reclassified(ticket, after, decision)]
            change = outcome.assignee_change
            if change is not None:
                facts.append(audit.assigned(change.old, change.new, "reclassify"))
            await record_change(
                uow, outcome, facts, actor.id, now=now, new_id=self._ids.new_id, tell_status=False
            )
            await uow.commit()
        return after
