"""Ticket use cases, on every storage adapter: routing, assignment, updates, overrides,
reclassification, comments, notifications, audit, idempotency and visibility."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import UUID

import pytest

from helpdesk.application.pagination import decode_cursor
from helpdesk.application.tickets.create import CreateTicket
from helpdesk.application.tickets.queries import ListTickets
from helpdesk.domain.errors import (
    Conflict,
    DependencyUnavailable,
    Forbidden,
    NotFound,
    PreconditionFailed,
    ValidationFailed,
)
from helpdesk.domain.taxonomy import Priority, RoutingMode, TicketStatus

from .world import DESCRIPTION, TITLE, World

S = TicketStatus


@pytest.fixture
async def world(storage: Any) -> World:
    return await World.build(storage)


# --- creation: every row of the routing table ---------------------------------------------


async def test_auto_routing_opens_and_assigns(world: World) -> None:
    t = await world.file(network=0.95, hardware=0.02)
    assert (t.status, t.routing_mode, t.department_id) == (
        S.OPEN,
        RoutingMode.AUTO,
        world.dept("it-support"),
    )
    assert t.assigned_agent_id in {a.id for a in world.agents["it-support"]}
    assert t.routing_confidence == 0.95
    assert t.number > 0 and t.version == 1
    assert [e.action for e in await world.audit(t)] == ["ticket.created", "ticket.assigned"]
    told = await world.told(t)
    assert told == {world.user.id: ["ticket_created"], t.assigned_agent_id: ["ticket_assigned"]}


async def test_suggested_routing_waits_in_triage_with_the_department(world: World) -> None:
    t = await world.file(hr=0.7, finance=0.2)
    assert (t.status, t.routing_mode, t.department_id, t.assigned_agent_id) == (
        S.TRIAGE,
        RoutingMode.SUGGESTED,
        world.dept("human-resources"),
        None,
    )
    told = await world.told(t)
    assert told.pop(world.user.id) == ["ticket_created"]
    assert told == {a.id: ["department_queue"] for a in world.agents["human-resources"]}


async def test_a_close_call_is_only_suggested(world: World) -> None:
    t = await world.file(email=0.85, accounts_access=0.80)
    assert t.routing_mode is RoutingMode.SUGGESTED and t.status is S.TRIAGE
    assert "margin 0.05" in t.routing_reason


@pytest.mark.parametrize("answer", [{"network": 0.5}, {"other": 0.99}, None])
async def test_manual_triage_goes_to_the_admins(
    world: World, answer: dict[str, float] | None
) -> None:
    if answer is None:
        world.classifier.answer = None
        t = await world.file()
    else:
        t = await world.file(**answer)
    assert (t.status, t.routing_mode, t.department_id, t.assigned_agent_id) == (
        S.TRIAGE,
        RoutingMode.MANUAL,
        None,
        None,
    )
    assert t.routing_confidence == (None if answer is None else max(answer.values()))
    told = await world.told(t)
    assert told == {world.user.id: ["ticket_created"], world.admin.id: ["triage_needed"]}


async def test_auto_with_nobody_eligible_stays_open_in_the_department_queue(world: World) -> None:
    async with world.storage.unit_of_work() as uow:
        for agent in world.agents["finance"]:
            profile = await uow.profiles.get(agent.id)
            assert profile is not None
            profile.is_available = False
            await uow.profiles.update(profile)
        await uow.commit()
    t = await world.file(finance=0.97)
    assert (t.status, t.routing_mode, t.assigned_agent_id) == (S.OPEN, RoutingMode.AUTO, None)
    told = await world.told(t)
    assert {k for k, v in told.items() if v == ["department_queue"]} == {
        a.id for a in world.agents["finance"]
    }


async def test_assignment_spreads_by_load_then_oldest_assignment(world: World) -> None:
    first = await world.file(network=0.95)
    second = await world.file(network=0.95)
    third = await world.file(network=0.95)
    a, b = first.assigned_agent_id, second.assigned_agent_id
    assert a != b  # the second agent had no load
    assert third.assigned_agent_id == a  # equal loads: a's last assignment is older
    # Resolving a's tickets lowers a's load below b's.
    admin = world.admin
    await world.update(admin, first, status=S.RESOLVED)
    await world.update(admin, third, status=S.RESOLVED)
    fourth = await world.file(network=0.95)
    assert fourth.assigned_agent_id == a


async def test_an_agent_at_their_cap_gets_no_more(world: World) -> None:
    async with world.storage.unit_of_work() as uow:
        for agent in world.agents["identity-access"]:
            profile = await uow.profiles.get(agent.id)
            assert profile is not None
            profile.max_open_tickets = 1
            await uow.profiles.update(profile)
        await uow.commit()
    tickets = [await world.file(accounts_access=0.9) for _ in range(3)]
    assigned = [t.assigned_agent_id for t in tickets]
    assert len(set(assigned[:2])) == 2 and assigned[2] is None


# --- updates -----------------------------------------------------------------------------


async def test_updates_are_audited_and_told(world: World) -> None:
    t = await world.file(network=0.95)
    agent = next(a for a in world.agents["it-support"] if a.id == t.assigned_agent_id)
    updated = await world.update(agent, t, status=S.IN_PROGRESS, priority=Priority.HIGH)
    assert (updated.status, updated.priority, updated.version) == (S.IN_PROGRESS, Priority.HIGH, 2)
    entry = (await world.audit(t))[-1]
    assert entry.action == "ticket.updated" and entry.actor_id == agent.id
    assert entry.metadata["changes"] == {
        "status": {"old": "open", "new": "in_progress"},
        "priority": {"old": "medium", "new": "high"},
    }
    assert (await world.told(t))[world.user.id] == ["ticket_created", "status_changed"]


async def test_a_request_that_changes_nothing_writes_nothing(world: World) -> None:
    t = await world.file(network=0.95)
    same = await world.update(world.admin, t, status=S.OPEN, priority=Priority.MEDIUM)
    assert same.version == 1
    assert len(await world.audit(t)) == 2


async def test_illegal_transitions_conflict(world: World) -> None:
    t = await world.file(hr=0.7)  # triage
    with pytest.raises(Conflict):
        await world.update(world.admin, t, status=S.RESOLVED)
    with pytest.raises(Conflict):  # in progress needs an assignee
        await world.update(world.admin, (await world.file(network=0.5)), status=S.OPEN)


async def test_only_admins_reopen_closed_tickets(world: World) -> None:
    t = await world.file(network=0.95)
    closed = await world.update(world.admin, t, status=S.CLOSED)
    assert closed.resolved_at is not None
    agent = next(a for a in world.agents["it-support"] if a.id == t.assigned_agent_id)
    with pytest.raises(Forbidden):
        await world.update(agent, closed, status=S.OPEN)
    reopened = await world.update(world.admin, closed, status=S.OPEN)
    assert reopened.status is S.OPEN and reopened.resolved_at is None


async def test_implicit_status_changes(world: World) -> None:
    t = await world.file(hr=0.7)  # suggested: triage with a department
    agent = world.agents["human-resources"][0]
    opened = await world.update(world.admin, t, assigned_agent_id=agent.id)
    assert (opened.status, opened.assigned_agent_id) == (S.OPEN, agent.id)
    working = await world.update(agent, opened, status=S.IN_PROGRESS)
    released = await world.update(world.admin, working, assigned_agent_id=None)
    assert (released.status, released.assigned_agent_id) == (S.OPEN, None)


async def test_assignees_must_be_eligible_in_the_department(world: World) -> None:
    t = await world.file(network=0.95)
    with pytest.raises(ValidationFailed) as error:
        await world.update(world.admin, t, assigned_agent_id=world.agents["finance"][0].id)
    assert error.value.errors[0].field == "assigned_agent_id"
    with pytest.raises(ValidationFailed):
        await world.update(world.admin, t, assigned_agent_id=world.admin.id)


async def test_a_department_change_clears_a_foreign_assignee(world: World) -> None:
    t = await world.file(network=0.95)
    moved = await world.update(world.admin, t, department_id=world.dept("finance"))
    assert (moved.department_id, moved.assigned_agent_id, moved.status) == (
        world.dept("finance"),
        None,
        S.OPEN,
    )
    told = await world.told(t)
    assert all(told.get(a.id) == ["department_queue"] for a in world.agents["finance"])


async def test_if_match_and_the_order_of_checks(world: World) -> None:
    t = await world.file(network=0.95)
    with pytest.raises(PreconditionFailed):
        await world.update(world.admin, t, if_match=7, priority=Priority.LOW)
    # 422 (a bad value) comes before 412 (a stale version)…
    with pytest.raises(ValidationFailed):
        await world.update(world.admin, t, if_match=7, department_id=UUID(int=1))
    # …and 412 before 409 (an illegal move).
    with pytest.raises(PreconditionFailed):
        await world.update(world.admin, t, if_match=7, status=S.TRIAGE)
    # Roles first (403 before 404), then visibility (404), whatever the request.
    with pytest.raises(Forbidden):
        await world.update(world.user, t, status=S.CLOSED)
    with pytest.raises(NotFound):
        await world.update(world.agents["finance"][0], t, status=S.CLOSED)


async def test_reopening_with_an_ineligible_assignee_reassigns(world: World) -> None:
    t = await world.file(network=0.95)
    resolved = await world.update(world.admin, t, status=S.RESOLVED)
    async with world.storage.unit_of_work() as uow:
        profile = await uow.profiles.get(t.assigned_agent_id)  # type: ignore[arg-type]
        assert profile is not None
        profile.is_available = False
        await uow.profiles.update(profile)
        await uow.commit()
    reopened = await world.update(world.admin, resolved, status=S.OPEN)
    assert reopened.assigned_agent_id not in (None, t.assigned_agent_id)


# --- overrides and reclassification ------------------------------------------------------


async def test_override_routes_by_hand_and_keeps_what_the_router_said(world: World) -> None:
    t = await world.file(hr=0.7)
    agent = world.agents["human-resources"][0]  # the suggested department's agent
    with pytest.raises(NotFound):  # another department's agent cannot see it
        await world.override(world.agents["it-support"][0], t, "finance")
    done = await world.override(agent, t, "finance", reason="طلب مالي")
    assert (done.department_id, done.status, done.routing_mode, done.routing_overridden) == (
        world.dept("finance"),
        S.OPEN,
        RoutingMode.MANUAL,
        True,
    )
    assert done.routing_reason == "طلب مالي"
    assert done.router_mode is RoutingMode.SUGGESTED
    assert done.assigned_agent_id in {a.id for a in world.agents["finance"]}
    entry = next(e for e in await world.audit(t) if e.action == "ticket.routing_overridden")
    assert entry.metadata["reason"] == "طلب مالي"
    assert entry.metadata["before"]["department_id"] == str(world.dept("human-resources"))
    told = await world.told(t)
    assert told[agent.id] == ["department_queue", "override_receipt"]
    assert "routing_overridden" in told[world.user.id]
    assert told[done.assigned_agent_id] == ["ticket_assigned"]  # type: ignore[index]


async def test_override_refusals(world: World) -> None:
    t = await world.file(network=0.95)
    with pytest.raises(Conflict):
        await world.override(world.admin, t, "it-support")  # same department
    with pytest.raises(ValidationFailed):
        await world.override(world.admin, t, "finance", reason="  ")
    with pytest.raises(ValidationFailed):
        await world.override(world.admin, t, "finance", agent=world.agents["human-resources"][0].id)
    closed = await world.update(world.admin, t, status=S.CLOSED)
    with pytest.raises(Conflict):
        await world.override(world.admin, closed, "finance")


async def test_reclassify_routes_a_triage_ticket_as_at_creation(world: World) -> None:
    t = await world.file(network=0.3)
    routed = await world.reclassify(world.admin, t, network=0.95)
    assert (routed.status, routed.routing_mode, routed.department_id) == (
        S.OPEN,
        RoutingMode.AUTO,
        world.dept("it-support"),
    )
    assert routed.assigned_agent_id is not None
    assert [e.action for e in await world.audit(t)][-2:] == [
        "ticket.reclassified",
        "ticket.assigned",
    ]


async def test_reclassify_moves_a_ticket_only_on_a_confident_new_department(world: World) -> None:
    t = await world.file(network=0.95)
    stays = await world.reclassify(world.admin, t, finance=0.6, network=0.3)
    # suggested to another department: moved, unassigned, open
    assert (stays.department_id, stays.assigned_agent_id, stays.status) == (
        world.dept("finance"),
        None,
        S.OPEN,
    )
    low = await world.reclassify(world.admin, stays, network=0.4)
    assert low.department_id == world.dept("finance") and low.routing_mode is RoutingMode.MANUAL


async def test_reclassify_leaves_a_human_decision_alone(world: World) -> None:
    t = await world.override(world.admin, await world.file(hr=0.7), "finance", reason="قرار")
    again = await world.reclassify(world.admin, t, network=0.99)
    assert (again.department_id, again.routing_mode, again.routing_reason) == (
        world.dept("finance"),
        RoutingMode.MANUAL,
        "قرار",
    )
    assert again.routing_confidence == 0.99 and again.router_mode is RoutingMode.AUTO
    assert again.classification is not None and again.classification.category.value == "network"


async def test_reclassify_without_a_classifier_changes_nothing(world: World) -> None:
    t = await world.file(network=0.95)
    with pytest.raises(DependencyUnavailable):
        await world.reclassify(world.admin, t)
    assert await world.stored(t) == t


# --- comments ----------------------------------------------------------------------------


async def test_comments_notes_and_reopening(world: World) -> None:
    t = await world.file(network=0.95)
    agent = next(a for a in world.agents["it-support"] if a.id == t.assigned_agent_id)
    with pytest.raises(Forbidden):
        await world.comment(world.user, t, internal=True)
    await world.comment(agent, t, "ملاحظة داخلية", internal=True)
    await world.comment(agent, t, "جرب إعادة التشغيل")
    resolved = await world.update(agent, t, status=S.RESOLVED)
    await world.comment(world.user, t, "ما زالت المشكلة قائمة")
    reopened = await world.stored(t)
    assert (reopened.status, reopened.version) == (S.OPEN, resolved.version + 1)
    told = await world.told(t)
    assert told[world.user.id].count("comment_added") == 1
    assert "comment_added" in told[agent.id]
    closed = await world.update(agent, reopened, status=S.CLOSED)
    with pytest.raises(Conflict):
        await world.comment(world.user, closed)
    await world.comment(agent, closed, "ملاحظة", internal=True)  # notes are still fine
    with pytest.raises(NotFound):
        await world.comment(world.other_user, t)


# --- idempotency -------------------------------------------------------------------------


async def test_idempotent_create(world: World) -> None:
    create = world.use_cases.create_ticket()
    first = await create.execute(
        world.user, CreateTicket(TITLE, DESCRIPTION, idempotency_key="abc")
    )
    again = await create.execute(
        world.user, CreateTicket(TITLE, DESCRIPTION, idempotency_key="abc")
    )
    assert not first.replayed and again.replayed and again.ticket.id == first.ticket.id
    with pytest.raises(ValidationFailed) as error:
        await create.execute(
            world.user, CreateTicket(TITLE, DESCRIPTION + " أيضا", idempotency_key="abc")
        )
    assert error.value.errors[0].field == "Idempotency-Key"
    other = await create.execute(
        world.other_user, CreateTicket(TITLE, DESCRIPTION, idempotency_key="abc")
    )
    assert other.ticket.id != first.ticket.id  # keys are the submitter's own


async def test_concurrent_repeats_make_one_ticket(world: World) -> None:
    create = world.use_cases.create_ticket()
    results = await asyncio.gather(
        *(
            create.execute(world.user, CreateTicket(TITLE, DESCRIPTION, idempotency_key="same"))
            for _ in range(5)
        )
    )
    assert len({r.ticket.id for r in results}) == 1
    assert sum(not r.replayed for r in results) == 1


# --- visibility, lists and queues ----------------------------------------------------------


async def test_visibility(world: World) -> None:
    t = await world.file(network=0.95)
    assert (await world.get(world.user, t)).id == t.id
    for outsider in (world.other_user, world.agents["finance"][0]):
        with pytest.raises(NotFound):
            await world.get(outsider, t)
    assert (await world.get(world.agents["it-support"][1], t)).id == t.id  # same department
    assert [x.id for x in await world.list(world.other_user)] == []


async def test_queues_and_pagination(world: World) -> None:
    tickets = [await world.file(network=0.95) for _ in range(4)]
    triaged = await world.file(network=0.6)  # suggested to it-support, in triage
    agent = next(a for a in world.agents["it-support"] if a.id == tickets[0].assigned_agent_id)
    mine = await world.list(agent, queue="mine")
    assert {t.id for t in mine} == {t.id for t in tickets if t.assigned_agent_id == agent.id}
    department = await world.list(agent, queue="department")
    assert [t.id for t in department] == [triaged.id]
    assert [t.id for t in await world.list(world.admin, queue="triage")] == [triaged.id]
    assert await world.list(agent, queue="mine", assigned="none") == []
    use_case = world.use_cases.list_tickets()
    page = await use_case.execute(world.user, ListTickets(limit=2))
    seen = [t.id for t in page.items]
    while page.next_cursor:
        page = await use_case.execute(world.user, ListTickets(limit=2, cursor=page.next_cursor))
        seen += [t.id for t in page.items]
    assert seen == [
        t.id
        for t in sorted([*tickets, triaged], key=lambda t: (t.created_at, t.id.int), reverse=True)
    ]
    first = await use_case.execute(world.user, ListTickets(limit=2))
    with pytest.raises(ValidationFailed) as error:
        await use_case.execute(
            world.user, ListTickets(limit=2, cursor=first.next_cursor, priority=Priority.HIGH)
        )
    assert error.value.errors[0].field == "cursor"
    with pytest.raises(ValidationFailed):
        decode_cursor("garbage!", {})
    with pytest.raises(ValidationFailed):
        await use_case.execute(world.user, ListTickets(limit=500))


async def test_text_search_is_folded(world: World) -> None:
    t = await world.file(network=0.95)
    assert [x.id for x in await world.list(world.user, q="تحتاج الى مساعده")] == [t.id]
    assert await world.list(world.user, q="طابعة") == []
