"""What the audit trail records for each ticket event (docs/rules.md, "Audit").

Builders return `AuditFact`s (action + JSON-ready metadata); `entries` stamps them with ids, the
actor and the time, and the use case writes them in the same transaction as the change. Admin
actions (users, departments, quick actions) are `admin_action` entries, whose changes have the
same `{"changes": {field: {"old", "new"}}}` shape as a ticket update.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from helpdesk.domain.changes import FieldChange
from helpdesk.domain.classification import Classification
from helpdesk.domain.people import Actor
from helpdesk.domain.records import AuditEntry
from helpdesk.domain.routing import RoutingDecision
from helpdesk.domain.ticket import Ticket

CREATED = "ticket.created"
ASSIGNED = "ticket.assigned"
UPDATED = "ticket.updated"
ROUTING_OVERRIDDEN = "ticket.routing_overridden"
RECLASSIFIED = "ticket.reclassified"
COMMENT_ADDED = "ticket.comment_added"
RELEASED = "ticket.released"


@dataclass(frozen=True, slots=True)
class AuditFact:
    action: str
    metadata: dict[str, Any]


def _json(value: Any) -> Any:
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, str):  # StrEnum members included
        return str(value)
    if isinstance(value, tuple | list):
        return [_json(v) for v in value]
    return value


def entries(
    facts: list[AuditFact],
    *,
    actor_id: UUID | None,
    ticket_id: UUID,
    now: datetime,
    new_id: Callable[[], UUID],
) -> list[AuditEntry]:
    """A ticket's audit entries for one change, one microsecond apart, so that "oldest first"
    keeps the order the facts were made in."""
    return [
        AuditEntry(
            id=new_id(),
            actor_id=actor_id,
            action=fact.action,
            metadata=fact.metadata,
            created_at=now + timedelta(microseconds=i),
            ticket_id=ticket_id,
        )
        for i, fact in enumerate(facts)
    ]


def admin_action(
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: UUID,
    metadata: dict[str, Any],
    *,
    now: datetime,
    new_id: Callable[[], UUID],
) -> AuditEntry:
    """An admin action on a user, department or quick action. Actions of the command line
    (the system actor) have no actor id."""
    return AuditEntry(
        id=new_id(),
        actor_id=None if actor.is_system else actor.id,
        action=action,
        metadata=metadata,
        created_at=now,
        entity_type=entity_type,
        entity_id=entity_id,
    )


def data_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """`{"changes": {field: {"old", "new"}}}` between two JSON views of one thing (same keys),
    for the fields whose value differs."""
    return {
        "changes": {
            name: {"old": old, "new": after[name]}
            for name, old in before.items()
            if old != after[name]
        }
    }


def field_changes(before: object, after: object, fields: Iterable[str]) -> dict[str, Any]:
    """`{"changes": {field: {"old", "new"}}}` for the fields whose value differs."""
    return {
        "changes": {
            name: {"old": _json(getattr(before, name)), "new": _json(getattr(after, name))}
            for name in fields
            if getattr(before, name) != getattr(after, name)
        }
    }


def classification_data(classification: Classification | None) -> dict[str, Any] | None:
    if classification is None:
        return None
    return {
        "category": str(classification.category),
        "confidence": classification.confidence,
        "scores": [
            {"category": str(s.category), "confidence": s.confidence} for s in classification.scores
        ],
        "model": classification.model,
        "classified_at": classification.classified_at.isoformat(),
    }


def routing_data(ticket: Ticket) -> dict[str, Any]:
    return {
        "status": str(ticket.status),
        "department_id": _json(ticket.department_id),
        "assigned_agent_id": _json(ticket.assigned_agent_id),
        "routing_mode": str(ticket.routing_mode),
        "routing_confidence": ticket.routing_confidence,
        "routing_reason": ticket.routing_reason,
        "routing_overridden": ticket.routing_overridden,
        "human_category": _json(ticket.human_category),
    }


def decision_data(decision: RoutingDecision) -> dict[str, Any]:
    return {
        "mode": str(decision.mode),
        "department_id": _json(decision.department_id),
        "confidence": decision.confidence,
        "reason": decision.reason,
    }


def created(ticket: Ticket, decision: RoutingDecision) -> AuditFact:
    return AuditFact(
        CREATED,
        {
            "number": ticket.number,
            "status": str(ticket.status),
            "priority": str(ticket.priority),
            "classification": classification_data(ticket.classification),
            "routing": decision_data(decision),
        },
    )


def assigned(old: UUID | None, new: UUID | None, how: str) -> AuditFact:
    """`how`: auto, manual, override, reclassify, release or reopen."""
    return AuditFact(ASSIGNED, {"from": _json(old), "to": _json(new), "by": how})


def updated(changes: list[FieldChange]) -> AuditFact:
    """The same `changes` shape as `field_changes`."""
    return AuditFact(
        UPDATED,
        {"changes": {c.field: {"old": _json(c.old), "new": _json(c.new)} for c in changes}},
    )


def overridden(before: Ticket, after: Ticket, reason: str) -> AuditFact:
    return AuditFact(
        ROUTING_OVERRIDDEN,
        {"before": routing_data(before), "after": routing_data(after), "reason": reason},
    )


def reclassified(before: Ticket, after: Ticket, decision: RoutingDecision) -> AuditFact:
    return AuditFact(
        RECLASSIFIED,
        {
            "before": {
                **routing_data(before),
                "classification": classification_data(before.classification),
            },
            "after": {
                **routing_data(after),
                "classification": classification_data(after.classification),
            },
            "decision": decision_data(decision),
        },
    )


def comment_added(comment_id: UUID, internal: bool) -> AuditFact:
    return AuditFact(COMMENT_ADDED, {"comment_id": str(comment_id), "internal": internal})


def released(agent_id: UUID, why: str, new_assignee: UUID | None) -> AuditFact:
    return AuditFact(
        RELEASED, {"agent_id": str(agent_id), "why": why, "new_assignee": _json(new_assignee)}
    )


def assignment_facts(changes: list[FieldChange], how: str) -> list[AuditFact]:
    """Split an outcome's changes: the assignee change gets `ticket.assigned`, the rest
    one `ticket.updated` entry."""
    facts = []
    others = [c for c in changes if c.field != "assigned_agent_id"]
    if others:
        facts.append(updated(others))
    for change in changes:
        if change.field == "assigned_agent_id":
            facts.append(assigned(change.old, change.new, how))
    return facts
