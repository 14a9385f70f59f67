"""Working time on a business calendar: due times and elapsed working time.

Each working date has one working window: from the first instant the local clock shows `start`
on that date to the first instant it shows `end`. Two rules make that exact when the clocks
change:
- a wall time that happens twice (clocks set back) counts at its first occurrence;
- a wall time that never happens (clocks set forward over it) counts at the instant of the jump.
So a window is always one interval, windows never overlap, and their length is real elapsed time
(a 00:00–24:00 day lasts 23 or 25 hours on the days the clocks change).

Working time between two instants is the total length of the windows' parts between them; adding
working time to an instant gives the earliest instant by which that much working time has passed.
The walk goes window by window, a day at a time, and never minute by minute; non-working dates cost
a set lookup.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from helpdesk.domain.sla.business_calendar import MINUTES_PER_DAY, BusinessCalendar

ONE_DAY = timedelta(days=1)
ONE_MINUTE = timedelta(minutes=1)
ZERO = timedelta(0)


def as_utc(instant: datetime) -> datetime:
    """`instant` in UTC; a naive datetime is a programming error, not a value to guess about."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("working-time arithmetic needs timezone-aware datetimes")
    return instant.astimezone(UTC)


def wall_clock_instant(zone: ZoneInfo, day: date, minute: int) -> datetime:
    """The UTC instant the local clock in `zone` first shows `minute` (0–1440) of `day`."""
    if minute == MINUTES_PER_DAY:
        day, minute = day + ONE_DAY, 0
    hour, minute = divmod(minute, 60)
    naive = datetime(day.year, day.month, day.day, hour, minute)
    offset = zone.utcoffset(naive)
    later = zone.utcoffset(datetime(day.year, day.month, day.day, hour, minute, fold=1))
    if offset == later and offset is not None:  # the usual case: one reading, no gap
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - offset
    first = naive.replace(tzinfo=zone).astimezone(UTC)  # fold=0: a repeated time's first pass
    if first.astimezone(zone).replace(tzinfo=None) == naive:
        return first
    # `naive` fell in a gap: the clocks jumped over it between `before` and `first`.
    before = naive.replace(tzinfo=zone, fold=1).astimezone(UTC)
    return _jump_between(zone, before, first)


def _jump_between(zone: ZoneInfo, before: datetime, after: datetime) -> datetime:
    """The instant in (before, after] where the UTC offset changes, to the second (the time zone
    database records transitions in whole seconds)."""
    offset_before = before.astimezone(zone).utcoffset()
    low, high = before, after
    while high - low > timedelta(seconds=1):
        middle = low + timedelta(seconds=(high - low) // timedelta(seconds=1) // 2)
        if middle.astimezone(zone).utcoffset() == offset_before:
            low = middle
        else:
            high = middle
    return high


def window_of(calendar: BusinessCalendar, day: date) -> tuple[datetime, datetime] | None:
    """The working window of a local date in UTC, or None for a non-working date."""
    if not calendar.is_working_date(day):
        return None
    return _window(calendar.zone, day, calendar.start_minute, calendar.end_minute)


@functools.lru_cache(maxsize=8192)
def _window(zone: ZoneInfo, day: date, start: int, end: int) -> tuple[datetime, datetime]:
    # Cached: due times, pauses and reports keep asking for the same few weeks of windows.
    return wall_clock_instant(zone, day, start), wall_clock_instant(zone, day, end)


def windows_after(
    calendar: BusinessCalendar, instant: datetime
) -> Iterator[tuple[datetime, datetime]]:
    """The non-empty working windows that end after `instant` (UTC), in order, without end."""
    # Windows of earlier dates end by the time the clock first shows this date's midnight, which
    # is never after `instant`.
    day = instant.astimezone(calendar.zone).date()
    while True:
        window = window_of(calendar, day)
        if window is not None and window[1] > instant and window[1] > window[0]:
            yield window
        day += ONE_DAY


def add_working_duration(calendar: BusinessCalendar, start: datetime, work: timedelta) -> datetime:
    """The earliest instant by which `work` working time has passed since `start` (UTC).

    Zero work gives `start` itself. Otherwise the result lies inside a working window or exactly
    at its end: a target used up by the end of a working day falls due at that end, not at the
    next day's start.
    """
    start = as_utc(start)
    if work < ZERO:
        raise ValueError("working time to add must not be negative")
    if work == ZERO:
        return start
    remaining = work
    for window_start, window_end in windows_after(calendar, start):
        begin = max(window_start, start)
        available = window_end - begin
        if remaining <= available:
            return begin + remaining
        remaining -= available
    raise AssertionError("unreachable: a calendar has working days in every week")


def add_working_time(calendar: BusinessCalendar, start: datetime, minutes: int) -> datetime:
    """The due time of a target of `minutes` working minutes counted from `start`."""
    return add_working_duration(calendar, start, timedelta(minutes=minutes))


def working_time_between(calendar: BusinessCalendar, a: datetime, b: datetime) -> timedelta:
    """Working time in [a, b); zero when b is not after a."""
    a, b = as_utc(a), as_utc(b)
    total = ZERO
    if b <= a:
        return total
    for window_start, window_end in windows_after(calendar, a):
        if window_start >= b:
            break
        total += min(window_end, b) - max(window_start, a)
    return total


def working_minutes_between(calendar: BusinessCalendar, a: datetime, b: datetime) -> int:
    """Whole working minutes in [a, b) (rounded down)."""
    return working_time_between(calendar, a, b) // ONE_MINUTE


def is_working_instant(calendar: BusinessCalendar, instant: datetime) -> bool:
    instant = as_utc(instant)
    window_start, _ = next(windows_after(calendar, instant))
    return window_start <= instant
