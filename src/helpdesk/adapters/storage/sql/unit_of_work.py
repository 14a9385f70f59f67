"""The SQL unit of work: one AsyncConnection, one transaction, committed once or rolled back."""

from __future__ import annotations

import contextlib
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from types import TracebackType
from typing import Self

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from helpdesk.adapters.storage.job_locks import FileJobLocks, PostgresJobLocks
from helpdesk.adapters.storage.sql.engine import READ_ONLY, create_engine
from helpdesk.adapters.storage.sql.errors import unavailable
from helpdesk.adapters.storage.sql.mail import (
    SqlAttachmentRepository,
    SqlInboundRepository,
    SqlOutboxRepository,
)
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
    SqlRoutingThresholdRepository,
    SqlTicketRepository,
)
from helpdesk.adapters.storage.sql.sla import SqlSlaRepository
from helpdesk.adapters.storage.sql.stats import SqlStatsRepository


class SqlUnitOfWork:
    """One use case's transaction. Leaving the block without `commit` rolls back; a lost
    database anywhere inside (opening, a statement, commit) surfaces as DependencyUnavailable.

    On PostgreSQL a ticket read through `tickets.get` is locked (FOR NO KEY UPDATE) until the
    transaction ends, so a read-modify-write use case never races another writer of that row.
    """

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
    sla: SqlSlaRepository
    inbound: SqlInboundRepository
    outbox: SqlOutboxRepository
    attachments: SqlAttachmentRepository
    routing_thresholds: SqlRoutingThresholdRepository

    def __init__(self, engine: AsyncEngine, *, read_only: bool = False) -> None:
        self._engine = engine
        self._read_only = read_only
        self._conn: AsyncConnection | None = None

    async def __aenter__(self) -> Self:
        try:
            conn = await self._engine.connect()
        except Exception as e:
            if (mapped := unavailable(e)) is not None:
                raise mapped from e
            raise
        try:
            if self._read_only:
                # SQLite: the engine's "begin" listener then opens a deferred transaction (a
                # snapshot under WAL) instead of taking the write lock.
                await conn.execution_options(**{READ_ONLY: True})
            # SQLite: otherwise the engine's "begin" listener makes this BEGIN IMMEDIATE.
            await conn.begin()
        except Exception as e:
            await _discard(conn)
            if (mapped := unavailable(e)) is not None:
                raise mapped from e
            raise
        self._conn = conn
        self.tickets = SqlTicketRepository(conn, lock_rows=not self._read_only)
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
        self.sla = SqlSlaRepository(conn)
        self.inbound = SqlInboundRepository(conn)
        self.outbox = SqlOutboxRepository(conn)
        self.attachments = SqlAttachmentRepository(conn)
        self.routing_thresholds = SqlRoutingThresholdRepository(conn)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            await _discard(conn)
        if exc is not None and (mapped := unavailable(exc)) is not None:
            raise mapped from exc

    async def commit(self) -> None:
        if self._conn is None:
            raise RuntimeError("commit outside `async with`")
        try:
            await self._conn.commit()
        except Exception as e:
            if (mapped := unavailable(e)) is not None:
                raise mapped from e
            raise


async def _discard(conn: AsyncConnection) -> None:
    """Roll back whatever is open and give the connection back to the pool."""
    try:
        if conn.in_transaction():
            await conn.rollback()
        await conn.close()
    except Exception:
        # The connection is gone already, and nothing uncommitted survives that: make sure the
        # pool never hands it out again.
        with contextlib.suppress(Exception):
            await conn.invalidate()


class SqlStorage:
    """The adapter's entry: one engine (a connection pool), a fresh unit of work per use case."""

    def __init__(
        self,
        url: str,
        *,
        pooler: str | None = None,
        pool_size: int | None = None,
        show_parameters: bool = False,
    ) -> None:
        self.url = url
        self.engine = create_engine(
            url, pooler=pooler, pool_size=pool_size, show_parameters=show_parameters
        )
        parsed = make_url(url)
        self._job_locks: PostgresJobLocks | FileJobLocks = (
            FileJobLocks(Path(str(parsed.database)).absolute())
            if parsed.get_backend_name() == "sqlite"
            else PostgresJobLocks(self.engine)
        )

    def exclusive(self, name: str) -> AbstractAsyncContextManager[bool]:
        """The periodic job `name`'s lock (`JobLocks`): one process at a time runs it."""
        return self._job_locks.exclusive(name)

    def unit_of_work(self, *, read_only: bool = False) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, read_only=read_only)

    async def ping(self) -> None:
        """Return when the database answers; DependencyUnavailable when it does not."""
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception as e:
            if (mapped := unavailable(e)) is not None:
                raise mapped from e
            raise

    async def dispose(self) -> None:
        await self.engine.dispose()
