"""Who gets a ticket: eligibility and the least-loaded choice (docs/rules.md, "Assignment policy")."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from helpdesk.domain.people import Profile
from helpdesk.domain.taxonomy import Role


@dataclass(frozen=True, slots=True)
class AgentLoad:
    """An agent of a department with the number of active tickets assigned to them and, when
    the caller knows it, how many of those are at risk of missing their SLA (0 when unknown)."""

    profile: Profile
    load: int
    at_risk: int = 0


def is_eligible(agent: Profile, department_id: UUID | None, load: int) -> bool:
    """Role agent, active, available, in the department, and under their cap if they have one."""
    return (
        department_id is not None
        and agent.role is Role.AGENT
        and agent.is_active
        and agent.is_available
        and agent.department_id == department_id
        and (agent.max_open_tickets is None or load < agent.max_open_tickets)
    )


def _tie_break(candidate: AgentLoad) -> tuple[int, int, bool, datetime | None, int]:
    last = candidate.profile.last_assigned_at
    # Load first, always: at-risk counts only order equally loaded agents, so the loads still
    # end within one of each other. Never assigned counts as oldest: (False, None) sorts before
    # (True, any time).
    return (candidate.load, candidate.at_risk, last is not None, last, candidate.profile.id.int)


def choose_agent(candidates: Iterable[AgentLoad], department_id: UUID) -> Profile | None:
    """Lowest load; then fewest tickets at risk; then oldest last assignment (never first); then
    lowest id. Deterministic."""
    eligible = [c for c in candidates if is_eligible(c.profile, department_id, c.load)]
    if not eligible:
        return None
    return min(eligible, key=_tie_break).profile
