"""Department rules: unique slugs, one active department per category."""

from __future__ import annotations

import re
from collections.abc import Iterable
from uuid import UUID

from helpdesk.domain.errors import Conflict, FieldError, ValidationFailed
from helpdesk.domain.people import Department
from helpdesk.domain.taxonomy import Category

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def check_fields(slug: str | None, name: str | None, categories: Iterable[Category] | None) -> None:
    errors = []
    if slug is not None and not (_SLUG.match(slug) and len(slug) <= 64):
        errors.append(FieldError("slug", "lower-case letters, digits and dashes, up to 64"))
    if name is not None and not 1 <= len(name.strip()) <= 120:
        errors.append(FieldError("name", "must be 1–120 characters"))
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
