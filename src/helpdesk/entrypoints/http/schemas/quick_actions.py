"""HTTP shapes (msgspec Structs): quick actions."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec

from helpdesk.domain.records import QuickAction
from helpdesk.domain.taxonomy import Category, Priority
from helpdesk.entrypoints.http.schemas.common import UNSET, Text, UnsetType

Label = Annotated[str, msgspec.Meta(max_length=60)]


class QuickActionCreate(msgspec.Struct, forbid_unknown_fields=True):
    label: Label
    title: Text
    description: Text
    category: Category | None = None
    priority: Priority = Priority.MEDIUM
    icon: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    position: int | None = None


class QuickActionPatchIn(msgspec.Struct, forbid_unknown_fields=True):
    label: Label | UnsetType = UNSET
    title: Text | UnsetType = UNSET
    description: Text | UnsetType = UNSET
    category: Category | UnsetType | None = UNSET
    priority: Priority | UnsetType = UNSET
    icon: Annotated[str, msgspec.Meta(max_length=64)] | UnsetType | None = UNSET
    position: int | UnsetType = UNSET


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
