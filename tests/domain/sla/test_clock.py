"""The SLA clock of a ticket, worked through by hand: the example of docs/sla.md, priority
changes, pauses, reopening, states and crossings."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from helpdesk.domain.sla.business_calendar import DEFAULT_CALENDAR, BusinessCalendar
from helpdesk.domain.sla.clock import (
    Crossing,
    Point,
    SlaClock,
    SlaState,
    Target,
    due_crossings,
    follow_status,
    mark_acted,
    next_check_at,
    pause,
    record_first_response,
    reopen,
    resolve,
    resume,
    retarget,
    sla_state,
    start_clock,
)
from helpdesk.domain.sla.policy import SlaPolicy
from helpdesk.domain.sla.working_time import working_time_between
from helpdesk.domain.taxonomy import Priority, TicketStatus

RIYADH = ZoneInfo("Asia/Riyadh")
T0 = datetime(2026, 1, 1, tzinfo=UTC)
# Sunday 8 March 2026 is a holiday in the worked example.
EXAMPLE_CALENDAR = BusinessCalendar.parse(holidays=["2026-03-08"])
S = TicketStatus
FR, RES = Target.FIRST_RESPONSE, Target.RESOLUTION
WARNING, BREACH = Point.WARNING, Point.BREACH


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """Riyadh local time in March 2026 (Thursday the 5th, Thursday the 12th), as UTC."""
    return datetime(2026, 3, day, hour, minute, tzinfo=RIYADH).astimezone(UTC)


def policy(
    priority: Priority = Priority.MEDIUM, first: int = 240, resolution: int = 24 * 60, n: int = 1
) -> SlaPolicy:
    return SlaPolicy(
        id=uuid.UUID(int=n),
        name="سياسة",
        priority=priority,
        first_response_minutes=first,
        resolution_minutes=resolution,
        created_at=T0,
    )


MEDIUM = policy()
URGENT = policy(Priority.URGENT, 30, 4 * 60, n=2)


def filed_thursday() -> SlaClock:
    return start_clock(at(5, 14, 30), MEDIUM, EXAMPLE_CALENDAR)


def test_worked_example_due_times_at_creation() -> None:
    """Filed Thursday 14:30; Sunday is a holiday. First response (4 h): 1.5 h on Thursday, 2.5 h
    on Monday → Monday 10:30. Resolution (24 h): 1.5 + 8 (Mon) + 8 (Tue) + 6.5 (Wed) →
    Wednesday 14:30. Warnings at 80%: 3 h 12 min → Monday 09:42; 19 h 12 min → Wednesday 09:42."""
    clock = filed_thursday()
    assert clock.first_response_due_at == at(9, 10, 30)
    assert clock.first_response_warn_at == at(9, 9, 42)
    assert clock.resolution_due_at == at(11, 14, 30)
    assert clock.resolution_warn_at == at(11, 9, 42)
    assert sla_state(clock, at(5, 15)) is SlaState.ON_TRACK
    assert sla_state(clock, at(9, 9, 42)) is SlaState.AT_RISK
    assert sla_state(clock, at(9, 10, 30)) is SlaState.AT_RISK  # due, not yet late
    assert sla_state(clock, at(9, 10, 31)) is SlaState.BREACHED


def test_worked_example_first_response_pause_and_resolution() -> None:
    clock = filed_thursday()
    # Monday 09:00: the agent answers publicly. 1.5 h on Thursday + 1 h on Monday.
    clock = record_first_response(clock, EXAMPLE_CALENDAR, at(9, 9))
    assert clock.first_responded_at == at(9, 9)
    assert clock.first_response_working == timedelta(hours=2, minutes=30)
    assert sla_state(clock, at(9, 11)) is SlaState.ON_TRACK
    # Monday 11:00 → waiting; the requester answers on Tuesday at 10:00.
    clock = follow_status(
        clock, EXAMPLE_CALENDAR, S.IN_PROGRESS, S.WAITING, at(9, 11), by_staff=True
    )
    assert sla_state(clock, at(10, 9)) is SlaState.PAUSED
    assert due_crossings(clock, at(11, 15)) == ()  # nothing comes due while waiting
    clock = follow_status(clock, EXAMPLE_CALENDAR, S.WAITING, S.OPEN, at(10, 10), by_staff=False)
    # Paused working time: Monday 11:00–16:00 and Tuesday 08:00–10:00 = 7 h.
    assert clock.paused == timedelta(hours=7)
    # Wednesday 14:30 + 7 working hours → Thursday 13:30; the warning moves likewise.
    assert clock.resolution_due_at == at(12, 13, 30)
    assert clock.resolution_warn_at == at(12, 8, 42)
    assert clock.first_response_due_at == at(9, 10, 30)  # met: it stays
    # Resolved Thursday 12:00: met, after 22.5 working hours of the 24.
    clock = follow_status(clock, EXAMPLE_CALENDAR, S.OPEN, S.RESOLVED, at(12, 12), by_staff=True)
    assert sla_state(clock, at(12, 12)) is SlaState.MET
    assert sla_state(clock, at(20, 12)) is SlaState.MET  # the clock has stopped
    assert clock.resolution_working == timedelta(hours=22, minutes=30)


def test_a_priority_change_retargets_from_the_original_start() -> None:
    clock = filed_thursday()
    # Thursday 15:00 the ticket becomes urgent: 30 min and 4 h from Thursday 14:30.
    clock = retarget(clock, URGENT, EXAMPLE_CALENDAR, at(5, 15))
    assert clock.first_response_due_at == at(5, 15)
    assert clock.resolution_due_at == at(9, 10, 30)  # 1.5 h Thursday + 2.5 h Monday
    assert sla_state(clock, at(5, 15)) is SlaState.AT_RISK
    assert due_crossings(clock, at(5, 15)) == (Crossing(FR, WARNING),)
    assert due_crossings(clock, at(5, 15, 1)) == (Crossing(FR, BREACH),)


def test_a_priority_change_keeps_the_paused_time() -> None:
    clock = record_first_response(filed_thursday(), EXAMPLE_CALENDAR, at(5, 15))
    clock = pause(clock, at(9, 8))
    clock = resume(clock, EXAMPLE_CALENDAR, at(9, 12))  # 4 working hours paused
    clock = retarget(clock, URGENT, EXAMPLE_CALENDAR, at(9, 13))
    # 4 h target + 4 h paused from Thursday 14:30: 1.5 h Thursday, 6.5 h Monday → 14:30.
    assert clock.resolution_due_at == at(9, 14, 30)
    # The met first response keeps its due time under the old policy.
    assert clock.first_response_due_at == at(9, 10, 30)


def test_lowering_the_priority_puts_a_crossing_back_in_the_future() -> None:
    clock = start_clock(at(5, 14, 30), URGENT, EXAMPLE_CALENDAR)
    now = at(5, 15, 1)
    clock = mark_acted(clock, due_crossings(clock, now))
    assert Crossing(FR, BREACH) in clock.acted
    clock = retarget(clock, MEDIUM, EXAMPLE_CALENDAR, now)
    assert sla_state(clock, now) is SlaState.ON_TRACK
    assert clock.acted == frozenset()
    assert due_crossings(clock, at(9, 9, 42)) == (Crossing(FR, WARNING),)


def test_a_breach_is_not_undone_by_a_pause() -> None:
    clock = start_clock(at(5, 14, 30), URGENT, EXAMPLE_CALENDAR)
    clock = record_first_response(clock, EXAMPLE_CALENDAR, at(5, 14, 40))
    clock = pause(clock, at(9, 11))  # resolution was due Monday 10:30
    assert sla_state(clock, at(9, 12)) is SlaState.BREACHED
    clock = resume(clock, EXAMPLE_CALENDAR, at(10, 9))
    assert clock.resolution_due_at == at(9, 10, 30)  # where the breach happened
    assert sla_state(clock, at(10, 9)) is SlaState.BREACHED


def test_pauses_add_exactly_their_working_time() -> None:
    clock = record_first_response(filed_thursday(), EXAMPLE_CALENDAR, at(5, 15))
    before = clock.resolution_due_at
    assert before is not None
    paused_at, resumed_at = at(5, 15, 17), at(10, 8, 5)
    clock = resume(pause(clock, paused_at), EXAMPLE_CALENDAR, resumed_at)
    assert clock.resolution_due_at is not None
    gained = working_time_between(EXAMPLE_CALENDAR, before, clock.resolution_due_at)
    assert gained == working_time_between(EXAMPLE_CALENDAR, paused_at, resumed_at)
    assert gained == timedelta(minutes=43 + 8 * 60 + 5)  # Thu 15:17–16:00, Mon, Tue 08:00–08:05


def test_reopen_resumes_the_resolution_clock_from_the_reopen() -> None:
    clock = record_first_response(filed_thursday(), EXAMPLE_CALENDAR, at(5, 15))
    clock = resolve(clock, EXAMPLE_CALENDAR, at(9, 12))  # 1.5 + 4 = 5.5 h used of 24
    assert clock.resolution_working == timedelta(hours=5, minutes=30)
    assert sla_state(clock, at(9, 12)) is SlaState.MET
    # Reopened Wednesday 08:00: Monday 12:00–16:00 and Tuesday were spent resolved (12 h).
    clock = reopen(clock, EXAMPLE_CALENDAR, at(11, 8))
    assert clock.resolved_at is None and clock.resolution_working is None
    assert clock.paused == timedelta(hours=12)
    # 18.5 h left from Wednesday 08:00: Wednesday, Thursday, 2.5 h on Sunday the 15th.
    assert clock.resolution_due_at == at(15, 10, 30)
    assert sla_state(clock, at(11, 8)) is SlaState.ON_TRACK


def test_a_late_resolution_stays_late_after_reopening() -> None:
    clock = start_clock(at(5, 14, 30), URGENT, EXAMPLE_CALENDAR)
    clock = resolve(clock, EXAMPLE_CALENDAR, at(9, 11))  # due Monday 10:30
    assert sla_state(clock, at(9, 11)) is SlaState.BREACHED
    clock = reopen(clock, EXAMPLE_CALENDAR, at(10, 9))
    assert clock.resolution_due_at == at(9, 10, 30)
    assert sla_state(clock, at(10, 9)) is SlaState.BREACHED


def test_resolving_while_waiting_ends_the_wait_first() -> None:
    clock = record_first_response(filed_thursday(), EXAMPLE_CALENDAR, at(5, 15))
    clock = follow_status(clock, EXAMPLE_CALENDAR, S.OPEN, S.WAITING, at(9, 8), by_staff=True)
    # Closed from waiting a week later: the wait does not count against the resolution.
    clock = follow_status(clock, EXAMPLE_CALENDAR, S.WAITING, S.CLOSED, at(17, 8), by_staff=True)
    assert clock.paused_since is None and clock.resolved_at == at(17, 8)
    assert sla_state(clock, at(17, 8)) is SlaState.MET
    assert clock.resolution_working == timedelta(hours=1, minutes=30)


def test_the_first_response_is_the_first_staff_status_change_or_public_comment() -> None:
    clock = filed_thursday()
    # The requester reopening or commenting is not a response.
    clock = follow_status(clock, EXAMPLE_CALENDAR, S.TRIAGE, S.OPEN, at(5, 15), by_staff=False)
    assert clock.first_responded_at is None
    clock = follow_status(clock, EXAMPLE_CALENDAR, S.OPEN, S.IN_PROGRESS, at(9, 11), by_staff=True)
    assert clock.first_responded_at == at(9, 11)
    assert sla_state(clock, at(9, 11)) is SlaState.BREACHED  # due 10:30, answered 11:00
    later = record_first_response(clock, EXAMPLE_CALENDAR, at(9, 12))
    assert later.first_responded_at == at(9, 11)
    # Resolving counts as a response when none was given (only staff resolve).
    resolved = resolve(filed_thursday(), EXAMPLE_CALENDAR, at(5, 15))
    assert resolved.first_responded_at == at(5, 15)
    assert sla_state(resolved, at(5, 15)) is SlaState.MET


def test_a_ticket_without_a_policy_keeps_time_but_has_no_due_times() -> None:
    clock = start_clock(at(5, 14, 30), None, EXAMPLE_CALENDAR)
    assert clock.resolution_due_at is None and clock.first_response_due_at is None
    assert sla_state(clock, at(20, 8)) is None
    assert due_crossings(clock, at(20, 8)) == ()
    assert next_check_at(clock) is None
    clock = record_first_response(clock, EXAMPLE_CALENDAR, at(5, 15))
    assert clock.first_response_working == timedelta(minutes=30)
    # Gaining a policy later counts from the creation.
    clock = retarget(clock, MEDIUM, EXAMPLE_CALENDAR, at(5, 15))
    assert clock.resolution_due_at == at(11, 14, 30)
    # Losing it again clears the due times.
    cleared = retarget(clock, None, EXAMPLE_CALENDAR, at(5, 15))
    assert cleared.resolution_due_at is None and sla_state(cleared, at(5, 15)) is None


def test_a_resolved_ticket_keeps_its_settled_targets() -> None:
    clock = resolve(filed_thursday(), EXAMPLE_CALENDAR, at(9, 9))
    assert retarget(clock, URGENT, EXAMPLE_CALENDAR, at(9, 10)) == clock


def test_each_crossing_is_due_once_and_in_order() -> None:
    clock = filed_thursday()
    log: list[tuple[datetime, Crossing]] = []
    now = at(5, 14, 30)
    while now < at(13, 0):  # a pass every 7 minutes
        check = next_check_at(clock)
        crossings = due_crossings(clock, now)
        if crossings:
            assert check is not None and check <= now  # the index would have found it
        log += [(now, c) for c in crossings]
        clock = mark_acted(clock, crossings)
        now += timedelta(minutes=7)
    assert [c for _, c in log] == [
        Crossing(FR, WARNING),
        Crossing(FR, BREACH),
        Crossing(RES, WARNING),
        Crossing(RES, BREACH),
    ]
    when = {c: t for t, c in log}
    assert at(9, 9, 42) <= when[Crossing(FR, WARNING)] < at(9, 9, 49)
    assert at(9, 10, 30) < when[Crossing(FR, BREACH)] < at(9, 10, 38)
    assert next_check_at(clock) is None


def test_a_pass_that_finds_both_points_passed_sends_only_the_breach() -> None:
    clock = filed_thursday()
    crossings = due_crossings(clock, at(9, 11))
    assert crossings == (Crossing(FR, BREACH),)
    clock = mark_acted(clock, crossings)
    assert Crossing(FR, WARNING) in clock.acted
    assert due_crossings(clock, at(9, 11)) == ()
    assert next_check_at(clock) == at(11, 9, 42)


def test_next_check_while_waiting_only_for_what_passed_before_the_wait() -> None:
    clock = filed_thursday()
    waiting = pause(clock, at(9, 9))
    assert next_check_at(waiting) is None
    # Paused at 10:00: past the first-response warning (09:42), before its due time (10:30).
    late = pause(clock, at(9, 10))
    assert next_check_at(late) == at(9, 9, 42)
    assert due_crossings(late, at(12, 8)) == (Crossing(FR, WARNING),)
    acted = mark_acted(late, due_crossings(late, at(12, 8)))
    assert next_check_at(acted) is None


@pytest.mark.parametrize("status", [S.RESOLVED, S.CLOSED])
def test_nothing_is_due_for_a_finished_ticket(status: TicketStatus) -> None:
    clock = follow_status(
        filed_thursday(), EXAMPLE_CALENDAR, S.OPEN, status, at(15, 8), by_staff=True
    )
    assert due_crossings(clock, at(20, 8)) == ()
    assert next_check_at(clock) is None
    assert sla_state(clock, at(20, 8)) is SlaState.BREACHED


def test_default_calendar_is_the_riyadh_week() -> None:
    clock = start_clock(at(5, 15), policy(first=120), DEFAULT_CALENDAR)
    assert clock.first_response_due_at == at(8, 9)  # Sunday 09:00 with no holiday
