"""What controllers read from a request besides the body: path ids, If-Match, query times."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from litestar import Request

from helpdesk.domain.errors import NotFound, ValidationFailed

MAX_VERSION_DIGITS = 18  # versions are 64-bit integers; a longer tag matches no version


def path_uuid(raw: str, what: str) -> UUID:
    """A path id that is not a well-formed UUID is simply unknown (api.md): 404."""
    try:
        return UUID(raw)
    except ValueError:
        raise NotFound(f"{what} not found") from None


def if_match(request: Request[Any, Any, Any]) -> int | None:
    """`If-Match: "3"` → 3; `*` or absent → None; anything unparsable matches no version (-1)."""
    raw = request.headers.get("if-match")
    if raw is None or raw.strip() == "*":
        return None
    tag = raw.strip().removeprefix("W/").strip('"')
    if not (tag.isascii() and tag.isdigit()) or len(tag) > MAX_VERSION_DIGITS:
        return -1
    return int(tag)


def as_utc(value: datetime | None, field: str) -> datetime | None:
    """A query time in UTC; one without a zone is taken as UTC. A time at the calendar's edge
    whose offset pushes it past year 1 or 9999 is a bad value, not a crash."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValidationFailed.of(field, "is outside the supported range of dates") from None
