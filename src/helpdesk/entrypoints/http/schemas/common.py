"""HTTP shapes (msgspec Structs): shapes every resource shares: the problem document, and text bounds."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

UNSET = msgspec.UNSET
UnsetType = msgspec.UnsetType
# Length limits are the domain's (with messages a client can show); these only bound the work.
Text = Annotated[str, msgspec.Meta(max_length=20_000)]


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
