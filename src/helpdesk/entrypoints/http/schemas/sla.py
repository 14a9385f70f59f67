"""HTTP shapes (msgspec Structs): SLA policies and department calendars."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from helpdesk.domain.sla.business_calendar import (
    DEFAULT_END,
    DEFAULT_START,
    DEFAULT_TIMEZONE,
    DEFAULT_WORKING_DAYS,
    MAX_HOLIDAYS,
    BusinessCalendar,
)
from helpdesk.domain.sla.policy import DEFAULT_WARNING_PERCENT, BreachActions, Recipient, SlaPolicy
from helpdesk.domain.taxonomy import Category, Priority
from helpdesk.entrypoints.http.schemas.common import UNSET, UnsetType

Name = Annotated[str, msgspec.Meta(max_length=1000)]
RecipientName = Literal["assignee", "department", "admins"]


class OnBreach(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    notify: list[RecipientName] = msgspec.field(default_factory=lambda: ["assignee"])
    raise_priority: bool = False
    release: bool = False

    def actions(self) -> BreachActions:
        return BreachActions(
            tuple(Recipient(r) for r in self.notify), self.raise_priority, self.release
        )


class SlaPolicyCreate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    name: Name
    priority: Priority
    first_response_minutes: int
    resolution_minutes: int
    department_id: UUID | None = None
    category: Category | None = None
    warning_percent: int = DEFAULT_WARNING_PERCENT
    on_breach: OnBreach = msgspec.field(default_factory=OnBreach)
    is_active: bool = True


class SlaPolicyPatchIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    name: Name | UnsetType = UNSET
    priority: Priority | UnsetType = UNSET
    first_response_minutes: int | UnsetType = UNSET
    resolution_minutes: int | UnsetType = UNSET
    department_id: UUID | UnsetType | None = UNSET
    category: Category | UnsetType | None = UNSET
    warning_percent: int | UnsetType = UNSET
    on_breach: OnBreach | UnsetType = UNSET
    is_active: bool | UnsetType = UNSET


class OnBreachOut(msgspec.Struct):
    notify: list[str]
    raise_priority: bool
    release: bool


class SlaPolicyOut(msgspec.Struct):
    id: UUID
    name: str
    priority: Priority
    department_id: UUID | None
    category: Category | None
    first_response_minutes: int
    resolution_minutes: int
    warning_percent: int
    on_breach: OnBreachOut
    is_active: bool
    created_at: datetime


class SlaPolicyList(msgspec.Struct):
    items: list[SlaPolicyOut]
    next_cursor: str | None


def sla_policy_out(p: SlaPolicy) -> SlaPolicyOut:
    return SlaPolicyOut(
        id=p.id,
        name=p.name,
        priority=p.priority,
        department_id=p.department_id,
        category=p.category,
        first_response_minutes=p.first_response_minutes,
        resolution_minutes=p.resolution_minutes,
        warning_percent=p.warning_percent,
        on_breach=OnBreachOut(
            [str(r) for r in p.on_breach.notify], p.on_breach.raise_priority, p.on_breach.release
        ),
        is_active=p.is_active,
        created_at=p.created_at,
    )


class CalendarIO(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A department's business calendar (what GET answers and PUT takes)."""

    timezone: Annotated[str, msgspec.Meta(max_length=64)] = DEFAULT_TIMEZONE
    working_days: Annotated[list[int], msgspec.Meta(max_length=7)] = msgspec.field(
        default_factory=lambda: list(DEFAULT_WORKING_DAYS)
    )
    start: Annotated[str, msgspec.Meta(max_length=5)] = DEFAULT_START
    end: Annotated[str, msgspec.Meta(max_length=5)] = DEFAULT_END
    holidays: Annotated[
        list[Annotated[str, msgspec.Meta(max_length=10)]], msgspec.Meta(max_length=MAX_HOLIDAYS)
    ] = msgspec.field(default_factory=list)

    def calendar(self) -> BusinessCalendar:
        return BusinessCalendar.parse(
            timezone=self.timezone,
            working_days=self.working_days,
            start=self.start,
            end=self.end,
            holidays=self.holidays,
        )


def calendar_out(c: BusinessCalendar) -> CalendarIO:
    return CalendarIO(
        timezone=c.timezone,
        working_days=list(c.working_days),
        start=c.start,
        end=c.end,
        holidays=[d.isoformat() for d in c.holidays],
    )
