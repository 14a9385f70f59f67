"""Properties of due times and working time, on DST-free and DST zones, checked against an
independent minute-by-minute model."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpdesk.domain.sla.business_calendar import BusinessCalendar
from helpdesk.domain.sla.working_time import (
    add_working_duration,
    add_working_time,
    window_of,
    working_minutes_between,
    working_time_between,
)

from .oracle import (
    calendar_and_instant,
    model_is_working,
    model_window,
    model_working_minutes,
)

PROPERTY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MICROSECOND = timedelta(microseconds=1)
# Up to 60 working days of eight hours, and short targets more often.
targets = st.one_of(st.integers(0, 600), st.integers(0, 60 * 8 * 60))


@PROPERTY
@given(calendar_and_instant(), targets)
def test_the_working_time_up_to_a_due_time_is_the_target(
    case: tuple[BusinessCalendar, datetime], minutes: int
) -> None:
    calendar, start = case
    due = add_working_time(calendar, start, minutes)
    assert working_time_between(calendar, start, due) == timedelta(minutes=minutes)
    assert working_minutes_between(calendar, start, due) == minutes


@PROPERTY
@given(calendar_and_instant(), targets, targets)
def test_due_times_grow_strictly_with_the_target(
    case: tuple[BusinessCalendar, datetime], a: int, b: int
) -> None:
    calendar, start = case
    low, high = sorted((a, b))
    if low == high:
        assert add_working_time(calendar, start, low) == add_working_time(calendar, start, high)
    else:
        assert add_working_time(calendar, start, low) < add_working_time(calendar, start, high)


@PROPERTY
@given(calendar_and_instant(), targets, targets)
def test_adding_a_then_b_is_adding_a_plus_b(
    case: tuple[BusinessCalendar, datetime], a: int, b: int
) -> None:
    calendar, start = case
    stepwise = add_working_time(calendar, add_working_time(calendar, start, a), b)
    assert stepwise == add_working_time(calendar, start, a + b)


@PROPERTY
@given(calendar_and_instant(), st.integers(1, 3 * 24 * 60))
def test_a_due_time_is_never_inside_a_non_working_period(
    case: tuple[BusinessCalendar, datetime], minutes: int
) -> None:
    """The instant just before a due time is working time: the due time lies inside a working
    window or exactly at its end (a target used up at 16:00 falls due at 16:00)."""
    calendar, start = case
    due = add_working_time(calendar, start, minutes)
    assert model_is_working(calendar, due - MICROSECOND)


@PROPERTY
@given(calendar_and_instant(), st.integers(-1, 1))
def test_each_working_date_has_the_window_its_wall_clock_times_say(
    case: tuple[BusinessCalendar, datetime], day_offset: int
) -> None:
    """Start and end are where the local clock first shows them; a time the clocks skip is the
    instant of the jump."""
    calendar, instant = case
    day = instant.astimezone(calendar.zone).date() + timedelta(days=day_offset)
    assert window_of(calendar, day) == model_window(calendar, day)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(calendar_and_instant(whole_minutes=True), st.integers(0, 2 * 24 * 60))
def test_working_time_matches_a_minute_by_minute_count(
    case: tuple[BusinessCalendar, datetime], span: int
) -> None:
    calendar, start = case
    end = start + timedelta(minutes=span)
    assert working_minutes_between(calendar, start, end) == model_working_minutes(
        calendar, start, end
    )


@PROPERTY
@given(
    calendar_and_instant(),
    st.integers(0, 10 * 24 * 60 * 60),
    st.integers(0, 10 * 24 * 60 * 60),
)
def test_working_time_adds_up_over_consecutive_spans(
    case: tuple[BusinessCalendar, datetime], first: int, second: int
) -> None:
    calendar, a = case
    b = a + timedelta(seconds=first)
    c = b + timedelta(seconds=second)
    whole = working_time_between(calendar, a, c)
    assert whole == working_time_between(calendar, a, b) + working_time_between(calendar, b, c)
    assert working_time_between(calendar, c, a) == timedelta(0)


@PROPERTY
@given(calendar_and_instant(), st.integers(1, 5 * 8 * 60), st.integers(0, 20))
def test_a_holiday_never_brings_a_due_time_forward_and_is_never_counted(
    case: tuple[BusinessCalendar, datetime], minutes: int, day_offset: int
) -> None:
    calendar, start = case
    holiday = start.astimezone(calendar.zone).date() + timedelta(days=day_offset)
    if holiday in calendar.holidays:
        return
    with_holiday = BusinessCalendar(
        timezone=calendar.timezone,
        working_days=calendar.working_days,
        start=calendar.start,
        end=calendar.end,
        holidays=(*calendar.holidays, holiday),
    )
    due = add_working_time(calendar, start, minutes)
    later = add_working_time(with_holiday, start, minutes)
    assert later >= due
    assert working_time_between(with_holiday, start, later) == timedelta(minutes=minutes)
    # A due time that fell on the new holiday moves off it.
    if (due - MICROSECOND).astimezone(calendar.zone).date() == holiday:
        assert later > due


@PROPERTY
@given(calendar_and_instant(), st.integers(0, 10**9))
def test_any_duration_round_trips_to_the_microsecond(
    case: tuple[BusinessCalendar, datetime], microseconds: int
) -> None:
    calendar, start = case
    work = timedelta(microseconds=microseconds)
    due = add_working_duration(calendar, start, work)
    assert working_time_between(calendar, start, due) == work


def test_naive_datetimes_and_negative_targets_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        add_working_time(BusinessCalendar(), datetime(2026, 3, 5, 12), 60)
    with pytest.raises(ValueError, match="negative"):
        add_working_time(BusinessCalendar(), datetime(2026, 3, 5, 12, tzinfo=UTC), -1)
