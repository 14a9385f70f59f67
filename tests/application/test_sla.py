"""Service levels through the use cases, on memory, SQLite and PostgreSQL: due times at
creation on the department's calendar, pauses while waiting, a priority change mid-way, the
first response, reopening, and the SLA pass acting on each crossing exactly once (time moves
through the clock, never by sleeping).

Times: the default calendar (Sunday–Thursday 08:00–16:00 Riyadh, UTC+3). The worked example of
docs/sla.md starts on Thursday 5 March 2026 at 14:30 Riyadh time (11:30 UTC)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from helpdesk.application.tickets.create import CreateTicket
from helpdesk.domain.sla.business_calendar import BusinessCalendar
from helpdesk.domain.sla.clock import SlaState, sla_state
from helpdesk.domain.taxonomy import Category, Priority, TicketStatus

from .world import DESCRIPTION, TITLE, World

RIYADH = timedelta(hours=3)


def riyadh(day: int, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in Riyadh, March 2026, as UTC."""
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC) - RIYADH


@pytest.fixture
async def world(storage: Any) -> World:
    w = await World.build(storage)
    w.clock.at = riyadh(5, 14, 30)
    # Time stands still between the steps, so due times are the round ones of the example.
    w.clock.now = lambda: w.clock.at  # type: ignore[method-assign]
    return w


async def with_holiday(world: World, slug: str, day: date) -> None:
    async with world.storage.unit_of_work() as uow:
        await uow.sla.set_calendar(world.dept(slug), BusinessCalendar(holidays=(day,)))
        await uow.commit()


async def sla_pass(world: World, at: datetime) -> dict[str, int]:
    world.clock.at = at
    report = await world.use_cases.sla_pass().execute()
    return report.as_dict()


async def test_due_times_at_creation_count_working_hours_and_holidays(world: World) -> None:
    await with_holiday(world, "it-support", date(2026, 3, 8))  # Sunday
    t = await world.file(network=0.95)
    assert t.priority is Priority.MEDIUM  # first response 4 h, resolution 24 h
    assert t.clock.first_response_due_at == riyadh(9, 10, 30)  # Thu 1.5 h + Mon 2.5 h
    assert t.clock.resolution_due_at == riyadh(11, 14, 30)  # 1.5 + 8 + 8 + 6.5 h
    assert sla_state(t.clock, world.clock.at) is SlaState.ON_TRACK
    stored = await world.stored(t)
    assert stored.clock.first_response_due_at == riyadh(9, 10, 30)


async def test_a_ticket_of_another_department_keeps_the_default_calendar(world: World) -> None:
    await with_holiday(world, "finance", date(2026, 3, 8))
    t = await world.file(network=0.95)  # IT support: no holiday on Sunday
    assert t.clock.first_response_due_at == riyadh(8, 10, 30)


async def test_the_worked_example(world: World) -> None:
    """docs/sla.md's worked example, step by step, through the use cases."""
    await with_holiday(world, "it-support", date(2026, 3, 8))
    t = await world.file(network=0.95)
    agent = next(a for a in world.agents["it-support"] if a.id == t.assigned_agent_id)
    world.clock.at = riyadh(9, 9, 0)
    await world.comment(agent, t, "نعمل على المشكلة")  # the first response
    t = await world.stored(t)
    assert t.clock.first_responded_at is not None
    assert t.clock.first_response_working == timedelta(hours=2, minutes=30)
    world.clock.at = riyadh(9, 11, 0)
    t = await world.update(agent, t, status=TicketStatus.WAITING)
    assert sla_state(t.clock, riyadh(10, 9, 0)) is SlaState.PAUSED
    world.clock.at = riyadh(10, 10, 0)
    t = await world.update(agent, t, status=TicketStatus.OPEN)
    assert t.clock.resolution_due_at == riyadh(12, 13, 30)  # moved on by the 7-hour wait
    assert t.clock.resolution_warn_at == riyadh(12, 8, 42)
    assert await sla_pass(world, riyadh(12, 9, 0)) == {"warned": 1, "breached": 0, "escalated": 0}
    assert (await world.told(t))[agent.id][-1] == "sla_warning"
    world.clock.at = riyadh(12, 12, 0)
    t = await world.update(agent, t, status=TicketStatus.RESOLVED)
    assert t.clock.resolution_working == timedelta(hours=22, minutes=30)
    assert sla_state(t.clock, riyadh(20, 9, 0)) is SlaState.MET


async def test_a_priority_change_mid_way_retargets_from_the_start(world: World) -> None:
    t = await world.file(network=0.95)  # medium, Thursday 14:30
    world.clock.at = riyadh(5, 15, 0)
    t = await world.update(world.admin, t, priority=Priority.URGENT)  # 30 min / 4 h
    assert t.clock.first_response_due_at == riyadh(5, 15, 0)  # counted from 14:30
    assert t.clock.resolution_due_at == riyadh(8, 10, 30)  # 1.5 h Thursday + 2.5 h Sunday
    assert sla_state(t.clock, riyadh(5, 15, 1)) is SlaState.BREACHED


async def test_a_reopened_ticket_runs_on_from_where_it_stopped(world: World) -> None:
    t = await world.file(network=0.95)
    agent = next(a for a in world.agents["it-support"] if a.id == t.assigned_agent_id)
    world.clock.at = riyadh(8, 10, 0)  # Sunday: 1.5 + 2 = 3.5 working hours used
    t = await world.update(agent, t, status=TicketStatus.RESOLVED)
    world.clock.at = riyadh(9, 10, 0)  # a working day later, the requester writes back
    await world.comment(world.user, t, "ما زالت المشكلة قائمة")
    t = await world.stored(t)
    assert t.status is TicketStatus.OPEN
    # 20.5 of 24 hours left, counted from the reopen: Mon 10:00 + 6 h + 8 h + 6.5 h.
    assert t.clock.resolution_due_at == riyadh(11, 14, 30)


async def test_staff_answers_are_the_first_response_and_others_are_not(world: World) -> None:
    t = await world.file(network=0.95)
    agent = world.agents["it-support"][0]
    await world.comment(world.user, t, "أي جديد؟")
    await world.comment(agent, t, "ملاحظة داخلية", internal=True)
    assert (await world.stored(t)).clock.first_responded_at is None
    world.clock.at = riyadh(8, 9, 0)
    await world.comment(agent, t, "نعمل عليها")
    stored = await world.stored(t)
    assert stored.clock.first_responded_at is not None
    assert stored.clock.first_responded_at >= riyadh(8, 9, 0)
    assert stored.version == t.version + 1
    await world.comment(agent, t, "تحديث آخر")
    assert (await world.stored(t)).clock.first_responded_at == stored.clock.first_responded_at


async def test_the_pass_acts_on_each_crossing_once_and_escalates(world: World) -> None:
    t = await world.file(network=0.95)  # medium: notify assignee + department, raise priority
    assignee = t.assigned_agent_id
    assert await sla_pass(world, riyadh(5, 14, 40)) == {"warned": 0, "breached": 0, "escalated": 0}
    # First response warning at 80% of 4 h = 3 h 12 min: Sunday 09:42.
    assert await sla_pass(world, riyadh(8, 9, 42)) == {"warned": 1, "breached": 0, "escalated": 0}
    assert await sla_pass(world, riyadh(8, 9, 50)) == {"warned": 0, "breached": 0, "escalated": 0}
    assert (await world.told(t))[assignee] == ["ticket_assigned", "sla_warning"]
    # Breached at Sunday 10:30: the assignee and the department told, the priority raised.
    assert await sla_pass(world, riyadh(8, 10, 31)) == {"warned": 0, "breached": 1, "escalated": 1}
    stored = await world.stored(t)
    assert stored.priority is Priority.HIGH
    # Re-targeted on the high policy (1 h / 8 h from the start): the first response stays
    # breached and acted on; the resolution is due Sunday 14:30, warned from 13:00 on.
    assert stored.clock.resolution_due_at == riyadh(8, 14, 30)
    told = await world.told(t)
    assert told[assignee][-1] == "sla_breach"
    for colleague in world.agents["it-support"]:
        if colleague.id != assignee:
            assert told[colleague.id] == ["sla_breach"]
    actions = [e.action for e in await world.audit(t)]
    assert actions[-2:] == ["sla.breached", "sla.escalated"]
    assert actions.count("sla.warning") == 1
    assert actions.count("sla.breached") == 1
    escalated = next(e for e in await world.audit(t) if e.action == "sla.escalated")
    assert escalated.metadata["priority"] == {"old": "medium", "new": "high"}
    assert escalated.actor_id is None
    assert await sla_pass(world, riyadh(8, 11, 0)) == {"warned": 0, "breached": 0, "escalated": 0}
    assert await sla_pass(world, riyadh(8, 13, 0)) == {"warned": 1, "breached": 0, "escalated": 0}
    # Breached on high: raised to urgent, whose 4 h resolution (Sunday 10:30) is long past.
    assert await sla_pass(world, riyadh(8, 14, 31)) == {"warned": 0, "breached": 1, "escalated": 1}
    assert (await world.stored(t)).priority is Priority.URGENT
    assert await sla_pass(world, riyadh(9, 14, 31)) == {"warned": 0, "breached": 0, "escalated": 0}


async def test_a_waiting_ticket_is_not_warned_until_it_runs_again(world: World) -> None:
    t = await world.file(network=0.95)
    agent = next(a for a in world.agents["it-support"] if a.id == t.assigned_agent_id)
    world.clock.at = riyadh(5, 15, 0)
    await world.comment(agent, t, "نحتاج معلومات")
    t = await world.update(agent, t, status=TicketStatus.WAITING)
    assert await sla_pass(world, riyadh(12, 15, 0)) == {"warned": 0, "breached": 0, "escalated": 0}
    world.clock.at = riyadh(15, 8, 0)  # back on Sunday 15 March: half an hour of 24 used
    t = await world.update(agent, t, status=TicketStatus.OPEN)
    assert t.clock.resolution_due_at == riyadh(17, 15, 30)  # 8 + 8 + 7.5 h


async def test_assignment_prefers_the_equally_loaded_agent_with_fewer_tickets_at_risk(
    world: World,
) -> None:
    world.classifier.answer = {Category.NETWORK: 0.95}
    create = world.use_cases.create_ticket()
    first = (await create.execute(world.user, CreateTicket(TITLE, DESCRIPTION))).ticket
    world.clock.at = riyadh(5, 14, 31)
    low = CreateTicket(TITLE, DESCRIPTION, priority=Priority.LOW)  # 8 h to a first response
    second = (await create.execute(world.user, low)).ticket
    assert {first.assigned_agent_id, second.assigned_agent_id} == {
        a.id for a in world.agents["it-support"]
    }
    # Sunday 09:50: the medium ticket is past its warning (09:42), the low one is not. Loads
    # are equal, and the first agent's older assignment would win the old tie-break.
    world.clock.at = riyadh(8, 9, 50)
    third = (await create.execute(world.user, CreateTicket(TITLE, DESCRIPTION))).ticket
    assert third.assigned_agent_id == second.assigned_agent_id


async def test_due_times_follow_the_department_zone_across_a_clock_change(world: World) -> None:
    berlin = BusinessCalendar("Europe/Berlin", (1, 2, 3, 4, 5), "09:00", "17:00")
    async with world.storage.unit_of_work() as uow:
        await uow.sla.set_calendar(world.dept("it-support"), berlin)
        await uow.commit()
    # Friday 27 March 2026, 16:00 in Berlin (UTC+1); clocks go forward on Sunday the 29th.
    world.clock.at = datetime(2026, 3, 27, 15, 0, tzinfo=UTC)
    t = await world.file(network=0.95)
    # 1 h on Friday + 3 h on Monday from 09:00, now UTC+2: Monday 12:00 in Berlin.
    assert t.clock.first_response_due_at == datetime(2026, 3, 30, 10, 0, tzinfo=UTC)
    # 24 h: 1 + 8 + 8 + 7 → Wednesday 16:00 in Berlin.
    assert t.clock.resolution_due_at == datetime(2026, 4, 1, 14, 0, tzinfo=UTC)


async def test_a_breach_can_release_the_ticket_back_to_the_queue(world: World) -> None:
    from helpdesk.application.sla_admin import SlaPolicyPatch
    from helpdesk.domain.sla.policy import BreachActions, Recipient

    policies = await world.use_cases.list_sla_policies().execute(world.admin)
    medium = next(p for p in policies if p.priority is Priority.MEDIUM)
    releasing = BreachActions((Recipient.ADMINS,), raise_priority=False, release=True)
    await world.use_cases.update_sla_policy().execute(
        world.admin, medium.id, SlaPolicyPatch(on_breach=releasing)
    )
    t = await world.file(network=0.95)
    agent = next(a for a in world.agents["it-support"] if a.id == t.assigned_agent_id)
    t = await world.update(agent, t, status=TicketStatus.IN_PROGRESS)  # the first response
    # The resolution (24 working hours) is breached on Wednesday 11 March at 14:30.
    assert await sla_pass(world, riyadh(11, 14, 31)) == {"warned": 0, "breached": 1, "escalated": 1}
    stored = await world.stored(t)
    assert (stored.assigned_agent_id, stored.status) == (None, TicketStatus.OPEN)
    assert stored.priority is Priority.MEDIUM
    escalated = [e for e in await world.audit(t) if e.action == "sla.escalated"]
    assert [e.metadata for e in escalated] == [
        {"target": "resolution", "priority": None, "released_agent_id": str(agent.id)}
    ]
    assert (await world.told(t))[world.admin.id] == ["sla_breach"]
    # Released, the ticket is not acted on again for the same breach.
    assert await sla_pass(world, riyadh(12, 9, 0)) == {"warned": 0, "breached": 0, "escalated": 0}


async def test_a_ticket_whose_policy_was_deleted_still_tells_its_assignee(world: World) -> None:
    t = await world.file(network=0.95)
    assert t.clock.targets is not None
    await world.use_cases.delete_sla_policy().execute(world.admin, t.clock.targets.policy_id)
    assert await sla_pass(world, riyadh(8, 10, 31)) == {"warned": 0, "breached": 1, "escalated": 0}
    assert (await world.told(t))[t.assigned_agent_id][-1] == "sla_breach"  # type: ignore[index]


async def test_warnings_and_breaches_are_also_queued_as_mail(world: World) -> None:
    t = await world.file(network=0.95)  # medium: breaches tell the assignee and the department

    async def queued() -> int:
        async with world.storage.unit_of_work(read_only=True) as uow:
            return sum((await uow.outbox.counts()).values())

    before = await queued()
    assert await sla_pass(world, riyadh(8, 10, 31)) == {"warned": 0, "breached": 1, "escalated": 1}
    told = [who for who, kinds in (await world.told(t)).items() if "sla_breach" in kinds]
    assert len(told) == len(world.agents["it-support"])
    assert await queued() == before + len(told)
