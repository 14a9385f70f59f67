"""The SLA states as SQL conditions on the ticket's clock columns (docs/sla.md, "What the
storage side can compute from it"): lists filter by them, assignment counts at-risk tickets."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, and_, bindparam, func, not_, or_, select, text

from helpdesk.adapters.storage.sql.tables import SLA_WARNING_PREDICATE, tickets
from helpdesk.adapters.storage.sql.types import UtcDateTime


def _at(now: datetime | BindParameter[datetime]) -> Any:
    """An instant as a bound value (or a named bind parameter given later, for statements
    built once)."""
    if isinstance(now, BindParameter):
        return now
    return bindparam(None, now, type_=UtcDateTime())


def breached_at(now: datetime | BindParameter[datetime]) -> ColumnElement[bool]:
    """Either target breached at `now` (the clock stands still while waiting or resolved).
    Every term is true or false, never NULL, so that `not_(breached_at(now))` means "not
    breached" (SQL's NOT NULL would drop the row)."""
    c = tickets.c
    instant = func.coalesce(c.resolved_at, c.sla_paused_since, _at(now))
    first_due = c.first_response_due_at.is_not(None)
    return or_(
        and_(
            first_due,
            c.first_responded_at.is_not(None),
            c.first_responded_at > c.first_response_due_at,
        ),
        and_(first_due, c.first_responded_at.is_(None), instant > c.first_response_due_at),
        and_(c.resolution_due_at.is_not(None), instant > c.resolution_due_at),
    )


def _first_response_warned(now: datetime | BindParameter[datetime]) -> ColumnElement[bool]:
    c = tickets.c
    return and_(c.first_responded_at.is_(None), c.first_response_warn_at <= _at(now))


def _resolution_warned(now: datetime | BindParameter[datetime]) -> ColumnElement[bool]:
    warned: ColumnElement[bool] = tickets.c.resolution_warn_at <= _at(now)
    return warned


def at_risk_at(now: datetime | BindParameter[datetime]) -> ColumnElement[bool]:
    """Past a running target's warning instant, not breached, not resolved, not waiting."""
    c = tickets.c
    return and_(
        c.resolution_due_at.is_not(None),
        c.resolved_at.is_(None),
        c.sla_paused_since.is_(None),
        or_(_first_response_warned(now), _resolution_warned(now)),
        not_(breached_at(now)),
    )


def at_risk_count(agent_id: Any, now: BindParameter[datetime]) -> Any:
    """How many of the agent's active tickets are at risk at `now` (as `at_risk_at` says), as
    a sum of two counts that each read one warning index by range: the tickets whose first
    response warning has come, and those whose resolution warning has come and whose first
    response warning has not (so none is counted twice). Counting with `at_risk_at`'s OR
    instead made the planner read every candidate ticket of the agent."""
    c = tickets.c
    # The warning indexes' own condition, word for word, so that the planner sees it implied
    # (the status list and the acted-on breaches are literals there). Unqualified, its columns
    # are the tickets' (the nearest FROM).
    candidates = (
        c.assigned_agent_id == agent_id,
        text(SLA_WARNING_PREDICATE),
        not_(breached_at(now)),
    )
    first = select(func.count()).where(*candidates, _first_response_warned(now))
    resolution = select(func.count()).where(
        *candidates,
        _resolution_warned(now),
        # Not the first count's (`_first_response_warned` negated with every term true or
        # false, never NULL).
        or_(
            c.first_responded_at.is_not(None),
            c.first_response_warn_at.is_(None),
            c.first_response_warn_at > now,
        ),
    )
    return first.scalar_subquery() + resolution.scalar_subquery()
