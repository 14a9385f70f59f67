"""The connection repositories write through: on PostgreSQL, writes whose result nobody reads
wait and go out together with the next INSERT, or at commit.

A create holds its department's assignment lock from reading the agents' loads until it
commits; every round trip in between is time no other create of that department can use. The
tie-break update (`last_assigned_at`), the audit entries and the notifications return nothing
the use case needs, so they are *deferred*: kept as statements and sent as data-modifying
common table expressions of the next INSERT (`WITH d0 AS (UPDATE profiles …) INSERT INTO
tickets … RETURNING number`), or all together just before COMMIT. Before any other statement
they are sent first, so every read sees them. A deferred write that fails (a constraint) fails
the statement it travels with, inside the same transaction, which then rolls back as before.

SQLite (no data-modifying CTEs, and a round trip is a thread hop, not the network) runs each
write at once.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Executable, Table, insert, literal_column, select
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.dml import Insert, UpdateBase


class SqlConnection:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn
        self.dialect: Dialect = conn.dialect
        self._defers = conn.dialect.name == "postgresql"
        self._pending: list[UpdateBase] = []

    async def execute(self, statement: Executable, parameters: Any = None) -> Any:
        if self._pending:
            if isinstance(statement, Insert) and parameters is None:
                statement = statement.add_cte(*self._take_pending())
            else:
                await self.flush()
        return await self._conn.execute(statement, parameters)

    async def defer(self, statement: UpdateBase) -> None:
        """Run `statement` (a write whose result is not read) now on SQLite; on PostgreSQL with
        the next INSERT, before the next other statement, or at commit."""
        if self._defers:
            self._pending.append(statement)
        else:
            await self._conn.execute(statement)

    async def defer_inserts(self, table: Table, rows: list[dict[str, Any]]) -> None:
        """Insert `rows` into `table`: at once on SQLite (one executemany); on PostgreSQL
        deferred, one single-row INSERT each — a multi-row VALUES has no cache key in
        SQLAlchemy and would be compiled again for every ticket, single rows are compiled once."""
        if not rows:
            return
        if self._defers:
            self._pending.extend(insert(table).values(row) for row in rows)
        else:
            await self._conn.execute(insert(table), rows)

    async def flush(self) -> None:
        """Send the deferred writes (one statement)."""
        if not self._pending:
            return
        if len(self._pending) == 1:
            await self._conn.execute(self._pending.pop())
            return
        await self._conn.execute(select(literal_column("1")).add_cte(*self._take_pending()))

    def _take_pending(self) -> list[Any]:
        pending, self._pending = self._pending, []
        return [s.cte(f"deferred_{i}") for i, s in enumerate(pending)]
