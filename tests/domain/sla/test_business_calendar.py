"""Business calendars: validation, and due times worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from helpdesk.domain.errors import ValidationFailed
from helpdesk.domain.sla.business_calendar import DEFAULT_CALENDAR, BusinessCalendar
from helpdesk.domain.sla.working_time import (
    add_working_time,
    is_working_instant,
    window_of,
    working_minutes_between,
    working_time_between,
)

RIYADH = ZoneInfo("Asia/Riyadh")
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
HOURS = 60


def riyadh(day: int, hour: int, minute: int = 0) -> datetime:
    """A local time in March 2026 (the 5th is a Thursday)."""
    return datetime(2026, 3, day, hour, minute, tzinfo=RIYADH)


def test_the_default_calendar_is_sunday_to_thursday_eight_to_four_in_riyadh() -> None:
    assert DEFAULT_CALENDAR.as_fields() == {
        "timezone": "Asia/Riyadh",
        "working_days": [7, 1, 2, 3, 4],
        "start": "08:00",
        "end": "16:00",
        "holidays": [],
    }
    assert BusinessCalendar.parse() == DEFAULT_CALENDAR


@pytest.mark.parametrize(
    ("start", "minutes", "due"),
    [
        # Thursday afternoon: one hour left this week, the second on Sunday morning.
        (riyadh(5, 15), 2 * HOURS, riyadh(8, 9)),
        # Used up exactly at the end of a working day: due then, not on the next morning.
        (riyadh(5, 14), 2 * HOURS, riyadh(5, 16)),
        # Filed on Friday (weekend): the clock starts on Sunday at 08:00.
        (riyadh(6, 10), 30, riyadh(8, 8, 30)),
        # Filed before opening time.
        (riyadh(9, 6), 1 * HOURS, riyadh(9, 9)),
        # Filed after closing time.
        (riyadh(9, 20), 1 * HOURS, riyadh(10, 9)),
        # Three working days of eight hours from Thursday 15:00: 1 h on Thursday, then Sunday,
        # Monday, and 7 h on Tuesday.
        (riyadh(5, 15), 24 * HOURS, riyadh(10, 15)),
        # Zero minutes is the start itself.
        (riyadh(6, 10), 0, riyadh(6, 10)),
    ],
)
def test_due_times_in_riyadh(start: datetime, minutes: int, due: datetime) -> None:
    assert add_working_time(DEFAULT_CALENDAR, start, minutes) == due


def test_a_holiday_is_skipped() -> None:
    eid = BusinessCalendar.parse(holidays=["2026-03-08", "2026-03-09"])
    # Thursday 15:00 + 2 h: Sunday and Monday are holidays, so Tuesday 09:00.
    assert add_working_time(eid, riyadh(5, 15), 2 * HOURS) == riyadh(10, 9)
    assert working_minutes_between(eid, riyadh(5, 15), riyadh(10, 9)) == 2 * HOURS
    assert not is_working_instant(eid, riyadh(8, 10))
    assert is_working_instant(DEFAULT_CALENDAR, riyadh(8, 10))


def test_berlin_across_the_spring_change() -> None:
    """Friday 15:00 CET + 2 working hours is Monday 09:00 CEST: 2 days 17 hours of real time,
    one hour less than the wall clocks suggest."""
    berlin = BusinessCalendar(timezone="Europe/Berlin", working_days=(1, 2, 3, 4, 5))
    start = datetime(2026, 3, 27, 15, tzinfo=BERLIN)
    due = add_working_time(berlin, start, 2 * HOURS)
    assert due == datetime(2026, 3, 30, 9, tzinfo=BERLIN)
    assert due - start == timedelta(days=2, hours=17)
    assert due.astimezone(BERLIN).utcoffset() == timedelta(hours=2)  # summer time


def test_round_the_clock_days_last_23_or_25_hours_when_the_clocks_change() -> None:
    def day_length(key: str, day: date) -> timedelta:
        always = BusinessCalendar(
            timezone=key, working_days=(1, 2, 3, 4, 5, 6, 7), start="00:00", end="24:00"
        )
        window = window_of(always, day)
        assert window is not None
        return window[1] - window[0]

    assert day_length("Europe/Berlin", date(2026, 3, 29)) == timedelta(hours=23)
    assert day_length("Europe/Berlin", date(2026, 10, 25)) == timedelta(hours=25)
    assert day_length("America/New_York", date(2026, 3, 8)) == timedelta(hours=23)
    assert day_length("America/New_York", date(2026, 11, 1)) == timedelta(hours=25)
    assert day_length("Asia/Riyadh", date(2026, 3, 29)) == timedelta(hours=24)
    # Samoa moved across the date line: 30 December 2011 never happened there.
    assert day_length("Pacific/Apia", date(2011, 12, 30)) == timedelta(0)


def test_a_window_that_starts_in_the_skipped_hour_starts_at_the_jump() -> None:
    """New York, 8 March 2026: clocks go from 02:00 to 03:00. A 02:30–03:30 window starts when
    the clocks jump (03:00 EDT) and lasts 30 minutes."""
    odd = BusinessCalendar(
        timezone="America/New_York", working_days=(7,), start="02:30", end="03:30"
    )
    assert window_of(odd, date(2026, 3, 8)) == (
        datetime(2026, 3, 8, 3, tzinfo=NEW_YORK).astimezone(UTC),
        datetime(2026, 3, 8, 3, 30, tzinfo=NEW_YORK).astimezone(UTC),
    )


def test_a_window_ending_in_the_repeated_hour_ends_at_its_first_pass() -> None:
    """New York, 1 November 2026: clocks go back from 02:00 to 01:00. A window ending at 01:30
    ends the first time the clock shows 01:30."""
    odd = BusinessCalendar(
        timezone="America/New_York", working_days=(7,), start="00:00", end="01:30"
    )
    start, end = window_of(odd, date(2026, 11, 1)) or (None, None)
    assert end == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT
    assert start is not None and end - start == timedelta(minutes=90)


def test_a_long_target_spans_months_without_drift() -> None:
    # 250 working days of 8 hours from Thursday 1 January 2026, 08:00 Riyadh.
    start = datetime(2026, 1, 1, 8, tzinfo=RIYADH)
    due = add_working_time(DEFAULT_CALENDAR, start, 250 * 8 * HOURS)
    assert working_time_between(DEFAULT_CALENDAR, start, due) == timedelta(hours=2000)
    # Thursday the 1st, 49 Sunday–Thursday weeks, then Sunday to Wednesday 16 December.
    assert due == datetime(2026, 12, 16, 16, tzinfo=RIYADH)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone", "IANA"),
        ({"timezone": "localtime"}, "timezone", "IANA"),
        ({"timezone": "../etc/passwd"}, "timezone", "IANA"),
        ({"working_days": []}, "working_days", "at least one"),
        ({"working_days": [0, 1]}, "working_days", "ISO weekdays"),
        ({"working_days": [8]}, "working_days", "ISO weekdays"),
        ({"working_days": [1, 1]}, "working_days", "twice"),
        ({"start": "8:00"}, "start", "HH:MM"),
        ({"start": "24:00"}, "start", "HH:MM"),
        ({"start": "08:00\n"}, "start", "HH:MM"),
        ({"start": "٠٨:٠٠"}, "start", "HH:MM"),
        ({"end": "16:60"}, "end", "HH:MM"),
        ({"end": "25:00"}, "end", "HH:MM"),
        ({"start": "16:00", "end": "08:00"}, "end", "later than start"),
        ({"start": "09:00", "end": "09:00"}, "end", "later than start"),
        ({"holidays": ["2026-02-30"]}, "holidays", "YYYY-MM-DD"),
        ({"holidays": ["05/03/2026"]}, "holidays", "YYYY-MM-DD"),
        ({"holidays": ["2026-03-08\n"]}, "holidays", "YYYY-MM-DD"),
        ({"holidays": ["2026-03-08", "2026-03-08"]}, "holidays", "twice"),
    ],
)
def test_bad_calendars_name_the_field(fields: dict[str, object], field: str, message: str) -> None:
    with pytest.raises(ValidationFailed) as failure:
        BusinessCalendar.parse(**fields)  # type: ignore[arg-type]
    assert [e.field for e in failure.value.errors] == [field]
    assert message in failure.value.errors[0].message


def test_every_bad_field_is_reported_at_once() -> None:
    with pytest.raises(ValidationFailed) as failure:
        BusinessCalendar.parse(
            timezone="Nowhere", working_days=[9], start="x", end="y", holidays=["z"]
        )
    assert {e.field for e in failure.value.errors} == {
        "timezone",
        "working_days",
        "start",
        "end",
        "holidays",
    }


def test_a_calendar_round_trips_through_its_api_shape() -> None:
    calendar = BusinessCalendar.parse(
        timezone="Europe/Berlin",
        working_days=[1, 2, 3, 4, 5],
        start="09:30",
        end="24:00",
        holidays=["2026-12-25", "2026-01-01"],
    )
    fields = calendar.as_fields()
    assert fields["holidays"] == ["2026-01-01", "2026-12-25"]
    assert BusinessCalendar.parse(**fields) == calendar  # type: ignore[arg-type]
