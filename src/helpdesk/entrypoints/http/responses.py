"""Shared bits of the controllers: the container behind a request, documented error responses."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from litestar import Request
from litestar.openapi.datastructures import ResponseSpec

from helpdesk.entrypoints.http.schemas import Problem

if TYPE_CHECKING:
    from helpdesk.container import Container


def container_of(request: Request[Any, Any, Any]) -> Container:
    return request.app.state.container  # type: ignore[no-any-return]


def as_utc(value: datetime | None) -> datetime | None:
    """Query times without a zone are taken as UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _spec(description: str) -> ResponseSpec:
    return ResponseSpec(
        data_container=Problem, description=description, media_type="application/problem+json"
    )


ERRORS: dict[int, ResponseSpec] = {
    400: _spec("Malformed JSON"),
    401: _spec("Missing, invalid or expired bearer token"),
    403: _spec("Role not allowed, or profile deactivated"),
    404: _spec("Unknown, or not visible to the caller"),
    409: _spec("State conflict"),
    412: _spec("If-Match does not match the current version"),
    413: _spec("Body larger than 64 KiB"),
    422: _spec("Validation failed (errors name the fields)"),
    503: _spec("A dependency (database, classifier) is unavailable"),
}
