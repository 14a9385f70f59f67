"""HTTP shapes (msgspec Structs): departments."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from helpdesk.domain.departments import (
    MAX_DESCRIPTION,
    MAX_NAME,
    MAX_SLUG,
    SLUG_PATTERN,
    Department,
)
from helpdesk.domain.taxonomy import Category
from helpdesk.entrypoints.http.schemas.common import UNSET, UnsetType, documented

Slug = Annotated[
    str,
    msgspec.Meta(
        max_length=MAX_SLUG,
        extra_json_schema={"extra": {"minLength": 1, "pattern": SLUG_PATTERN}},
    ),
]
Name = Annotated[str, documented(1, MAX_NAME, bound=MAX_NAME)]
About = Annotated[str, msgspec.Meta(max_length=MAX_DESCRIPTION)]


class DepartmentCreate(msgspec.Struct, forbid_unknown_fields=True):
    slug: Slug
    name: Name
    description: About = ""
    categories: list[Category] = msgspec.field(default_factory=list)


class DepartmentPatch(msgspec.Struct, forbid_unknown_fields=True):
    name: Name | UnsetType = UNSET
    description: About | UnsetType = UNSET
    categories: list[Category] | UnsetType = UNSET
    is_active: bool | UnsetType = UNSET


class DepartmentOut(msgspec.Struct):
    id: UUID
    slug: str
    name: str
    description: str
    categories: list[Category]
    is_active: bool
    created_at: datetime


class DepartmentList(msgspec.Struct):
    items: list[DepartmentOut]
    next_cursor: str | None


def department_out(d: Department) -> DepartmentOut:
    return DepartmentOut(
        d.id, d.slug, d.name, d.description, list(d.categories), d.is_active, d.created_at
    )
