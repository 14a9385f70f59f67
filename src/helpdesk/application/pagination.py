"""Keyset pagination: opaque cursors that carry the last row's sort key and the filters' hash."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, is_dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar
from uuid import UUID

from helpdesk.domain.errors import ValidationFailed
from helpdesk.domain.keyset import Keyed, Position

T = TypeVar("T")
K = TypeVar("K", bound=Keyed)
MAX_LIMIT = 200
DEFAULT_LIMIT = 50


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def check_limit(limit: int | None) -> int:
    if limit is None:
        return DEFAULT_LIMIT
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationFailed.of("limit", f"must be between 1 and {MAX_LIMIT}")
    return limit


def _canonical(value: Any) -> Any:
    """The filters as plain JSON whose text is the same in every process: dataclasses become
    dicts of their fields, sets sorted lists (their iteration order follows the process's hash
    seed), the rest strings."""
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        # Field by field, as `asdict` would give them, without its deep copies.
        return {f.name: _canonical(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, set | frozenset):
        return sorted(str(v) for v in value)
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)


def filters_hash(filters: Any) -> str:
    """A short digest of the filters a cursor was made under."""
    canonical = json.dumps(_canonical(filters), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def decode_cursor(cursor: str | None, filters: Any) -> Position | None:
    if cursor is None:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        position = Position(datetime.fromisoformat(data["t"]), UUID(data["i"]))
        digest = data["h"]
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError):
        raise ValidationFailed.of("cursor", "is not a cursor this service made") from None
    if digest != filters_hash(filters):
        raise ValidationFailed.of("cursor", "was made for other filters; start again without it")
    return position


def encode_cursor(position: Position, filters: Any) -> str:
    payload = {
        "t": position.created_at.isoformat(),
        "i": str(position.id),
        "h": filters_hash(filters),
    }
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def page_of(
    rows: Sequence[K],
    limit: int,
    filters: Any,
    *,
    key: Callable[[K], Position] = Position.of,
) -> Page[K]:
    """`rows` were fetched with `limit + 1`: the extra row only says that more exist. `key` is
    the list's sort key (by default created_at and id)."""
    items = list(rows[:limit])
    more = len(rows) > limit
    return Page(items, encode_cursor(key(items[-1]), filters) if more and items else None)
