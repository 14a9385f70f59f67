"""The seven ticket invariants hold after any sequence of use-case calls by any actors.

Each run records what it did with hypothesis `event` (which operations ran, which changed a
ticket, which were refused and why) and `target` (how many changes it made), and a run in which
every request was refused fails: an implementation that refuses everything would otherwise keep
every invariant. `pytest --hypothesis-show-statistics` shows the spread; the strategies are
weighted so that most runs change their tickets several times."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, replace
from typing import Any
from uuid import UUID

from hypothesis import HealthCheck, event, given, settings, target
from hypothesis import strategies as st

from helpdesk.adapters.storage.memory.unit_of_work import MemoryStorage
from helpdesk.application.ports.storage.tickets import TicketFilter
from helpdesk.domain.changes import KEEP
from helpdesk.domain.errors import DomainError, ValidationFailed
from helpdesk.domain.people import Actor
from helpdesk.domain.permissions import TicketScope
from helpdesk.domain.taxonomy import CATEGORIES, Priority, TicketStatus
from helpdesk.domain.ticket import Ticket, invariant_violations

from .world import World

# Who acts. "assignee" and "colleague" (an agent of the ticket's department) are resolved
# against the ticket at hand, so that most requests come from someone who may make them; the
# others are there to be refused now and then. Hypothesis leans towards the first element of a
# list and the first alternative of `one_of` (its simplest values), so those are the ones most
# likely to succeed: an admin, a submitter's public comment, a move to in progress.
STAFF = st.sampled_from(
    ["admin"] * 4
    + ["assignee"] * 4
    + ["colleague"] * 3
    + ["it0", "hr0", "finance0", "user", "deactivated"]
)
ANYONE = st.sampled_from(
    ["user"] * 3
    + ["admin"] * 2
    + ["assignee"] * 2
    + ["colleague", "other", "finance0", "deactivated"]
)
TICKET = st.integers(0, 30)  # which filed ticket, modulo how many there are
S = TicketStatus
# An update asks for one to three changes (a later one of a field wins), never none.
CHANGE = st.one_of(
    st.tuples(st.just("status"), st.sampled_from([S.IN_PROGRESS, *S])),
    st.tuples(st.just("priority"), st.sampled_from([Priority.HIGH, *Priority])),
    st.tuples(
        st.just("assignee"), st.sampled_from(["colleague"] * 3 + ["none", "it0", "finance0"])
    ),
    st.tuples(st.just("department"), st.sampled_from(["it-support", "finance"] * 2 + ["none"])),
)
# Half the filings are confident enough to be routed and assigned, half land in triage.
filing = st.tuples(
    st.just("file"),
    st.sampled_from(CATEGORIES),
    st.floats(0.8, 1) | st.floats(0, 1),
    st.floats(0, 0.2) | st.floats(0, 1),
)
update = st.tuples(
    st.just("update"),
    STAFF,
    TICKET,
    st.builds(lambda first, more: [first, *more], CHANGE, st.lists(CHANGE, max_size=2)),
)
step = st.one_of(
    st.tuples(st.just("comment"), ANYONE, TICKET, st.sampled_from([False, False, True])),
    update,
    update,  # twice as likely: updates drive the status machine
    st.tuples(
        st.just("override"),
        STAFF,
        TICKET,
        st.sampled_from(["finance", "it-support", "facilities"]),
        st.sampled_from([None, None, "colleague", "finance0"]),
    ),
    st.tuples(st.just("reclassify"), STAFF, TICKET, st.sampled_from(CATEGORIES), st.floats(0, 1)),
    filing,
)
# Every run files first, so that no run is vacuous for want of a ticket.
runs = st.builds(
    lambda first, rest: first + rest,
    st.lists(filing, min_size=1, max_size=3),
    st.lists(step, min_size=4, max_size=30),
)


@dataclass
class Record:
    """What a run did: one outcome per step, and the counts the statistics are made of."""

    outcomes: list[str] = field(default_factory=list)
    filed: int = 0
    changes: int = 0  # successful requests that changed a filed ticket or its conversation
    updates: int = 0  # of which updates (status, priority, assignee, department)

    def refused(self, kind: str, error: DomainError) -> None:
        if isinstance(error, ValidationFailed):  # its messages carry values: name the fields
            why = "invalid " + ", ".join(sorted({e.field for e in error.errors}))
        else:
            why = error.detail
        self.outcomes.append(f"{kind}: refused, {type(error).__name__}: {why}")


class Cast:
    """The actors of a run, by name; some names depend on the ticket."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.fixed = {
            "admin": world.admin,
            "user": world.user,
            "other": world.other_user,
            "it0": world.agents["it-support"][0],
            "hr0": world.agents["human-resources"][0],
            "finance0": world.agents["finance"][0],
            "deactivated": replace(world.agents["facilities"][0], is_active=False),
        }
        self.by_department: dict[UUID | None, list[Actor]] = {
            world.dept(slug): agents for slug, agents in world.agents.items()
        }

    def colleague(self, ticket: Ticket) -> Actor:
        """An agent of the ticket's department other than its assignee, else any of them,
        else the admin."""
        agents = self.by_department.get(ticket.department_id, [])
        others = [a for a in agents if a.id != ticket.assigned_agent_id]
        return (others or agents or [self.world.admin])[0]

    def __call__(self, name: str, ticket: Ticket) -> Actor:
        if name == "colleague":
            return self.colleague(ticket)
        if name == "assignee":
            agents = self.by_department.get(ticket.department_id, [])
            mine = (a for a in agents if a.id == ticket.assigned_agent_id)
            return next(mine, self.colleague(ticket))
        return self.fixed[name]


def update_fields(changes: dict[str, Any], cast: Cast, ticket: Ticket) -> dict[str, Any]:
    """The fields of an update: what is not asked for is kept; a colleague is one of the
    department the ticket ends up in."""
    fields: dict[str, Any] = {
        "status": changes.get("status"),
        "priority": changes.get("priority"),
        "assigned_agent_id": KEEP,
        "department_id": KEEP,
    }
    if "department" in changes:
        slug = changes["department"]
        fields["department_id"] = None if slug == "none" else cast.world.dept(slug)
        ticket = replace(ticket, department_id=fields["department_id"])
    if "assignee" in changes:
        who = changes["assignee"]
        if who == "none" or (who == "colleague" and ticket.department_id is None):
            fields["assigned_agent_id"] = None
        else:
            fields["assigned_agent_id"] = cast(who, ticket).id
    return fields


async def run(steps: list[tuple[Any, ...]]) -> Record:
    record = Record()
    world = await World.build(MemoryStorage())
    cast = Cast(world)
    filed: list[Any] = []
    ever_overridden: set[Any] = set()
    for kind, *args in steps:
        ticket: Ticket | None = None
        try:
            if kind == "file":
                category, top, second = args
                other = CATEGORIES[(CATEGORIES.index(category) + 1) % len(CATEGORIES)]
                filed.append(await world.file(**{str(category): top, str(other): min(second, top)}))
                record.filed += 1
                record.outcomes.append("file: ok")
                continue
            if not filed:  # every filing was refused
                record.outcomes.append(f"{kind}: skipped, nothing filed")
                continue
            ticket = await world.stored(filed[args[1] % len(filed)])
            actor = cast(args[0], ticket)
            if kind == "update":
                await world.update(actor, ticket, **update_fields(dict(args[2]), cast, ticket))
            elif kind == "override":
                slug, agent = args[2:]
                chosen = None
                if agent == "colleague":
                    chosen = cast.colleague(replace(ticket, department_id=world.dept(slug))).id
                elif agent:
                    chosen = cast(agent, ticket).id
                await world.override(actor, ticket, slug, agent=chosen)
            elif kind == "reclassify":
                category, confidence = args[2:]
                await world.reclassify(actor, ticket, **{str(category): confidence})
            else:
                await world.comment(actor, ticket, internal=args[2])
        except DomainError as error:
            record.refused(kind, error)  # refusals are fine; what matters is the state they leave
        else:
            assert ticket is not None
            changed = kind == "comment" or (await world.stored(ticket)).version > ticket.version
            record.changes += changed
            record.updates += changed and kind == "update"
            record.outcomes.append(f"{kind}: ok" if changed else f"{kind}: ok, nothing to change")
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
    return record


def bucket(n: int) -> str:
    return "0" if n == 0 else "1-2" if n <= 2 else "3-5" if n <= 5 else "6+"


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(runs)
def test_invariants_hold_after_any_sequence(steps: list[tuple[Any, ...]]) -> None:
    record = asyncio.run(run(steps))
    for outcome in set(record.outcomes):
        event(outcome)
    event(f"changes to filed tickets in the run: {bucket(record.changes)}")
    event(f"of which updates: {bucket(record.updates)}")
    target(float(record.changes), label="changes to filed tickets")
    target(float(record.updates), label="updates that changed a ticket")
    assert record.filed + record.changes > 0, f"every request was refused: {record.outcomes}"
