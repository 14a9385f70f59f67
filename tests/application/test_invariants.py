"""The seven ticket invariants hold after any sequence of use-case calls by any actors."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpdesk.adapters.storage.memory.unit_of_work import MemoryStorage
from helpdesk.application.ports.storage.tickets import TicketFilter
from helpdesk.domain.changes import KEEP
from helpdesk.domain.errors import DomainError
from helpdesk.domain.permissions import TicketScope
from helpdesk.domain.taxonomy import CATEGORIES, Priority, TicketStatus
from helpdesk.domain.ticket import invariant_violations

from .world import World

ACTORS = ("admin", "user", "other", "it0", "it1", "hr0", "finance0", "deactivated")
# Weighted towards requests that can succeed, so that sequences reach interesting states.
STAFF = st.sampled_from(
    ["admin", "admin", "admin", "it0", "it1", "hr0", "finance0", "user", "deactivated"]
)
ASSIGNEE = st.sampled_from(["keep"] * 6 + ["none", "it0", "it1", "hr0", "finance0"])
DEPARTMENT = st.sampled_from(["keep"] * 6 + ["none", "it-support", "finance"])
STATUS = st.sampled_from([None, None, *TicketStatus])
step = st.one_of(
    st.tuples(st.just("file"), st.sampled_from(CATEGORIES), st.floats(0, 1), st.floats(0, 1)),
    st.tuples(
        st.just("update"),
        STAFF,
        st.integers(0, 30),
        STATUS,
        st.sampled_from([None, *Priority]),
        ASSIGNEE,
        DEPARTMENT,
    ),
    st.tuples(
        st.just("override"),
        STAFF,
        st.integers(0, 30),
        st.sampled_from(["it-support", "finance", "facilities"]),
        st.sampled_from([None, None, "it0", "finance0"]),
    ),
    st.tuples(
        st.just("reclassify"),
        STAFF,
        st.integers(0, 30),
        st.sampled_from(CATEGORIES),
        st.floats(0, 1),
    ),
    st.tuples(st.just("comment"), st.sampled_from(ACTORS), st.integers(0, 30), st.booleans()),
)


async def run(steps: list[tuple[Any, ...]]) -> None:
    world = await World.build(MemoryStorage())
    actors = {
        "admin": world.admin,
        "user": world.user,
        "other": world.other_user,
        "it0": world.agents["it-support"][0],
        "it1": world.agents["it-support"][1],
        "hr0": world.agents["human-resources"][0],
        "finance0": world.agents["finance"][0],
    }
    actors["deactivated"] = replace(world.agents["facilities"][0], is_active=False)
    filed: list[Any] = []
    ever_overridden: set[Any] = set()
    for kind, *args in steps:
        try:
            if kind == "file":
                category, top, second = args
                other = CATEGORIES[(CATEGORIES.index(category) + 1) % len(CATEGORIES)]
                filed.append(await world.file(**{str(category): top, str(other): min(second, top)}))
                continue
            if not filed:
                continue
            actor, ticket = actors[args[0]], await world.stored(filed[args[1] % len(filed)])
            if kind == "update":
                status, priority, assignee, department = args[2:]
                await world.update(
                    actor,
                    ticket,
                    status=status,
                    priority=priority,
                    assigned_agent_id=KEEP
                    if assignee == "keep"
                    else None
                    if assignee == "none"
                    else actors[assignee].id,
                    department_id=KEEP
                    if department == "keep"
                    else None
                    if department == "none"
                    else world.dept(department),
                )
            elif kind == "override":
                slug, agent = args[2:]
                await world.override(actor, ticket, slug, agent=actors[agent].id if agent else None)
            elif kind == "reclassify":
                category, confidence = args[2:]
                await world.reclassify(actor, ticket, **{str(category): confidence})
            else:
                await world.comment(actor, ticket, internal=args[2])
        except DomainError:
            pass  # refusals are fine; what matters is the state they leave
        async with world.storage.unit_of_work() as uow:
            stored = await uow.tickets.search(
                TicketScope(everything=True), TicketFilter(), None, 500
            )
            for t in stored:
                assert invariant_violations(t) == [], t
                if t.assigned_agent_id is not None:
                    agent = await uow.profiles.get(t.assigned_agent_id)
                    assert agent is not None and agent.department_id == t.department_id
                if t.id in ever_overridden:
                    assert t.routing_overridden
                if t.routing_overridden:
                    ever_overridden.add(t.id)
                actions = [
                    e.action for e in await uow.audit.for_ticket(t.id, after=None, limit=500)
                ]
                assert actions[0] == "ticket.created"


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(step, min_size=5, max_size=30))
def test_invariants_hold_after_any_sequence(steps: list[tuple[Any, ...]]) -> None:
    asyncio.run(run(steps))
