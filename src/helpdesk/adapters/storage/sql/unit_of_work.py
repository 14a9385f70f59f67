"""The SQL unit of work: one AsyncConnection, one transaction, committed once or rolled back."""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Self

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from helpdesk.adapters.storage.sql.engine import create_engine
from helpdesk.adapters.storage.sql.repositories import (
    SqlAssignmentRepository,
    SqlAuditRepository,
    SqlCommentRepository,
    SqlCredentialRepository,
    SqlDepartmentRepository,
    SqlIdempotencyRepository,
    SqlNotificationRepository,
    SqlProfileRepository,
    SqlQuickActionRepository,
    SqlTicketRepository,
)
from helpdesk.adapters.storage.sql.stats import SqlStatsRepository
from helpdesk.domain.errors import DependencyUnavailable

# What a lost or unreachable database looks like from here.
OUTAGES: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    PoolTimeout,
    OSError,
    ConnectionError,
    asyncio.TimeoutError,
)


def is_outage(error: BaseException) -> bool:
    if isinstance(error, OUTAGES):
        return True
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    # asyncpg's own connection errors arrive unwrapped at connect time.
    return type(error).__module__.startswith("asyncpg") and "Connection" in type(error).__name__


class SqlUnitOfWork:
    tickets: SqlTicketRepository
    profiles: SqlProfileRepository
    departments: SqlDepartmentRepository
    assignment: SqlAssignmentRepository
    comments: SqlCommentRepository
    audit: SqlAuditRepository
    notifications: SqlNotificationRepository
    idempotency: SqlIdempotencyRepository
    quick_actions: SqlQuickActionRepository
    credentials: SqlCredentialRepository
    stats: SqlStatsRepository

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._conn: AsyncConnection | None = None

    async def __aenter__(self) -> Self:
        try:
            conn = await self._engine.connect()
            await conn.begin()
        except Exception as e:
            if is_outage(e):
                raise DependencyUnavailable("the database is unavailable") from e
            raise
        self._conn = conn
        self.tickets = SqlTicketRepository(conn)
        self.profiles = SqlProfileRepository(conn)
        self.departments = SqlDepartmentRepository(conn)
        self.assignment = SqlAssignmentRepository(conn)
        self.comments = SqlCommentRepository(conn)
        self.audit = SqlAuditRepository(conn)
        self.notifications = SqlNotificationRepository(conn)
        self.idempotency = SqlIdempotencyRepository(conn)
        self.quick_actions = SqlQuickActionRepository(conn)
        self.credentials = SqlCredentialRepository(conn)
        self.stats = SqlStatsRepository(conn)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            if conn.in_transaction():
                await conn.rollback()
            await conn.close()
        except Exception:  # the connection is gone already; nothing was committed
            await conn.invalidate()
        if exc is not None and is_outage(exc):
            raise DependencyUnavailable("the database is unavailable") from exc

    async def commit(self) -> None:
        assert self._conn is not None
        try:
            await self._conn.commit()
        except Exception as e:
            if is_outage(e):
                raise DependencyUnavailable("the database is unavailable") from e
            raise


class SqlStorage:
    """The adapter's entry: one engine (a pool), a fresh unit of work per use case."""

    def __init__(self, url: str, *, pooler: str | None = None) -> None:
        self.url = url
        self.engine = create_engine(url, pooler=pooler)

    def unit_of_work(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine)

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()
