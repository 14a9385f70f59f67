"""How a ticket changes: updates by staff, routing overrides and reclassification.

Each planner takes the ticket and the facts the use case looked up, checks the request in
docs/rules.md's order (403 role-bound values → 422 request values → 412 If-Match → 409 state),
and returns the changed copy with the list of field changes. Nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from helpdesk.domain.assignment import AgentLoad, is_eligible
from helpdesk.domain.classification import Classification
from helpdesk.domain.departments import Department
from helpdesk.domain.errors import Conflict, PreconditionFailed, ValidationFailed
from helpdesk.domain.labels import HumanLabel, apply_label, label_for
from helpdesk.domain.patch import KEEP, Keep, patched
from helpdesk.domain.people import Actor, Profile
from helpdesk.domain.routing import RoutingDecision
from helpdesk.domain.taxonomy import (
    FINISHED_STATUSES,
    Priority,
    RoutingMode,
    TicketStatus,
)
from helpdesk.domain.ticket import (
    Ticket,
    check_transition,
    check_transition_role,
    ensure_invariants,
    with_status,
)


@dataclass(frozen=True, slots=True)
class TicketUpdate:
    status: TicketStatus | Keep = KEEP
    priority: Priority | Keep = KEEP
    assigned_agent_id: UUID | Keep | None = KEEP
    department_id: UUID | Keep | None = KEEP

    def names_department(self, ticket: Ticket) -> UUID | None:
        """The department the request moves the ticket to (None when it stays or is cleared)."""
        target = self.department_id
        if target is KEEP or target is None or target == ticket.department_id:
            return None
        return target

    def names_assignee(self) -> UUID | None:
        return None if self.assigned_agent_id is KEEP else self.assigned_agent_id


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(slots=True)
class Outcome:
    """The changed ticket (a copy) and what changed on it."""

    ticket: Ticket
    changes: list[FieldChange] = field(default_factory=list)

    def changed(self, name: str) -> FieldChange | None:
        return next((c for c in self.changes if c.field == name), None)

    @property
    def status_change(self) -> FieldChange | None:
        return self.changed("status")

    @property
    def assignee_change(self) -> FieldChange | None:
        return self.changed("assigned_agent_id")

    @property
    def department_change(self) -> FieldChange | None:
        return self.changed("department_id")


TRACKED_FIELDS = ("status", "priority", "department_id", "assigned_agent_id", "human_category")


def diff(before: Ticket, after: Ticket) -> list[FieldChange]:
    return [
        FieldChange(name, getattr(before, name), getattr(after, name))
        for name in TRACKED_FIELDS
        if getattr(before, name) != getattr(after, name)
    ]


def check_if_match(ticket: Ticket, if_match: int | None) -> None:
    if if_match is not None and if_match != ticket.version:
        raise PreconditionFailed(
            f"the ticket is at version {ticket.version}, not {if_match}; reload it and retry"
        )


def check_target_department(department: Department | None, field_name: str) -> Department:
    if department is None:
        raise ValidationFailed.of(field_name, "unknown department")
    if not department.is_active:
        raise ValidationFailed.of(field_name, "the department is inactive")
    return department


def check_assignee(candidate: AgentLoad | None, department_id: UUID | None) -> Profile:
    if candidate is None or not is_eligible(candidate.profile, department_id, candidate.load):
        raise ValidationFailed.of(
            "assigned_agent_id",
            "must be an active, available agent of the ticket's department with room for it",
        )
    return candidate.profile


def _touch(ticket: Ticket, now: datetime) -> None:
    """Every committed change of a ticket is one new version."""
    ticket.version += 1
    ticket.updated_at = now


def plan_update(
    ticket: Ticket,
    request: TicketUpdate,
    *,
    actor: Actor,
    department: Department | None,
    assignee: AgentLoad | None,
    current_assignee: Profile | None,
    if_match: int | None,
    now: datetime,
) -> Outcome:
    """`department`: the one named by `request.department_id` (None if unknown or not named);
    `assignee`: the agent named by `request.assigned_agent_id`, with their load;
    `current_assignee`: the ticket's assignee now (they stay through a department change only
    when they are a member of the new department)."""
    status_target = (
        request.status if request.status is not KEEP and request.status != ticket.status else None
    )
    if status_target is not None:
        check_transition_role(ticket.status, status_target, actor.role)  # 403 before values

    after = ticket.copy()
    department_target = request.department_id
    if department_target is not KEEP and department_target != ticket.department_id:
        if department_target is not None:
            check_target_department(department, "department_id")
            # A move to a department that handles one category says what the ticket is about.
            apply_label(after, label_for(None, department, by=actor.id, at=now))
        after.moved_by_human = after.moved_by_human or ticket.department_id is not None
        after.department_id = department_target
    assignee_target = request.assigned_agent_id
    if assignee_target is not KEEP and assignee_target is not None:
        if (
            assignee_target != ticket.assigned_agent_id
            or after.department_id != ticket.department_id
        ):
            check_assignee(assignee, after.department_id)
        after.assigned_agent_id = assignee_target
    elif assignee_target is None or (
        after.department_id != ticket.department_id
        and (current_assignee is None or current_assignee.department_id != after.department_id)
    ):
        after.assigned_agent_id = None
    after.priority = patched(ticket.priority, request.priority)

    check_if_match(ticket, if_match)

    if status_target is not None:
        check_transition(ticket.status, status_target, actor.role)
        with_status(after, status_target, now)
    else:
        _implicit_status(ticket, after, now)
    # A department-less ticket waits for an admin in triage; anything else could never be
    # reopened or worked.
    dropped = after.department_id is None and ticket.department_id is not None
    if dropped and after.status is not TicketStatus.TRIAGE:
        raise Conflict("only a ticket in triage can be left without a department")
    ensure_invariants(after)
    changes = diff(ticket, after)
    if changes:
        _touch(after, now)
    return Outcome(after, changes)


def _implicit_status(before: Ticket, after: Ticket, now: datetime) -> None:
    """The only implicit moves: an assignee opens a triage ticket that has a department;
    losing the assignee puts an in-progress ticket back to open."""
    if (
        before.status is TicketStatus.TRIAGE
        and after.assigned_agent_id is not None
        and after.department_id is not None
    ) or (before.status is TicketStatus.IN_PROGRESS and after.assigned_agent_id is None):
        with_status(after, TicketStatus.OPEN, now)


def is_reopening(outcome: Outcome) -> bool:
    change = outcome.status_change
    return (
        change is not None and change.old in FINISHED_STATUSES and change.new is TicketStatus.OPEN
    )


def reassign(ticket: Ticket, agent_id: UUID | None, now: datetime) -> None:
    """Hand an active ticket to another agent (or nobody), keeping the status rules."""
    ticket.assigned_agent_id = agent_id
    if agent_id is None and ticket.status is TicketStatus.IN_PROGRESS:
        with_status(ticket, TicketStatus.OPEN, now)


# --- override ---------------------------------------------------------------------------

MAX_REASON = 1000


def check_override(
    ticket: Ticket,
    *,
    department: Department | None,
    assignee: AgentLoad | None,
    assignee_requested: bool,
    reason: str,
    if_match: int | None,
) -> Department:
    """Validate an override request; return the target department."""
    if not reason.strip():
        raise ValidationFailed.of("reason", "a reason is required")
    if len(reason.strip()) > MAX_REASON:
        raise ValidationFailed.of("reason", f"must be at most {MAX_REASON} characters")
    target = check_target_department(department, "department_id")
    if assignee_requested:
        check_assignee(assignee, target.id)
    check_if_match(ticket, if_match)
    if ticket.status in FINISHED_STATUSES:
        raise Conflict(f"a {ticket.status} ticket cannot be re-routed")
    if ticket.department_id == target.id:
        raise Conflict(
            "the ticket is already in that department; accept or re-assign it with an update"
        )
    return target


def apply_override(
    ticket: Ticket,
    *,
    department_id: UUID,
    assignee_id: UUID | None,
    reason: str,
    now: datetime,
    label: HumanLabel | None = None,
) -> Outcome:
    """`label`: the human category the override gives (`labels.label_for`)."""
    after = ticket.copy()
    after.moved_by_human = ticket.moved_by_human or ticket.department_id is not None
    apply_label(after, label)
    after.department_id = department_id
    after.routing_mode = RoutingMode.MANUAL
    after.routing_reason = reason.strip()
    after.routing_overridden = True
    if after.status is TicketStatus.TRIAGE:
        with_status(after, TicketStatus.OPEN, now)
    reassign(after, assignee_id, now)
    ensure_invariants(after)
    _touch(after, now)
    return Outcome(after, diff(ticket, after))


# --- reclassify -------------------------------------------------------------------------


def reroute_target(ticket: Ticket, decision: RoutingDecision) -> UUID | None:
    """The department a reclassification moves the ticket to, or None when it stays put.

    Overridden and finished tickets never move (the human decision stands). A triage ticket is
    routed as at creation. A ticket past triage moves only on an `auto` or `suggested` decision
    for a different department.
    """
    if ticket.routing_overridden or ticket.status in FINISHED_STATUSES:
        return None
    if ticket.status is TicketStatus.TRIAGE:
        return decision.department_id
    if decision.mode is not RoutingMode.MANUAL and decision.department_id != ticket.department_id:
        return decision.department_id
    return None


def apply_reclassification(
    ticket: Ticket,
    classification: Classification,
    decision: RoutingDecision,
    *,
    assignee_id: UUID | None,
    if_match: int | None,
    now: datetime,
) -> Outcome:
    """`assignee_id`: the agent the policy chose, for an `auto` decision that moves the ticket."""
    check_if_match(ticket, if_match)
    after = ticket.copy()
    after.classification = classification
    after.routing_confidence = decision.confidence
    after.router_mode = decision.mode
    after.router_shadow = decision.shadow
    if not (ticket.routing_overridden or ticket.status in FINISHED_STATUSES):
        after.routing_mode = decision.mode
        after.routing_reason = decision.reason
        if ticket.status is TicketStatus.TRIAGE:
            after.department_id = decision.department_id
            if decision.mode is RoutingMode.AUTO:
                after.assigned_agent_id = assignee_id
                with_status(after, TicketStatus.OPEN, now)
        elif reroute_target(ticket, decision) is not None:
            after.department_id = decision.department_id
            with_status(after, TicketStatus.OPEN, now)
            after.assigned_agent_id = assignee_id if decision.mode is RoutingMode.AUTO else None
    # "Moved by a person" is about the router's latest decision: once the router would place
    # the ticket where it now is, the earlier move no longer says the router was wrong.
    if after.moved_by_human and decision.department_id == after.department_id:
        after.moved_by_human = False
    ensure_invariants(after)
    _touch(after, now)
    return Outcome(after, diff(ticket, after))


# --- other changes --------------------------------------------------------------------------


def reopen_by_submitter(ticket: Ticket, now: datetime) -> Outcome:
    """A submitter's public comment on a resolved ticket reopens it (the one implicit move a
    comment makes)."""
    after = ticket.copy()
    with_status(after, TicketStatus.OPEN, now)
    ensure_invariants(after)
    _touch(after, now)
    return Outcome(after, diff(ticket, after))


def drop_department(ticket: Ticket, now: datetime) -> Outcome:
    """A triage ticket whose department was deactivated goes back to admin triage."""
    after = ticket.copy()
    after.department_id = None
    ensure_invariants(after)
    _touch(after, now)
    return Outcome(after, diff(ticket, after))


def release_ticket(ticket: Ticket, new_agent_id: UUID | None, now: datetime) -> Outcome:
    """Hand the ticket to the policy's choice in its department, or leave it in the queue.
    A release clears the assignee, so work in progress goes back to open for whoever takes it."""
    after = ticket.copy()
    reassign(after, None, now)
    after.assigned_agent_id = new_agent_id
    ensure_invariants(after)
    _touch(after, now)
    return Outcome(after, diff(ticket, after))
