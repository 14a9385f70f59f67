"""Counting the SQL statements an engine sends: the create-ticket budget is a tested number
(architecture.md, rule 6), and benchmarks report it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

# Transaction control, not work: BEGIN [IMMEDIATE] and COMMIT/ROLLBACK reach the driver as
# statements on SQLite (the engine's listener) but as driver calls on asyncpg.
_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


@dataclass
class StatementLog:
    statements: list[str] = field(default_factory=list)

    @property
    def work(self) -> list[str]:
        """The statements that read or write data (transaction control left out)."""
        return [s for s in self.statements if not s.lstrip().upper().startswith(_CONTROL)]

    def clear(self) -> None:
        self.statements.clear()


@contextmanager
def count_statements(engine: AsyncEngine) -> Iterator[StatementLog]:
    """Record every statement `engine` sends to the database while the block runs."""
    log = StatementLog()

    def record(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        log.statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield log
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
