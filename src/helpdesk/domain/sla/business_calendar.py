"""A department's business calendar: when its people work, in its own time zone.

A calendar names a time zone, the ISO weekdays that are working days, one daily working period
(`start`–`end` local wall-clock time, `end` may be "24:00") and holidays as local dates. It is a
value object: building one with a bad field raises `ValidationFailed` naming every bad field, so an
invalid calendar cannot exist.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from helpdesk.domain.errors import FieldError, ValidationFailed

DEFAULT_TIMEZONE = "Asia/Riyadh"
DEFAULT_WORKING_DAYS: tuple[int, ...] = (7, 1, 2, 3, 4)  # Sunday to Thursday, ISO numbering
DEFAULT_START = "08:00"
DEFAULT_END = "16:00"
MAX_HOLIDAYS = 1000
MINUTES_PER_DAY = 24 * 60

_CLOCK = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Files in the time zone database that are not places: they would make a calendar depend on the
# host's own setting ("localtime") or mean "no zone configured" ("Factory").
_NOT_PLACES = frozenset({"localtime", "Factory", "posixrules"})


@functools.lru_cache(maxsize=256)
def is_known_timezone(key: str) -> bool:
    """Whether `key` names a zone of the IANA database (as installed, or the tzdata package)."""
    if key in _NOT_PLACES:
        return False
    try:
        ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def clock_minutes(text: str, *, allow_midnight_end: bool = False) -> int | None:
    """Minutes since midnight of an "HH:MM" time, or None when it is not one."""
    if allow_midnight_end and text == "24:00":
        return MINUTES_PER_DAY
    match = _CLOCK.fullmatch(text)
    if match is None:
        return None
    return int(match.group(1)) * 60 + int(match.group(2))


@dataclass(frozen=True, slots=True)
class BusinessCalendar:
    timezone: str = DEFAULT_TIMEZONE
    working_days: tuple[int, ...] = DEFAULT_WORKING_DAYS
    start: str = DEFAULT_START
    end: str = DEFAULT_END
    holidays: tuple[date, ...] = ()  # kept sorted

    zone: ZoneInfo = field(init=False, repr=False, compare=False)
    start_minute: int = field(init=False, repr=False, compare=False)
    end_minute: int = field(init=False, repr=False, compare=False)
    working_weekdays: frozenset[int] = field(init=False, repr=False, compare=False)
    holiday_set: frozenset[date] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        errors = _field_errors(self)
        if errors:
            raise ValidationFailed(errors)
        start = clock_minutes(self.start)
        end = clock_minutes(self.end, allow_midnight_end=True)
        assert start is not None and end is not None  # checked above
        # Frozen: the derived fields are set once, here, and never change afterwards.
        object.__setattr__(self, "holidays", tuple(sorted(self.holidays)))
        object.__setattr__(self, "working_days", tuple(self.working_days))
        object.__setattr__(self, "zone", ZoneInfo(self.timezone))
        object.__setattr__(self, "start_minute", start)
        object.__setattr__(self, "end_minute", end)
        object.__setattr__(self, "working_weekdays", frozenset(self.working_days))
        object.__setattr__(self, "holiday_set", frozenset(self.holidays))

    @classmethod
    def parse(
        cls,
        *,
        timezone: str = DEFAULT_TIMEZONE,
        working_days: Iterable[int] = DEFAULT_WORKING_DAYS,
        start: str = DEFAULT_START,
        end: str = DEFAULT_END,
        holidays: Iterable[str] = (),
    ) -> BusinessCalendar:
        """A calendar from its API shape (holidays as "YYYY-MM-DD" strings)."""
        parsed: list[date] = []
        bad = []
        for text in holidays:
            day = _parse_date(text)
            if day is None:
                bad.append(text)
            else:
                parsed.append(day)
        try:
            calendar = cls(timezone, tuple(working_days), start, end, tuple(parsed))
        except ValidationFailed as failure:
            errors = failure.errors
        else:
            errors = []
        if bad:
            shown = ", ".join(repr(b) for b in bad[:3])
            errors = [*errors, FieldError("holidays", f"{shown}: not a date YYYY-MM-DD")]
        if errors:
            raise ValidationFailed(errors)
        return calendar

    def is_working_date(self, day: date) -> bool:
        return day.isoweekday() in self.working_weekdays and day not in self.holiday_set

    def as_fields(self) -> dict[str, object]:
        """The API shape: what `parse` takes back."""
        return {
            "timezone": self.timezone,
            "working_days": list(self.working_days),
            "start": self.start,
            "end": self.end,
            "holidays": [d.isoformat() for d in self.holidays],
        }


def _parse_date(text: object) -> date | None:
    if not isinstance(text, str) or not _DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _field_errors(calendar: BusinessCalendar) -> list[FieldError]:
    errors = []
    if not isinstance(calendar.timezone, str) or not is_known_timezone(calendar.timezone):
        errors.append(FieldError("timezone", "must be an IANA time zone such as Asia/Riyadh"))
    return errors + _day_errors(calendar) + _hour_errors(calendar) + _holiday_errors(calendar)


def _day_errors(calendar: BusinessCalendar) -> list[FieldError]:
    days = list(calendar.working_days)
    if not days:
        return [FieldError("working_days", "must name at least one day")]
    if any(type(d) is not int or not 1 <= d <= 7 for d in days):
        return [FieldError("working_days", "days are ISO weekdays: 1 (Monday) to 7 (Sunday)")]
    if len(set(days)) != len(days):
        return [FieldError("working_days", "lists a day twice")]
    return []


def _hour_errors(calendar: BusinessCalendar) -> list[FieldError]:
    errors = []
    start = clock_minutes(calendar.start) if isinstance(calendar.start, str) else None
    end = (
        clock_minutes(calendar.end, allow_midnight_end=True)
        if isinstance(calendar.end, str)
        else None
    )
    if start is None:
        errors.append(FieldError("start", "must be a time HH:MM from 00:00 to 23:59"))
    if end is None:
        errors.append(FieldError("end", "must be a time HH:MM from 00:01 to 24:00"))
    if start is not None and end is not None and end <= start:
        errors.append(
            FieldError("end", "must be later than start (overnight hours are not supported)")
        )
    return errors


def _holiday_errors(calendar: BusinessCalendar) -> list[FieldError]:
    holidays = list(calendar.holidays)
    if any(type(h) is not date for h in holidays):
        return [FieldError("holidays", "must be dates YYYY-MM-DD")]
    if len(set(holidays)) != len(holidays):
        return [FieldError("holidays", "lists a date twice")]
    if len(holidays) > MAX_HOLIDAYS:
        return [FieldError("holidays", f"at most {MAX_HOLIDAYS} dates")]
    return []


DEFAULT_CALENDAR = BusinessCalendar()
