"""The ticket aggregate, its status transitions and invariants."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from helpdesk.domain.classification import Classification
from helpdesk.domain.errors import Conflict, Forbidden
from helpdesk.domain.routing import RoutingDecision
from helpdesk.domain.sla.clock import SlaClock
from helpdesk.domain.taxonomy import (
    ACTIVE_STATUSES,
    FINISHED_STATUSES,
    Category,
    Channel,
    Priority,
    Role,
    RoutingMode,
    TicketStatus,
)

S = TicketStatus
TRANSITIONS: dict[TicketStatus, frozenset[TicketStatus]] = {
    S.TRIAGE: frozenset({S.OPEN, S.CLOSED}),
    S.OPEN: frozenset({S.IN_PROGRESS, S.WAITING, S.RESOLVED, S.CLOSED, S.TRIAGE}),
    S.IN_PROGRESS: frozenset({S.OPEN, S.WAITING, S.RESOLVED, S.CLOSED}),
    S.WAITING: frozenset({S.OPEN, S.IN_PROGRESS, S.RESOLVED, S.CLOSED}),
    S.RESOLVED: frozenset({S.OPEN, S.CLOSED}),
    S.CLOSED: frozenset({S.OPEN}),
}
# Transitions in the table that only some roles may make.
RESTRICTED_TRANSITIONS: dict[tuple[TicketStatus, TicketStatus], frozenset[Role]] = {
    (S.CLOSED, S.OPEN): frozenset({Role.ADMIN}),
}


def check_transition_role(current: TicketStatus, target: TicketStatus, role: Role) -> None:
    """Forbidden for a move in the table that the role may not make (checked before values)."""
    allowed = RESTRICTED_TRANSITIONS.get((current, target))
    if allowed is not None and role not in allowed:
        raise Forbidden(
            f"only {', '.join(sorted(allowed))} may move a ticket from {current} to {target}"
        )


def check_transition(current: TicketStatus, target: TicketStatus, role: Role) -> None:
    """Raise Conflict for a move outside the table, Forbidden for one the role may not make."""
    if target not in TRANSITIONS[current]:
        raise Conflict(f"a ticket cannot move from {current} to {target}")
    check_transition_role(current, target, role)


@dataclass(slots=True)
class Ticket:
    id: UUID
    number: int  # 0 until storage gives it one
    title: str
    description: str
    status: TicketStatus
    priority: Priority
    submitter_id: UUID
    department_id: UUID | None
    assigned_agent_id: UUID | None
    classification: Classification | None
    routing_mode: RoutingMode
    routing_confidence: float | None
    routing_reason: str
    routing_overridden: bool
    # What the router itself decided (at creation or the last reclassify): stats count it,
    # even after a human override changed what the ticket shows.
    router_mode: RoutingMode
    version: int
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None = None
    channel: Channel = Channel.WEB
    # What a human said the ticket is about (domain/labels.py), who said it and when: kept
    # beside the model's classification, which never replaces it.
    human_category: Category | None = None
    human_category_by: UUID | None = None
    human_category_at: datetime | None = None
    # A human moved the ticket away from a department it was in (an override, or a PATCH of
    # the department): the routing-quality report's "moved" and the evidence for thresholds.
    moved_by_human: bool = False
    # The router would have routed automatically, but the category is in shadow mode: the
    # ticket went to triage with the suggestion instead.
    router_shadow: bool = False
    # The service-level clock (domain/sla/clock.py); None only for a ticket built before its
    # clock was started (`clock` then gives the bare clock of its creation).
    sla: SlaClock | None = None

    @property
    def clock(self) -> SlaClock:
        return self.sla if self.sla is not None else SlaClock(started_at=self.created_at)

    @classmethod
    def file(
        cls,
        *,
        id: UUID,
        title: str,
        description: str,
        priority: Priority,
        submitter_id: UUID,
        classification: Classification | None,
        decision: RoutingDecision,
        assignee_id: UUID | None,
        now: datetime,
        channel: Channel = Channel.WEB,
    ) -> Ticket:
        """A new ticket as the router placed it."""
        ticket = cls(
            id=id,
            number=0,
            title=title,
            description=description,
            status=decision.status,
            priority=priority,
            submitter_id=submitter_id,
            department_id=decision.department_id,
            assigned_agent_id=assignee_id if decision.mode is RoutingMode.AUTO else None,
            classification=classification,
            routing_mode=decision.mode,
            routing_confidence=decision.confidence,
            routing_reason=decision.reason,
            routing_overridden=False,
            router_mode=decision.mode,
            router_shadow=decision.shadow,
            version=1,
            created_at=now,
            updated_at=now,
            sla=SlaClock(started_at=now),  # no targets until the use case applies a policy
            channel=channel,
        )
        ensure_invariants(ticket)
        return ticket

    def copy(self) -> Ticket:
        return replace(self)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def category(self) -> str | None:
        return self.classification.category if self.classification else None


def with_status(ticket: Ticket, status: TicketStatus, now: datetime) -> None:
    """Set the status and keep `resolved_at` in step with it (invariant 7)."""
    ticket.status = status
    if status in FINISHED_STATUSES:
        if ticket.resolved_at is None:
            ticket.resolved_at = now
    else:
        ticket.resolved_at = None


def invariant_violations(ticket: Ticket) -> list[str]:
    """The invariants of docs/rules.md that `ticket` breaks (empty when it is sound).

    Invariant 1's "belonged to that department when assigned" and invariant 5 (overridden never
    goes back) span time; they are checked where assignments and overrides happen.
    """
    problems: list[str] = []
    if ticket.assigned_agent_id is not None and ticket.department_id is None:
        problems.append("an assigned ticket needs a department")
    if ticket.status is S.TRIAGE and ticket.assigned_agent_id is not None:
        problems.append("a ticket in triage cannot have an assignee")
    if ticket.status in ACTIVE_STATUSES and ticket.department_id is None:
        problems.append(f"a ticket that is {ticket.status} needs a department")
    if ticket.status is S.IN_PROGRESS and ticket.assigned_agent_id is None:
        problems.append("a ticket in progress needs an assignee")
    if ticket.routing_confidence is not None and not 0.0 <= ticket.routing_confidence <= 1.0:
        problems.append("routing confidence must be within [0, 1]")
    if not isinstance(ticket.routing_mode, RoutingMode):
        problems.append("unknown routing mode")
    if (ticket.resolved_at is not None) != (ticket.status in FINISHED_STATUSES):
        problems.append("resolved_at is set exactly when the ticket is resolved or closed")
    label = (ticket.human_category, ticket.human_category_by, ticket.human_category_at)
    if any(v is None for v in label) and any(v is not None for v in label):
        problems.append("a human category needs who set it and when, and nothing else does")
    return problems


def ensure_invariants(ticket: Ticket) -> None:
    problems = invariant_violations(ticket)
    if problems:
        raise Conflict("; ".join(problems))
