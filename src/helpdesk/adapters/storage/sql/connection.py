"""The connection repositories write through: on PostgreSQL, writes whose result nobody reads
wait and go out together with the next INSERT, or at commit; the statements of the hot writes
are built once.

A create holds its department's assignment lock from reading the agents' loads until it
commits; every round trip in between is time no other create of that department can use. The
tie-break update (`last_assigned_at`), the audit entries and the notifications return nothing
the use case needs, so they are *deferred*: kept and sent as data-modifying common table
expressions of the next INSERT (`WITH d0 AS (UPDATE profiles …) INSERT INTO tickets …
RETURNING number`), or all together just before COMMIT. Before any other statement they are
sent first, so every read sees them. A deferred write that fails (a constraint) fails the
statement it travels with, inside the same transaction, which then rolls back as before.

Building a statement object and its cache key costs SQLAlchemy more than compiling it once: on
the create that was a third of its CPU time. So the hot writes are *shapes* (`Shape`):
a statement built once per prefix of its bind parameters' names, run with a dict of values.
Each deferred write gets its own prefix (`d0_`, `d1_`, …), so any sequence of them combines
into one statement, itself built once per sequence of shapes.

SQLite (no data-modifying CTEs, and a round trip is a thread hop, not the network) runs each
write at once.
"""

from __future__ import annotations

import functools
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Executable, Table, bindparam, insert, literal_column, select
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.dml import Insert, UpdateBase


class Shape(Hashable, Protocol):
    """A write statement, built once for each prefix of its bind parameters' names.

    Equal shapes build the same statement; `build(prefix)` names every bind parameter
    `prefix + name`, and the values it runs with are given by `name`. (Rows of one table
    inserted together must have the same columns.)"""

    def build(self, prefix: str) -> UpdateBase: ...


@dataclass(frozen=True)
class RowInsert:
    """An INSERT of one row of `table` with the given columns (bound, never literal),
    returning the columns named in `returning`."""

    table: Table
    columns: tuple[str, ...]
    returning: tuple[str, ...] = ()

    def build(self, prefix: str) -> UpdateBase:
        statement = insert(self.table).values(
            {name: bindparam(prefix + name, type_=self.table.c[name].type) for name in self.columns}
        )
        if self.returning:
            statement = statement.returning(*(self.table.c[name] for name in self.returning))
        return statement

    @classmethod
    def of(cls, table: Table, row: dict[str, Any], returning: tuple[str, ...] = ()) -> RowInsert:
        return cls(table, tuple(row), returning)


# A statement run at once names its bind parameters with this prefix: a bind parameter may not
# be named like a column its INSERT or UPDATE sets.
NOW = "v_"


@functools.lru_cache(maxsize=1024)
def built(shape: Shape, prefix: str) -> UpdateBase:
    return shape.build(prefix)


@functools.lru_cache(maxsize=1024)
def _combined(carrier: Shape | None, deferred: tuple[Shape, ...]) -> Executable:
    ctes = [built(shape, f"d{i}_").cte(f"deferred_{i}") for i, shape in enumerate(deferred)]
    if carrier is None:
        return select(literal_column("1")).add_cte(*ctes)
    statement = built(carrier, NOW)
    assert isinstance(statement, Insert), "only an INSERT carries deferred writes"
    return statement.add_cte(*ctes)


def _prefixed(prefix: str, values: dict[str, Any]) -> dict[str, Any]:
    return {prefix + name: value for name, value in values.items()}


class SqlConnection:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn
        self.dialect: Dialect = conn.dialect
        self._defers = conn.dialect.name == "postgresql"
        self._pending: list[tuple[Shape, dict[str, Any]]] = []

    async def execute(self, statement: Executable, parameters: Any = None) -> Any:
        """Run a statement built for this call (after the deferred writes)."""
        await self.flush()
        return await self._conn.execute(statement, parameters)

    async def write(self, shape: Shape, values: dict[str, Any]) -> Any:
        """Run the write `shape` with `values` now; on PostgreSQL an INSERT carries the
        deferred writes with it."""
        statement = built(shape, NOW)
        if self._pending and isinstance(statement, Insert):
            pending, self._pending = self._pending, []
            parameters = _prefixed(NOW, values)
            for i, (_, deferred_values) in enumerate(pending):
                parameters |= _prefixed(f"d{i}_", deferred_values)
            return await self._conn.execute(
                _combined(shape, tuple(s for s, _ in pending)), parameters
            )
        await self.flush()
        return await self._conn.execute(statement, _prefixed(NOW, values))

    async def defer(self, shape: Shape, values: dict[str, Any]) -> None:
        """Run the write `shape` (whose result is not read) now on SQLite; on PostgreSQL with
        the next INSERT, before the next other statement, or at commit."""
        if self._defers:
            self._pending.append((shape, values))
        else:
            await self._conn.execute(built(shape, NOW), _prefixed(NOW, values))

    async def defer_inserts(self, table: Table, rows: list[dict[str, Any]]) -> None:
        """Insert `rows` into `table`: at once on SQLite (one executemany); on PostgreSQL
        deferred, one single-row INSERT each."""
        if not rows:
            return
        shape = RowInsert.of(table, rows[0])
        if self._defers:
            self._pending.extend((shape, row) for row in rows)
        else:
            await self._conn.execute(built(shape, NOW), [_prefixed(NOW, row) for row in rows])

    async def flush(self) -> None:
        """Send the deferred writes (one statement)."""
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        if len(pending) == 1:
            shape, values = pending[0]
            await self._conn.execute(built(shape, NOW), _prefixed(NOW, values))
            return
        parameters: dict[str, Any] = {}
        for i, (_, values) in enumerate(pending):
            parameters |= _prefixed(f"d{i}_", values)
        await self._conn.execute(_combined(None, tuple(s for s, _ in pending)), parameters)
