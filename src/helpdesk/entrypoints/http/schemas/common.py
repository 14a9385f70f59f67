"""HTTP shapes (msgspec Structs): shapes every resource shares: the problem document, and text bounds."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

from helpdesk.domain.arabic import CLASSIFY_TEXT, DESCRIPTION, TITLE, TextLimits

UNSET = msgspec.UNSET
UnsetType = msgspec.UnsetType


# What msgspec bounds a text the domain checks itself: it only limits the work.
WORK_BOUND = 20_000


def documented(min_length: int, max_length: int, *, bound: int = WORK_BOUND) -> msgspec.Meta:
    """Length bounds the domain enforces (on the cleaned, trimmed text, in docs/rules.md's order of
    checks, with messages a client can show: 422 naming the field), published in the OpenAPI
    schema from the domain's own constants; msgspec only bounds the work (at `bound`)."""
    return msgspec.Meta(
        max_length=max(bound, max_length),
        extra_json_schema={"extra": {"minLength": min_length, "maxLength": max_length}},
    )


def documented_range(minimum: int, maximum: int) -> msgspec.Meta:
    """An integer range the domain enforces, published from its constants."""
    return msgspec.Meta(extra_json_schema={"extra": {"minimum": minimum, "maximum": maximum}})


def limited(limits: TextLimits) -> msgspec.Meta:
    return documented(limits.min_length, limits.max_length)


Title = Annotated[str, limited(TITLE)]
Description = Annotated[str, limited(DESCRIPTION)]
ClassifyText = Annotated[str, limited(CLASSIFY_TEXT)]


class FieldErrorOut(msgspec.Struct):
    field: str
    message: str


class Problem(msgspec.Struct):
    """RFC 9457 problem document (`application/problem+json`)."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldErrorOut] | UnsetType = UNSET
    # The request's id (also the X-Request-ID response header): quote it when reporting a fault.
    request_id: str | UnsetType = UNSET


def given(data: msgspec.Struct) -> dict[str, Any]:
    """The fields a PATCH body mentions (explicit nulls included), for a command whose other
    fields default to the domain's KEEP: msgspec's UNSET never goes past the HTTP edge."""
    return {
        name: value
        for name in data.__struct_fields__
        if (value := getattr(data, name)) is not UNSET
    }
