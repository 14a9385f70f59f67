"""What every use case is given: the ports, and the policy settings they apply."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from uuid import UUID

from helpdesk.application.ports.classifier import Classifier
from helpdesk.application.ports.clock import Clock, IdSource
from helpdesk.application.ports.storage import UnitOfWorkFactory
from helpdesk.domain.arabic import TextPolicy
from helpdesk.domain.audit import AuditFact
from helpdesk.domain.notices import Notice
from helpdesk.domain.records import AuditEntry, Notification
from helpdesk.domain.routing import Thresholds


@dataclass(frozen=True, slots=True)
class Policies:
    thresholds: Thresholds = field(default_factory=Thresholds)
    text_policy: TextPolicy = TextPolicy.ARABIC_ONLY
    idempotency_ttl: timedelta = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class Context:
    uow: UnitOfWorkFactory
    classifier: Classifier
    clock: Clock
    ids: IdSource
    policies: Policies = field(default_factory=Policies)

    def audit_entries(
        self, facts: list[AuditFact], *, actor_id: UUID | None, ticket_id: UUID
    ) -> list[AuditEntry]:
        now = self.clock.now()
        # One microsecond apart, so that "oldest first" keeps the order the facts were made in.
        return [
            AuditEntry(
                id=self.ids.new_id(),
                actor_id=actor_id,
                action=fact.action,
                metadata=fact.metadata,
                created_at=now + timedelta(microseconds=i),
                ticket_id=ticket_id,
            )
            for i, fact in enumerate(facts)
        ]

    def notifications(self, notices: list[Notice], *, ticket_id: UUID | None) -> list[Notification]:
        now = self.clock.now()
        return [
            Notification(
                id=self.ids.new_id(),
                user_id=n.user_id,
                ticket_id=ticket_id,
                kind=n.kind,
                title=n.title,
                body=n.body,
                created_at=now,
            )
            for n in notices
        ]
