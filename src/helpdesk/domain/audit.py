"""What the audit trail records for each ticket event (domain.md, "Audit").

Builders return `AuditFact`s (action + JSON-ready metadata); the use case stamps them with an id,
the actor and the time, and writes them in the same transaction as the change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from helpdesk.domain.changes import FieldChange
from helpdesk.domain.classification import Classification
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
    return value


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
