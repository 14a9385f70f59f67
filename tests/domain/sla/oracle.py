"""An independent, slow model of working time for the property tests, and the strategies that
feed them.

The model finds a window edge by letting zoneinfo place the wall time and, for a wall time the
clocks skip, by walking back minute by minute to the jump; it counts working time minute by minute.
It shares nothing with the code under test but zoneinfo itself.
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from helpdesk.domain.sla.business_calendar import BusinessCalendar

MINUTE = timedelta(minutes=1)

# DST-free (Riyadh, Kolkata's half hour), the usual DST (Berlin, New York), half-hour DST (Lord
# Howe), clocks changed at midnight (Havana; São Paulo set them back across midnight until 2019),
# and a skipped calendar day (Apia, 30 December 2011).
ZONES = (
    "Asia/Riyadh",
    "Asia/Kolkata",
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",
    "America/Havana",
    "America/Sao_Paulo",
    "Pacific/Apia",
)
FIRST_YEAR, LAST_YEAR = 2008, 2030


@functools.cache
def offset_change_dates(key: str) -> tuple[date, ...]:
    """Dates around which `key` changed its UTC offset (found by comparing noon to noon)."""
    zone = ZoneInfo(key)
    day = datetime(FIRST_YEAR, 1, 1, 12, tzinfo=UTC)
    end = datetime(LAST_YEAR, 12, 31, 12, tzinfo=UTC)
    found = []
    previous = day.astimezone(zone).utcoffset()
    while day < end:
        day += timedelta(days=1)
        offset = day.astimezone(zone).utcoffset()
        if offset != previous:
            found.append(day.date())
            previous = offset
    return tuple(found)


@functools.cache
def edge(key: str, day: date, minute: int) -> datetime:
    """When the local clock first shows `minute` of `day` (the model's own way of finding it)."""
    zone = ZoneInfo(key)
    naive = datetime.combine(day, time()) + timedelta(minutes=minute)
    instant = naive.replace(tzinfo=zone).astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) == naive:
        return instant
    # Skipped wall time: step back while the clock still shows that time or later.
    while (instant - MINUTE).astimezone(zone).replace(tzinfo=None) >= naive:
        instant -= MINUTE
    return instant


def model_window(calendar: BusinessCalendar, day: date) -> tuple[datetime, datetime] | None:
    if day.isoweekday() not in calendar.working_days or day in calendar.holidays:
        return None
    start = int(calendar.start[:2]) * 60 + int(calendar.start[3:])
    end = int(calendar.end[:2]) * 60 + int(calendar.end[3:])
    return edge(calendar.timezone, day, start), edge(calendar.timezone, day, end)


def model_is_working(calendar: BusinessCalendar, instant: datetime) -> bool:
    local_day = instant.astimezone(ZoneInfo(calendar.timezone)).date()
    for day in (local_day - timedelta(days=1), local_day, local_day + timedelta(days=1)):
        window = model_window(calendar, day)
        if window is not None and window[0] <= instant < window[1]:
            return True
    return False


def model_working_minutes(calendar: BusinessCalendar, a: datetime, b: datetime) -> int:
    """Minute by minute; `a` and `b` on whole UTC minutes (window edges are, in these zones)."""
    count = 0
    instant = a
    while instant < b:
        count += model_is_working(calendar, instant)
        instant += MINUTE
    return count


clock_minute = st.one_of(
    st.sampled_from([0, 8 * 60, 16 * 60, 60, 120, 150, 180]),
    st.integers(0, 24 * 60 - 1),
)


@st.composite
def calendars(
    draw: st.DrawFn, *, near: date | None = None, key: str | None = None
) -> BusinessCalendar:
    key = key or draw(st.sampled_from(ZONES))
    days = draw(st.lists(st.integers(1, 7), min_size=1, max_size=7, unique=True))
    start = draw(clock_minute)
    end = draw(st.one_of(st.just(24 * 60), st.integers(start + 1, 24 * 60)))
    holidays: list[date] = []
    if near is not None:
        offsets = draw(st.lists(st.integers(-2, 12), max_size=4, unique=True))
        holidays = [near + timedelta(days=o) for o in offsets]
    return BusinessCalendar(
        timezone=key,
        working_days=tuple(days),
        start=_hhmm(start),
        end=_hhmm(end),
        holidays=tuple(holidays),
    )


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@st.composite
def calendar_and_instant(
    draw: st.DrawFn, *, whole_minutes: bool = False
) -> tuple[BusinessCalendar, datetime]:
    """A calendar and an instant, often within days of one of its zone's clock changes."""
    key = draw(st.sampled_from(ZONES))
    changes = offset_change_dates(key)
    if len(changes) > 0 and draw(st.booleans()):
        base = draw(st.sampled_from(changes)) + timedelta(days=draw(st.integers(-3, 2)))
    else:
        base = date(FIRST_YEAR, 1, 1) + timedelta(days=draw(st.integers(0, 365 * 20)))
    calendar = draw(calendars(near=base, key=key))
    instant = datetime.combine(base, time(), tzinfo=UTC) + timedelta(
        minutes=draw(st.integers(-12 * 60, 36 * 60))
    )
    if not whole_minutes:
        instant += timedelta(microseconds=draw(st.integers(0, 59_999_999)))
    return calendar, instant
