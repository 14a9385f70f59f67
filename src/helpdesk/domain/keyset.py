"""The keyset rule of every list (api.md, Lists): rows are ordered by (created_at, id), newest or
oldest first, and a page continues strictly after the last row of the previous one. SQL adapters
write the same comparison in their WHERE and ORDER BY; everything that pages in Python calls these
functions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar
from uuid import UUID


class Keyed(Protocol):
    @property
    def created_at(self) -> datetime: ...

    @property
    def id(self) -> UUID: ...


K = TypeVar("K", bound=Keyed)


@dataclass(frozen=True, slots=True)
class Position:
    """A keyset position: the sort key of the last row of the previous page."""

    created_at: datetime
    id: UUID

    @classmethod
    def of(cls, row: Keyed) -> Position:
        return cls(row.created_at, row.id)


def _key(row: Keyed) -> tuple[datetime, int]:
    return (row.created_at, row.id.int)


def newest_first_after(rows: Iterable[K], after: Position | None) -> list[K]:
    ordered = sorted(rows, key=_key, reverse=True)
    return ordered if after is None else [r for r in ordered if _key(r) < _key(after)]


def oldest_first_after(rows: Iterable[K], after: Position | None) -> list[K]:
    ordered = sorted(rows, key=_key)
    return ordered if after is None else [r for r in ordered if _key(r) > _key(after)]
