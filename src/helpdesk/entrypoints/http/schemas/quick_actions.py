"""HTTP shapes (msgspec Structs): quick actions."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec

from helpdesk.domain.quick_actions import LABEL, MAX_ICON, MAX_LABEL, MAX_POSITION
from helpdesk.domain.records import QuickAction
from helpdesk.domain.taxonomy import Category, Priority
from helpdesk.entrypoints.http.schemas.common import (
    UNSET,
    Description,
    Title,
    UnsetType,
    documented,
    documented_range,
)

Label = Annotated[str, documented(LABEL.min_length, LABEL.max_length, bound=MAX_LABEL)]
Icon = Annotated[str, documented(1, MAX_ICON, bound=MAX_ICON)]
Position = Annotated[int, documented_range(0, MAX_POSITION)]


class QuickActionCreate(msgspec.Struct, forbid_unknown_fields=True):
    label: Label
    title: Title
    description: Description
    category: Category | None = None
    priority: Priority = Priority.MEDIUM
    icon: Icon | None = None
    position: Position | None = None


class QuickActionPatchIn(msgspec.Struct, forbid_unknown_fields=True):
    label: Label | UnsetType = UNSET
    title: Title | UnsetType = UNSET
    description: Description | UnsetType = UNSET
    category: Category | UnsetType | None = UNSET
    priority: Priority | UnsetType = UNSET
    icon: Icon | UnsetType | None = UNSET
    position: Position | UnsetType = UNSET


class QuickActionOut(msgspec.Struct):
    id: UUID
    label: str
    title: str
    description: str
    category: Category | None
    priority: Priority
    icon: str | None
    position: int


class QuickActionList(msgspec.Struct):
    items: list[QuickActionOut]
    next_cursor: str | None


def quick_action_out(a: QuickAction) -> QuickActionOut:
    return QuickActionOut(
        a.id, a.label, a.title, a.description, a.category, a.priority, a.icon, a.position
    )
