"""What a crossing sets in motion: who is told, and the policy's effects on a breach."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from helpdesk.domain.changes import reassign
from helpdesk.domain.sla.policy import BreachActions, Recipient, next_priority
from helpdesk.domain.taxonomy import Priority
from helpdesk.domain.ticket import Ticket, ensure_invariants


@dataclass(frozen=True, slots=True)
class Escalation:
    """A breach's effects on the ticket: a priority one level up, and/or a release of the
    assignee so the department queue can take it again."""

    raise_to: Priority | None = None
    release: bool = False

    @property
    def changes_ticket(self) -> bool:
        return self.raise_to is not None or self.release


def escalation_for(
    actions: BreachActions, *, priority: Priority, assignee_id: UUID | None
) -> Escalation:
    """Effects that would change something: an urgent ticket cannot go higher and an unassigned
    one has nobody to release, so those ask for nothing (and are not audited as escalations)."""
    return Escalation(
        raise_to=next_priority(priority) if actions.raise_priority else None,
        release=actions.release and assignee_id is not None,
    )


def _first_line(
    assignee_id: UUID | None, department_agents: list[UUID], admins: list[UUID]
) -> list[UUID]:
    # Someone must hear about it: the assignee, else the department queue, else the admins.
    if assignee_id is not None:
        return [assignee_id]
    return list(department_agents) or list(admins)


def warning_recipients(
    *, assignee_id: UUID | None, department_agents: list[UUID], admins: list[UUID]
) -> list[UUID]:
    """A warning goes to whoever can still act in time: the assignee, or when nobody is
    assigned the department's active agents, or with none of those the active admins."""
    return _first_line(assignee_id, department_agents, admins)


def breach_recipients(
    notify: Iterable[Recipient],
    *,
    assignee_id: UUID | None,
    department_agents: list[UUID],
    admins: list[UUID],
) -> list[UUID]:
    """The people the policy's `notify` names, each once, in the policy's order. "assignee" on
    an unassigned ticket means whoever a warning would reach instead."""
    people: list[UUID] = []
    for recipient in notify:
        if recipient is Recipient.ASSIGNEE:
            people += _first_line(assignee_id, department_agents, admins)
        elif recipient is Recipient.DEPARTMENT:
            people += department_agents
        else:
            people += admins
    return list(dict.fromkeys(people))


def apply_escalation(ticket: Ticket, escalation: Escalation, now: datetime) -> UUID | None:
    """Apply a breach's effects to `ticket` (a copy the caller saves); returns the agent it was
    released from, if any. A release clears the assignee like any other release: work in
    progress goes back to `open` for whoever takes it from the queue."""
    released = None
    if escalation.raise_to is not None:
        ticket.priority = escalation.raise_to
    if escalation.release and ticket.assigned_agent_id is not None:
        released = ticket.assigned_agent_id
        reassign(ticket, None, now)
    ensure_invariants(ticket)
    return released
