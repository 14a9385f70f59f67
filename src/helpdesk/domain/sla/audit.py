"""Audit facts of the SLA pass: a warning, a breach, and the escalation that followed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from helpdesk.domain.audit import AuditFact
from helpdesk.domain.sla.clock import Target
from helpdesk.domain.sla.escalation import Escalation
from helpdesk.domain.sla.policy import Recipient
from helpdesk.domain.taxonomy import Priority

SLA_WARNING = "sla.warning"
SLA_BREACHED = "sla.breached"
SLA_ESCALATED = "sla.escalated"


def warning(target: Target, warn_at: datetime, due_at: datetime, policy_id: UUID) -> AuditFact:
    return AuditFact(
        SLA_WARNING,
        {
            "target": str(target),
            "warn_at": warn_at.isoformat(),
            "due_at": due_at.isoformat(),
            "policy_id": str(policy_id),
        },
    )


def breached(
    target: Target, due_at: datetime, policy_id: UUID, notify: Iterable[Recipient]
) -> AuditFact:
    return AuditFact(
        SLA_BREACHED,
        {
            "target": str(target),
            "due_at": due_at.isoformat(),
            "policy_id": str(policy_id),
            "notify": [str(r) for r in notify],
        },
    )


def escalated(
    target: Target,
    escalation: Escalation,
    *,
    old_priority: Priority,
    released_agent_id: UUID | None,
) -> AuditFact:
    """Written only when the escalation changed the ticket (`Escalation.changes_ticket`)."""
    return AuditFact(
        SLA_ESCALATED,
        {
            "target": str(target),
            "priority": (
                {"old": str(old_priority), "new": str(escalation.raise_to)}
                if escalation.raise_to is not None
                else None
            ),
            "released_agent_id": str(released_agent_id) if released_agent_id else None,
        },
    )
