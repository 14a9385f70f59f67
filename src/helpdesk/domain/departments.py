"""Departments and their rules: unique slugs, one active department per category, and the
directory the router reads."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from helpdesk.domain.errors import Conflict, FieldError, ValidationFailed
from helpdesk.domain.taxonomy import Category


@dataclass(slots=True)
class Department:
    id: UUID
    slug: str
    name: str
    description: str
    categories: tuple[Category, ...]
    is_active: bool
    created_at: datetime


def active_department_for(
    departments: list[Department],
) -> dict[Category, UUID]:
    """Which active department handles each category (one at most, by construction)."""
    mapping: dict[Category, UUID] = {}
    for department in departments:
        if department.is_active:
            for category in department.categories:
                mapping.setdefault(category, department.id)
    return mapping


@dataclass(frozen=True, slots=True)
class DepartmentDirectory:
    """The departments as the router sees them at one moment."""

    by_category: dict[Category, UUID] = field(default_factory=dict)
    active_ids: frozenset[UUID] = frozenset()

    @classmethod
    def of(cls, departments: list[Department]) -> DepartmentDirectory:
        return cls(
            by_category=active_department_for(departments),
            active_ids=frozenset(d.id for d in departments if d.is_active),
        )


SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
MAX_SLUG = 64
MAX_NAME = 120
MAX_DESCRIPTION = 2000
_SLUG = re.compile(SLUG_PATTERN)


def check_fields(slug: str | None, name: str | None, categories: Iterable[Category] | None) -> None:
    errors = []
    if slug is not None and not (_SLUG.match(slug) and len(slug) <= MAX_SLUG):
        errors.append(
            FieldError("slug", f"lower-case letters, digits and dashes, up to {MAX_SLUG}")
        )
    if name is not None and not 1 <= len(name.strip()) <= MAX_NAME:
        errors.append(FieldError("name", f"must be 1–{MAX_NAME} characters"))
    if categories is not None:
        listed = list(categories)
        if len(set(listed)) != len(listed):
            errors.append(FieldError("categories", "lists a category twice"))
        if Category.OTHER in listed:
            errors.append(FieldError("categories", "`other` belongs to no department"))
    if errors:
        raise ValidationFailed(errors)


def check_categories_free(
    department_id: UUID, categories: Iterable[Category], others: Iterable[Department]
) -> None:
    """An active department may not claim a category another active department handles."""
    wanted = set(categories)
    for other in others:
        if other.id != department_id and other.is_active:
            taken = wanted & set(other.categories)
            if taken:
                names = ", ".join(sorted(taken))
                raise Conflict(f"{names} is already handled by the active department {other.slug}")
