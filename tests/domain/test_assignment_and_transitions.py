"""Eligibility, the least-loaded choice, transitions and invariants."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpdesk.domain.assignment import AgentLoad, choose_agent, is_eligible
from helpdesk.domain.errors import Conflict, Forbidden
from helpdesk.domain.people import Profile
from helpdesk.domain.reporting import confidence_bin
from helpdesk.domain.taxonomy import Role, TicketStatus
from helpdesk.domain.ticket import TRANSITIONS, check_transition

DEPT = uuid.uuid4()
T = datetime(2026, 1, 1, tzinfo=UTC)


def agent(n: int, *, last: datetime | None = None, **kw: object) -> Profile:
    fields: dict[str, object] = dict(
        role=Role.AGENT,
        department_id=DEPT,
        is_active=True,
        is_available=True,
        max_open_tickets=None,
    )
    fields.update(kw)
    return Profile(uuid.UUID(int=n), f"a{n}@x", "", created_at=T, last_assigned_at=last, **fields)  # type: ignore[arg-type]


def test_lowest_load_wins_then_oldest_assignment_then_lowest_id() -> None:
    a, b, c = agent(3), agent(1, last=T), agent(2, last=T - timedelta(hours=1))
    assert choose_agent([AgentLoad(a, 2), AgentLoad(b, 1), AgentLoad(c, 1)], DEPT) == c
    # Never assigned counts as oldest.
    assert choose_agent([AgentLoad(b, 1), AgentLoad(agent(9), 1)], DEPT) == agent(9)
    # Equal in everything: lowest id.
    assert choose_agent([AgentLoad(agent(5), 0), AgentLoad(agent(4), 0)], DEPT) == agent(4)


@pytest.mark.parametrize(
    "profile",
    [
        agent(1, is_active=False),
        agent(1, is_available=False),
        agent(1, role=Role.ADMIN),
        agent(1, department_id=uuid.uuid4()),
        agent(1, max_open_tickets=2),  # at its cap with a load of 2
    ],
)
def test_ineligible_agents_are_skipped(profile: Profile) -> None:
    assert not is_eligible(profile, DEPT, 2)
    assert choose_agent([AgentLoad(profile, 2)], DEPT) is None


@given(st.lists(st.integers(0, 20), min_size=1, max_size=8))
def test_the_choice_is_always_a_least_loaded_eligible_agent(loads: list[int]) -> None:
    candidates = [AgentLoad(agent(i), load) for i, load in enumerate(loads)]
    chosen = choose_agent(candidates, DEPT)
    assert chosen is not None
    assert loads[chosen.id.int] == min(loads)


ALL = list(TicketStatus)


@pytest.mark.parametrize("current", ALL)
@pytest.mark.parametrize("target", ALL)
def test_transitions_follow_the_table(current: TicketStatus, target: TicketStatus) -> None:
    if current == target:
        return
    if target not in TRANSITIONS[current]:
        with pytest.raises(Conflict):
            check_transition(current, target, Role.ADMIN)
        return
    check_transition(current, target, Role.ADMIN)
    if (current, target) == (TicketStatus.CLOSED, TicketStatus.OPEN):
        with pytest.raises(Forbidden):
            check_transition(current, target, Role.AGENT)
    else:
        check_transition(current, target, Role.AGENT)


@pytest.mark.parametrize(
    ("confidence", "bins", "expected"),
    [
        (0.0, 10, 0),
        (0.29, 10, 2),
        (0.3, 10, 3),
        (0.7, 10, 7),
        (0.9999995, 10, 9),
        (1.0, 10, 9),
        (0.29, 100, 29),
        (1.0, 1, 0),
    ],
)
def test_confidence_bins(confidence: float, bins: int, expected: int) -> None:
    assert confidence_bin(confidence, bins) == expected


@given(st.floats(0.0, 1.0), st.integers(1, 100))
def test_every_confidence_has_a_bin(confidence: float, bins: int) -> None:
    assert 0 <= confidence_bin(confidence, bins) < bins
