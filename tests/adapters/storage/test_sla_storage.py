"""Service-level storage, the same on memory, SQLite and PostgreSQL: policies and calendars
round-trip, a ticket's SLA clock round-trips column for column, the SLA pass reads only tickets
whose check has come, a crossing is marked once, and the at-risk counts agree with the domain's
`sla_state`."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from helpdesk.domain.sla.business_calendar import BusinessCalendar
from helpdesk.domain.sla.clock import (
    Crossing,
    Point,
    Target,
    follow_status,
    mark_acted,
    start_clock,
)
from helpdesk.domain.sla.policy import BreachActions, Recipient, SlaPolicy
from helpdesk.domain.taxonomy import Category, Priority, Role, RoutingMode, TicketStatus

from .builders import T0, department, manual_ticket, profile, seed, ticket

CALENDAR = BusinessCalendar()  # Sunday–Thursday 08:00–16:00 Riyadh; T0 is a Sunday, 12:00 there


def policy(**kw: Any) -> SlaPolicy:
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "name": "عاجلة",
        "priority": Priority.MEDIUM,
        "first_response_minutes": 60,
        "resolution_minutes": 240,
        "created_at": T0,
    }
    return SlaPolicy(**(values | kw))


async def test_policies_and_calendars_round_trip(storage: Any) -> None:
    it = department()
    await seed(storage, it)
    narrow = policy(
        department_id=it.id,
        category=Category.NETWORK,
        warning_percent=75,
        on_breach=BreachActions((Recipient.DEPARTMENT, Recipient.ADMINS), True, True),
        created_at=T0 + timedelta(seconds=1),
    )
    wide = policy(priority=Priority.URGENT, is_active=False)
    calendar = BusinessCalendar(
        "Europe/Berlin", (1, 2, 3, 4, 5), "09:00", "24:00", (date(2026, 12, 25), date(2026, 1, 1))
    )
    async with storage.unit_of_work() as uow:
        await uow.sla.add_policy(narrow)
        await uow.sla.add_policy(wide)
        await uow.sla.set_calendar(it.id, calendar)
        await uow.commit()
    async with storage.unit_of_work(read_only=True) as uow:
        assert await uow.sla.policies() == [wide, narrow]  # oldest first
        assert await uow.sla.get_policy(narrow.id) == narrow
        assert await uow.sla.calendar(it.id) == calendar
        assert await uow.sla.calendar(uuid.uuid4()) is None
    async with storage.unit_of_work() as uow:
        await uow.sla.update_policy(replace(narrow, name="أخرى", resolution_minutes=480))
        await uow.sla.delete_policy(wide.id)
        await uow.sla.set_calendar(it.id, BusinessCalendar())
        await uow.commit()
    async with storage.unit_of_work(read_only=True) as uow:
        assert [(p.name, p.resolution_minutes) for p in await uow.sla.policies()] == [("أخرى", 480)]
        assert await uow.sla.calendar(it.id) == BusinessCalendar()


async def test_the_sla_clock_of_a_ticket_round_trips(storage: Any) -> None:
    it = department()
    submitter = profile(role=Role.END_USER)
    t = ticket(submitter, department_id=it.id, mode=RoutingMode.SUGGESTED)
    p = policy(warning_percent=85)
    clock = start_clock(t.created_at, p, CALENDAR)
    clock = follow_status(
        clock,
        CALENDAR,
        TicketStatus.OPEN,
        TicketStatus.WAITING,
        T0 + timedelta(minutes=10),
        by_staff=True,
    )
    clock = mark_acted(clock, (Crossing(Target.FIRST_RESPONSE, Point.BREACH),))
    t.sla = clock
    await seed(storage, it, submitter, t)
    async with storage.unit_of_work(read_only=True) as uow:
        stored = await uow.tickets.get(t.id)
    assert stored is not None
    assert stored.sla == clock
    assert stored.clock.first_response_working == timedelta(minutes=10)


async def test_the_pass_reads_only_due_tickets_and_claims_each_while_due(storage: Any) -> None:
    it = department()
    submitter = profile(role=Role.END_USER)
    p = policy()  # first response 60 min, warning at 48 min
    soon, later, none = (
        ticket(
            submitter, department_id=it.id, mode=RoutingMode.SUGGESTED, at=T0 + timedelta(minutes=m)
        )
        for m in (0, 30, 0)
    )
    soon.sla = start_clock(soon.created_at, p, CALENDAR)
    later.sla = start_clock(later.created_at, p, CALENDAR)
    await seed(storage, it, submitter, soon, later, none)
    at_warning = T0 + timedelta(minutes=48)
    async with storage.unit_of_work(read_only=True) as uow:
        assert await uow.sla.due_for_check(at_warning - timedelta(seconds=1), 10) == []
        assert await uow.sla.due_for_check(at_warning, 10) == [soon.id]
        assert await uow.sla.due_for_check(T0 + timedelta(hours=3), 10) == [soon.id, later.id]
        assert await uow.sla.due_for_check(T0 + timedelta(hours=3), 1) == [soon.id]
    async with storage.unit_of_work() as uow:
        assert await uow.sla.claim_due(later.id, at_warning) is None  # not due yet
        claimed = await uow.sla.claim_due(soon.id, at_warning)
        assert claimed is not None and claimed.id == soon.id
        claimed.sla = mark_acted(claimed.clock, (Crossing(Target.FIRST_RESPONSE, Point.WARNING),))
        claimed.version += 1
        await uow.tickets.update(claimed, expected_version=soon.version)
        await uow.commit()
    async with storage.unit_of_work(read_only=True) as uow:
        # Acted on: its next check is the breach, an hour after filing.
        assert await uow.sla.due_for_check(at_warning, 10) == []
        assert await uow.sla.due_for_check(T0 + timedelta(minutes=61), 10) == [soon.id]


async def test_a_crossing_is_marked_once_per_due_instant(storage: Any) -> None:
    submitter = profile(role=Role.END_USER)
    t = manual_ticket(submitter)
    await seed(storage, submitter, t)
    breach = Crossing(Target.RESOLUTION, Point.BREACH)
    due = T0 + timedelta(hours=4)
    async with storage.unit_of_work() as uow:
        assert await uow.sla.mark_crossing(t.id, breach, due, T0) is True
        assert await uow.sla.mark_crossing(t.id, breach, due, T0) is False
        await uow.commit()
    async with storage.unit_of_work() as uow:
        assert await uow.sla.mark_crossing(t.id, breach, due, T0) is False
        # Re-targeted to another due instant: that one is a crossing of its own.
        assert await uow.sla.mark_crossing(t.id, breach, due + timedelta(hours=1), T0) is True
        warning = Crossing(Target.RESOLUTION, Point.WARNING)
        assert await uow.sla.mark_crossing(t.id, warning, due, T0) is True
        await uow.commit()


async def test_at_risk_counts_agree_with_the_domain(storage: Any) -> None:
    it = department()
    a1, a2, a3 = (profile(department_id=it.id) for _ in range(3))
    submitter = profile(role=Role.END_USER)
    p = policy()  # warning at 48 min, breach at 60 min (first response)
    now = T0 + timedelta(minutes=50)

    def assigned(agent: Any, *, at: Any = T0, status: TicketStatus | None = None) -> Any:
        t = ticket(submitter, department_id=it.id, assignee=agent.id, at=at)
        t.sla = start_clock(t.created_at, p, CALENDAR)
        if status is TicketStatus.WAITING:
            t.status = status
            t.sla = follow_status(t.sla, CALENDAR, TicketStatus.OPEN, status, at, by_staff=False)
        return t

    tickets = [
        assigned(a1),  # at risk
        assigned(a1),  # at risk
        assigned(a1, at=T0 - timedelta(minutes=30)),  # breached: not at risk
        assigned(a2),  # at risk
        assigned(a2, at=T0 + timedelta(minutes=30)),  # on track
        assigned(a3, status=TicketStatus.WAITING),  # paused
    ]
    await seed(storage, it, a1, a2, a3, submitter, *tickets)
    async with storage.unit_of_work(read_only=True) as uow:
        counts = await uow.sla.at_risk_counts([a1.id, a2.id, a3.id], now)
    assert counts == {a1.id: 2, a2.id: 1}
