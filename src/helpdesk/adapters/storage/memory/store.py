"""The in-memory database: committed tables, and a transaction's copy-on-write view of them."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any


@dataclass
class MemoryStore:
    """Committed state. One writer at a time: a transaction holds `lock` from start to end,
    which gives the serializable isolation the SQL adapters get from their locks."""

    tables: dict[str, dict[Any, Any]] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class Transaction:
    """Reads see committed rows plus this transaction's writes; writes go to private copies of
    the touched tables and replace the committed ones on commit, all at once."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        self._tables: dict[str, dict[Any, Any]] = {}
        self._counters: dict[str, int] = {}

    def read(self, table: str) -> dict[Any, Any]:
        staged = self._tables.get(table)
        return staged if staged is not None else self._store.tables.get(table, {})

    def write(self, table: str) -> dict[Any, Any]:
        staged = self._tables.get(table)
        if staged is None:
            staged = dict(self._store.tables.get(table, {}))
            self._tables[table] = staged
        return staged

    def next_value(self, counter: str) -> int:
        value = self._counters.get(counter, self._store.counters.get(counter, 0)) + 1
        self._counters[counter] = value
        return value

    def commit(self) -> None:
        self._store.tables.update(self._tables)
        self._store.counters.update(self._counters)
        self._tables, self._counters = {}, {}
