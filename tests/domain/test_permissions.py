"""Visibility and workability by role (docs/rules.md, "Visibility and permissions")."""

from __future__ import annotations

import pytest

from helpdesk.domain.errors import Forbidden, NotFound
from helpdesk.domain.people import Actor
from helpdesk.domain.permissions import (
    ADMINS,
    STAFF,
    ensure_visible,
    ensure_workable,
    require_role,
)
from helpdesk.domain.taxonomy import Role

from .builders import (
    ADMIN_ACTOR,
    FINANCE,
    FINANCE_AGENT,
    IT_AGENT,
    SUBMITTER,
    SUBMITTER_ACTOR,
    ticket,
)


def test_roles_and_deactivation_are_checked_first() -> None:
    require_role(ADMIN_ACTOR, ADMINS)
    with pytest.raises(Forbidden):
        require_role(IT_AGENT, ADMINS)
    with pytest.raises(Forbidden):
        require_role(Actor(id=SUBMITTER, role=Role.END_USER, is_active=False), frozenset(Role))
    require_role(IT_AGENT, STAFF)


def test_an_invisible_ticket_does_not_exist_for_the_caller() -> None:
    someone_elses = ticket(
        submitter_id=FINANCE_AGENT.id, department_id=FINANCE, assigned_agent_id=None
    )
    with pytest.raises(NotFound):
        ensure_visible(SUBMITTER_ACTOR, someone_elses)
    with pytest.raises(NotFound):
        ensure_visible(IT_AGENT, someone_elses)
    with pytest.raises(NotFound):
        ensure_visible(ADMIN_ACTOR, None)
    assert ensure_visible(ADMIN_ACTOR, someone_elses) is someone_elses


def test_agents_work_their_department_and_their_assignments() -> None:
    it_ticket = ticket(assigned_agent_id=None)
    assert ensure_workable(IT_AGENT, it_ticket) is it_ticket
    assigned_elsewhere = ticket(department_id=FINANCE, assigned_agent_id=IT_AGENT.id)
    assert ensure_workable(IT_AGENT, assigned_elsewhere) is assigned_elsewhere


def test_an_agents_own_ticket_in_another_department_is_visible_but_not_workable() -> None:
    own = ticket(submitter_id=FINANCE_AGENT.id, assigned_agent_id=None)
    assert ensure_visible(FINANCE_AGENT, own) is own
    with pytest.raises(Forbidden):
        ensure_workable(FINANCE_AGENT, own)


def test_end_users_see_their_own_and_work_none() -> None:
    own = ticket()
    assert ensure_visible(SUBMITTER_ACTOR, own) is own
    with pytest.raises(Forbidden):
        ensure_workable(SUBMITTER_ACTOR, own)
