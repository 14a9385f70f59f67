"""Releasing an agent's work when they can no longer do it (domain.md, "Assignment policy")."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from helpdesk.domain.changes import Outcome, diff, reassign
from helpdesk.domain.people import Profile
from helpdesk.domain.taxonomy import Role
from helpdesk.domain.ticket import Ticket, ensure_invariants


def release_reason(before: Profile, after: Profile) -> str | None:
    """Why the agent's active tickets must go to someone else, or None when they keep them.
    Marking an agent unavailable only stops new assignments: it takes no work away."""
    if before.role is not Role.AGENT:
        return None
    if not after.is_active:
        return "deactivated"
    if after.role is not Role.AGENT:
        return "role_changed"
    if after.department_id != before.department_id:
        return "department_changed"
    return None


def release_ticket(ticket: Ticket, new_agent_id: UUID | None, now: datetime) -> Outcome:
    """Hand the ticket to the policy's choice in its department, or leave it in the queue.
    A release clears the assignee, so work in progress goes back to open for whoever takes it."""
    after = ticket.copy()
    reassign(after, None, now)
    after.assigned_agent_id = new_agent_id
    ensure_invariants(after)
    after.version += 1
    after.updated_at = now
    return Outcome(after, diff(ticket, after))
