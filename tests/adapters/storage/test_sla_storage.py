"""Service-level storage, the same on memory, SQLite and PostgreSQL: policies and calendars
round-trip, a ticket's SLA clock round-trips column for column, the SLA pass reads only tickets
whose check has come, a crossing is marked once, and the at-risk counts agree with the domain's
`sla_state`."""

from __future__ import annotations

import random
import uuid
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from helpdesk.application.ports.storage.stats import StatsWindow
from helpdesk.application.ports.storage.tickets import TicketFilter
from helpdesk.domain.sla.business_calendar import BusinessCalendar
from helpdesk.domain.sla.clock import (
    Crossing,
    Point,
    SlaState,
    Target,
    due_crossings,
    follow_status,
    mark_acted,
    record_first_response,
    retarget,
    sla_state,
    start_clock,
)
from helpdesk.domain.sla.policy import BreachActions, Recipient, SlaPolicy
from helpdesk.domain.taxonomy import Category, Priority, Role, RoutingMode, TicketStatus

from .builders import EVERYTHING, T0, department, manual_ticket, profile, seed, ticket

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


async def test_attainment_counts_targets_and_working_minutes(storage: Any) -> None:
    it, finance = department("it"), department("finance", (Category.FINANCE,))
    submitter = profile(role=Role.END_USER)
    medium = policy()  # 60 min / 240 min; T0 is Sunday 12:00 in Riyadh
    urgent = policy(priority=Priority.URGENT, first_response_minutes=30)

    def filed(dept: Any, p: SlaPolicy, *, at: Any = T0, answered: int | None = None) -> Any:
        t = ticket(submitter, department_id=dept.id, mode=RoutingMode.SUGGESTED, at=at)
        t.priority = p.priority
        t.sla = start_clock(t.created_at, p, CALENDAR)
        if answered is not None:
            t.sla = record_first_response(t.clock, CALENDAR, at + timedelta(minutes=answered))
        return t

    def resolved(t: Any, at: Any) -> Any:
        t.sla = follow_status(
            t.clock, CALENDAR, TicketStatus.TRIAGE, TicketStatus.CLOSED, at, by_staff=True
        )
        t.status, t.resolved_at = TicketStatus.CLOSED, at
        return t

    quick = resolved(filed(it, medium, answered=10), T0 + timedelta(minutes=100))
    # Resolved on Monday 09:00 Riyadh: 4 h on Sunday + 1 h on Monday, past its 16:00 due time.
    late = resolved(filed(it, medium, answered=20), T0 + timedelta(hours=21))
    still_open = filed(it, medium, answered=40)
    unanswered = filed(it, urgent)
    elsewhere = filed(finance, medium)
    outside = filed(it, medium, at=T0 + timedelta(days=30))
    no_targets = ticket(submitter, department_id=it.id, mode=RoutingMode.SUGGESTED)
    await seed(
        storage,
        it,
        finance,
        submitter,
        quick,
        late,
        still_open,
        unanswered,
        elsewhere,
        outside,
        no_targets,
    )
    now = T0 + timedelta(days=9)
    window = StatsWindow(it.id, T0, T0 + timedelta(days=1))
    async with storage.unit_of_work(read_only=True) as uow:
        rows = {r.priority: r for r in await uow.sla.attainment(window, now)}
        everything = await uow.sla.attainment(StatsWindow(), now)
    assert set(rows) == {Priority.MEDIUM, Priority.URGENT}
    m = rows[Priority.MEDIUM]
    assert (m.department_id, m.total) == (it.id, 3)
    assert (m.first_response_met, m.first_response_breached) == (3, 0)
    assert (m.resolution_met, m.resolution_breached) == (1, 2)
    assert m.median_first_response_minutes == pytest.approx(20)
    assert m.p90_first_response_minutes == pytest.approx(36)
    assert m.median_resolution_minutes == pytest.approx(200)
    assert m.p90_resolution_minutes == pytest.approx(280)
    u = rows[Priority.URGENT]
    assert (u.total, u.first_response_met, u.first_response_breached) == (1, 0, 1)
    assert u.median_first_response_minutes is None and u.median_resolution_minutes is None
    assert sum(r.total for r in everything) == 6  # the other department and month too


async def test_the_sla_filters_agree_with_the_domain_state(storage: Any) -> None:
    """Forty tickets whose clocks went through random waits, answers, resolutions, reopens
    and re-targetings: at several instants, `sla=at_risk` and `sla=breached` list exactly the
    tickets whose domain state is that one."""
    rng = random.Random(20260301)
    it = department()
    submitter = profile(role=Role.END_USER)
    quick, slow = policy(), policy(first_response_minutes=240, resolution_minutes=1440)
    built = []
    for n in range(40):
        at = T0 + timedelta(minutes=rng.randrange(0, 600))
        t = ticket(submitter, department_id=it.id, mode=RoutingMode.SUGGESTED, at=at)
        clock = start_clock(at, rng.choice((quick, slow)), CALENDAR)
        status, moment = TicketStatus.TRIAGE, at
        for _ in range(rng.randrange(0, 5)):
            moment += timedelta(minutes=rng.randrange(5, 300))
            step = rng.choice(("wait", "open", "resolve", "answer", "retarget"))
            if step == "retarget":
                clock = retarget(clock, rng.choice((quick, slow)), CALENDAR, moment)
                continue
            if step == "answer":
                clock = record_first_response(clock, CALENDAR, moment)
                continue
            new = {
                "wait": TicketStatus.WAITING,
                "open": TicketStatus.OPEN,
                "resolve": TicketStatus.RESOLVED,
            }[step]
            clock = follow_status(clock, CALENDAR, status, new, moment, by_staff=rng.random() < 0.5)
            status = new
        t.status = status
        t.resolved_at = clock.resolved_at
        t.sla = clock
        if n % 7 == 0:
            t.sla = replace(
                t.clock,
                targets=None,
                first_response_due_at=None,
                resolution_due_at=None,
                first_response_warn_at=None,
                resolution_warn_at=None,
            )
        built.append(t)
    await seed(storage, it, submitter, *built)
    seen = {"at_risk": 0, "breached": 0}
    for quarter in range(1, 4 * 60, 3):  # every 45 minutes over two and a half days
        now = T0 + timedelta(minutes=15 * quarter)
        for state in ("at_risk", "breached"):
            where = TicketFilter(sla=state, sla_at=now)  # type: ignore[arg-type]
            async with storage.unit_of_work(read_only=True) as uow:
                found = {x.id for x in await uow.tickets.search(EVERYTHING, where, None, 200)}
            expected = {x.id for x in built if sla_state(x.clock, now) == SlaState(state)}
            assert found == expected, (now, state)
            seen[state] += len(expected)
    assert seen["at_risk"] > 0 and seen["breached"] > 0, seen  # both states are exercised


async def test_the_assignment_counts_tickets_at_risk_as_the_domain_does(storage: Any) -> None:
    """The agents' at-risk counts under the assignment lock (two counts over the warning
    indexes, leaving out breaches the SLA pass has acted on) against the domain's states, for
    tickets at every stage: on track, either warning come, breached (acted on by an earlier pass
    or not), answered, waiting."""
    rng = random.Random(7)
    it = department()
    agents = [profile(department_id=it.id) for _ in range(4)]
    submitter = profile(role=Role.END_USER)
    p = policy()  # first response 60 working minutes (warning at 48), resolution 240 (192)
    pass_at = T0 + timedelta(hours=1)
    tickets = []
    for _ in range(60):
        at = T0 - timedelta(minutes=rng.randrange(0, 300))
        t = ticket(submitter, department_id=it.id, assignee=rng.choice(agents).id, at=at)
        clock = start_clock(at, p, CALENDAR)
        if rng.random() < 0.4:
            clock = record_first_response(
                clock, CALENDAR, at + timedelta(minutes=rng.randrange(90))
            )
        if rng.random() < 0.15:
            t.status = TicketStatus.WAITING
            clock = follow_status(clock, CALENDAR, TicketStatus.OPEN, t.status, at, by_staff=False)
        if rng.random() < 0.5:  # an earlier pass acted on what it found
            clock = mark_acted(clock, due_crossings(clock, pass_at))
        t.sla = clock
        tickets.append(t)
    await seed(storage, it, *agents, submitter, *tickets)
    for now in (pass_at, T0 + timedelta(hours=2), T0 + timedelta(hours=4), T0 + timedelta(days=1)):
        expected = {
            a.id: sum(
                t.assigned_agent_id == a.id and sla_state(t.clock, now) is SlaState.AT_RISK
                for t in tickets
            )
            for a in agents
        }
        async with storage.unit_of_work() as uow:
            loads = await uow.assignment.loads(it.id, at=now)
        assert {load.profile.id: load.at_risk for load in loads} == expected, now
    assert any(  # the states the counts must tell apart all occur
        sla_state(t.clock, T0 + timedelta(hours=2)) is SlaState.AT_RISK for t in tickets
    )
