"""The at-risk tie-break: among equally loaded eligible agents, the one with fewest tickets at
risk of missing their SLA gets the next ticket; load still comes first, so fairness holds."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from helpdesk.domain.assignment import AgentLoad, choose_agent
from helpdesk.domain.people import Profile
from helpdesk.domain.taxonomy import Role

DEPT = uuid.uuid4()
T = datetime(2026, 1, 1, tzinfo=UTC)


def agent(n: int, last: datetime | None = None) -> Profile:
    return Profile(
        uuid.UUID(int=n),
        f"a{n}@x",
        "",
        Role.AGENT,
        DEPT,
        is_active=True,
        is_available=True,
        max_open_tickets=None,
        created_at=T,
        last_assigned_at=last,
    )


def test_fewest_at_risk_wins_among_equal_loads_before_the_older_tie_breaks() -> None:
    # Agent 1 was assigned long ago and has the lowest id, but has two tickets at risk.
    veteran = AgentLoad(agent(1, T - timedelta(days=9)), load=3, at_risk=2)
    calm = AgentLoad(agent(2, T), load=3, at_risk=0)
    assert choose_agent([veteran, calm], DEPT) == calm.profile


def test_load_still_comes_first() -> None:
    busy_but_calm = AgentLoad(agent(1), load=4, at_risk=0)
    lighter_but_at_risk = AgentLoad(agent(2), load=3, at_risk=3)
    assert choose_agent([busy_but_calm, lighter_but_at_risk], DEPT) == lighter_but_at_risk.profile


def test_equal_at_risk_counts_fall_back_to_the_old_tie_breaks() -> None:
    older = AgentLoad(agent(5, T - timedelta(hours=1)), load=1, at_risk=1)
    newer = AgentLoad(agent(4, T), load=1, at_risk=1)
    assert choose_agent([newer, older], DEPT) == older.profile
    never = AgentLoad(agent(6), load=1, at_risk=1)
    assert choose_agent([newer, older, never], DEPT) == never.profile


def test_callers_that_do_not_know_the_risk_get_the_old_policy() -> None:
    assert AgentLoad(agent(1), 2).at_risk == 0


candidates = st.lists(
    st.tuples(st.integers(0, 5), st.integers(0, 5), st.integers(0, 3)),
    min_size=1,
    max_size=8,
)


@given(candidates, st.randoms(use_true_random=False))
def test_the_choice_is_deterministic_whatever_the_order(
    specs: list[tuple[int, int, int]], rng: random.Random
) -> None:
    loads = [
        AgentLoad(agent(i, None if age == 0 else T - timedelta(hours=age)), load, at_risk)
        for i, (load, at_risk, age) in enumerate(specs)
    ]
    shuffled = list(loads)
    rng.shuffle(shuffled)
    chosen = choose_agent(loads, DEPT)
    assert chosen == choose_agent(shuffled, DEPT)
    assert chosen is not None
    least = min(c.load for c in loads)
    fewest = min(c.at_risk for c in loads if c.load == least)
    picked = next(c for c in loads if c.profile == chosen)
    assert (picked.load, picked.at_risk) == (least, fewest)


@given(
    st.integers(2, 6),
    st.lists(st.integers(0, 5), min_size=1, max_size=40),
    st.data(),
)
def test_loads_stay_within_one_whatever_the_risk(
    agents: int, risk_changes: list[int], data: st.DataObject
) -> None:
    """Tickets assigned one after another from equal loads, while at-risk counts move around
    arbitrarily: the spread of loads never exceeds one."""
    loads = dict.fromkeys(range(agents), 0)
    at_risk = dict.fromkeys(range(agents), 0)
    last: dict[int, datetime | None] = dict.fromkeys(range(agents))
    for step, change in enumerate(risk_changes):
        at_risk[data.draw(st.integers(0, agents - 1))] = change
        pool = [AgentLoad(agent(i, last[i]), loads[i], at_risk[i]) for i in range(agents)]
        chosen = choose_agent(pool, DEPT)
        assert chosen is not None
        loads[chosen.id.int] += 1
        last[chosen.id.int] = T + timedelta(minutes=step)
        assert max(loads.values()) - min(loads.values()) <= 1
