"""Releasing an agent's work when they can no longer do it (docs/rules.md, "Assignment policy")."""

from __future__ import annotations

from helpdesk.domain.people import Profile
from helpdesk.domain.taxonomy import Role


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
