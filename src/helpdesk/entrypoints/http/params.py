"""What controllers read from a request besides the body: path ids, If-Match, query times."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from litestar import Request
from litestar.params import HeaderParameter, PathParameter, QueryParameter

from helpdesk.application.pagination import DEFAULT_LIMIT, MAX_LIMIT
from helpdesk.domain.errors import FieldError, NotFound, ValidationFailed
from helpdesk.domain.text import unstorable

MAX_VERSION_DIGITS = 18  # versions are 64-bit integers; a longer tag matches no version


def path_id(what: str) -> PathParameter:
    """A path id, documented as what it accepts: a UUID (anything else is simply unknown)."""
    return PathParameter(
        format="uuid", description=f"the {what}'s id, a UUID (anything else is unknown: 404)"
    )


TicketId = Annotated[str, path_id("ticket")]
UserId = Annotated[str, path_id("user")]
DepartmentId = Annotated[str, path_id("department")]
QuickActionId = Annotated[str, path_id("quick action")]
NotificationId = Annotated[str, path_id("notification")]
AttachmentId = Annotated[str, path_id("attachment")]
SlaPolicyId = Annotated[str, path_id("SLA policy")]


def documented_range(minimum: int, maximum: int, description: str) -> QueryParameter:
    """A query integer whose range the use case checks (in docs/rules.md's order of checks, 422
    naming it), published from the same constant."""
    return QueryParameter(
        description=description, schema_extra={"minimum": minimum, "maximum": maximum}
    )


# Every list's page size and cursor (api.md, Conventions).
Limit = Annotated[
    int | None,
    documented_range(1, MAX_LIMIT, f"page size, 1–{MAX_LIMIT} (default {DEFAULT_LIMIT})"),
]
Cursor = Annotated[
    str | None, QueryParameter(description="`next_cursor` of the previous page, same filters")
]
IfMatch = Annotated[
    str | None,
    HeaderParameter(
        name="If-Match",
        description='the version the change was made against, as the ETag gave it (`"3"`); '
        "another version → 412",
    ),
]


def path_uuid(raw: str, what: str) -> UUID:
    """A path id that is not a well-formed UUID is simply unknown (api.md): 404."""
    try:
        return UUID(raw)
    except ValueError:
        raise NotFound(f"{what} not found") from None


def if_match(raw: str | None) -> int | None:
    """`If-Match: "3"` → 3; `*` or absent → None; anything unparsable matches no version (-1)."""
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


async def refuse_unstorable_text(request: Request[Any, Any, Any]) -> None:
    """The app's `before_request` (after authentication and the role guards, before any
    parameter is parsed): a path holding text no storage keeps names nothing that exists (404);
    a query parameter holding it is a 422 naming the parameter. (The body has the same check
    where it is decoded, `JsonRequest.json`.)"""
    if any(isinstance(v, str) and unstorable(v) for v in request.path_params.values()):
        raise NotFound("not found")
    errors = []
    for name, value in request.query_params.multi_items():
        reason = unstorable(name)
        if reason is not None:
            errors.append(FieldError("query", f"a parameter name {reason}"))
            continue
        reason = unstorable(value) if isinstance(value, str) else None
        if reason is not None:
            # A parameter without a name (`?=x`) is named by where it came from.
            errors.append(FieldError(name or "query", reason))
    if errors:
        raise ValidationFailed(errors)
