"""The SQL unit of work: one AsyncConnection, one transaction, committed once or rolled back."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Hashable
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from helpdesk.adapters.storage.job_locks import FileJobLocks, PostgresJobLocks
from helpdesk.adapters.storage.profile_cache import TtlCache, TtlProfileCache
from helpdesk.adapters.storage.sql.connection import SqlConnection
from helpdesk.adapters.storage.sql.engine import READ_ONLY, connect_raw, create_engine
from helpdesk.adapters.storage.sql.errors import unavailable
from helpdesk.adapters.storage.sql.mail import (
    SqlAttachmentRepository,
    SqlInboundRepository,
    SqlOutboxRepository,
)
from helpdesk.adapters.storage.sql.repositories import (
    PROFILE_CHANGES_CHANNEL,
    REFERENCE_CHANGED,
    ReferenceData,
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

log = logging.getLogger("helpdesk.storage")
LISTEN_START_SECONDS = 5.0
RELISTEN_SECONDS = 1.0


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

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        read_only: bool = False,
        profile_cache: TtlProfileCache | None = None,
        reference_cache: TtlCache[Hashable, Any] | None = None,
    ) -> None:
        self._engine = engine
        self._read_only = read_only
        self._profile_cache = profile_cache
        self._reference_cache = reference_cache
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
                # No transaction at all, so no BEGIN and ROLLBACK round trips: each statement
                # reads its own snapshot (PostgreSQL's READ COMMITTED; SQLite under WAL, where
                # the engine's "begin" listener then skips BEGIN), and nothing is locked.
                options: dict[str, Any] = {READ_ONLY: True}
                if conn.dialect.name == "postgresql":
                    options["isolation_level"] = "AUTOCOMMIT"
                await conn.execution_options(**options)
            # SQLite: otherwise the engine's "begin" listener makes this BEGIN IMMEDIATE.
            await conn.begin()
        except Exception as e:
            await _discard(conn)
            if (mapped := unavailable(e)) is not None:
                raise mapped from e
            raise
        self._conn = conn
        self._writer = writer = SqlConnection(conn)
        self.tickets = SqlTicketRepository(writer, lock_rows=not self._read_only)
        self.profiles = SqlProfileRepository(writer, set())
        # Only the writing units of work (a create, the SLA pass) read the kept copies: what a
        # read-only one shows a person (the department or policy lists) is read from the
        # database, so an admin who just changed it sees the change in any worker.
        kept = None if self._read_only else self._reference_cache
        self._reference = reference = ReferenceData(writer, kept)
        self.departments = SqlDepartmentRepository(writer, reference)
        self.assignment = SqlAssignmentRepository(writer)
        self.comments = SqlCommentRepository(writer)
        self.audit = SqlAuditRepository(writer)
        self.notifications = SqlNotificationRepository(writer)
        self.idempotency = SqlIdempotencyRepository(writer)
        self.quick_actions = SqlQuickActionRepository(writer)
        self.credentials = SqlCredentialRepository(writer)
        self.stats = SqlStatsRepository(writer)
        self.sla = SqlSlaRepository(writer, reference)
        self.inbound = SqlInboundRepository(writer)
        self.outbox = SqlOutboxRepository(writer)
        self.attachments = SqlAttachmentRepository(writer)
        self.routing_thresholds = SqlRoutingThresholdRepository(writer)
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
            await self._writer.flush()
            await self._conn.commit()
        except Exception as e:
            if (mapped := unavailable(e)) is not None:
                raise mapped from e
            raise
        if self._profile_cache is not None and self.profiles.changed:
            self._profile_cache.forget(self.profiles.changed)
        if self._reference_cache is not None and self._reference.written:
            self._reference_cache.clear()


async def _discard(conn: AsyncConnection) -> None:
    """Roll back whatever is open and give the connection back to the pool (closing rolls back
    an open transaction once and tells the pool so; an explicit rollback first would make the
    pool roll back a second time)."""
    try:
        await conn.close()
    except Exception:
        # The connection is gone already, and nothing uncommitted survives that: make sure the
        # pool never hands it out again.
        with contextlib.suppress(Exception):
            await conn.invalidate()


class SqlStorage:
    """The adapter's entry: one engine (a connection pool), a fresh unit of work per use case.

    With `profile_cache_seconds`, callers' profiles are kept that long (`profile_cache`, used
    by the caller lookup); a profile written through a unit of work is forgotten at commit. On
    PostgreSQL `listen_for_profile_changes` also hears the other workers' commits; while it
    cannot (before it starts, after its connection drops), nothing is kept."""

    def __init__(
        self,
        url: str,
        *,
        pooler: str | None = None,
        connections: int | None = None,
        show_parameters: bool = False,
        profile_cache_seconds: float = 0.0,
    ) -> None:
        self.url = url
        self.engine = create_engine(
            url, pooler=pooler, connections=connections, show_parameters=show_parameters
        )
        self._pooler = pooler
        self.profile_cache = (
            TtlProfileCache(profile_cache_seconds) if profile_cache_seconds > 0 else None
        )
        # Departments, SLA policies and calendars: kept as long, forgotten the same way.
        self.reference_cache: TtlCache[Hashable, Any] | None = (
            TtlCache(profile_cache_seconds) if profile_cache_seconds > 0 else None
        )
        self._listener: asyncio.Task[None] | None = None
        if self._postgres:
            self._suspend_caches()  # until the listener hears changes
        parsed = make_url(url)
        self._job_locks: PostgresJobLocks | FileJobLocks = (
            FileJobLocks(Path(str(parsed.database)).absolute())
            if parsed.get_backend_name() == "sqlite"
            else PostgresJobLocks(self.engine)
        )

    @property
    def _postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def exclusive(self, name: str) -> AbstractAsyncContextManager[bool]:
        """The periodic job `name`'s lock (`JobLocks`): one process at a time runs it."""
        return self._job_locks.exclusive(name)

    def unit_of_work(self, *, read_only: bool = False) -> SqlUnitOfWork:
        return SqlUnitOfWork(
            self.engine,
            read_only=read_only,
            profile_cache=self.profile_cache,
            reference_cache=self.reference_cache,
        )

    def _caches(self) -> list[TtlCache[Any, Any]]:
        return [c for c in (self.profile_cache, self.reference_cache) if c is not None]

    def _suspend_caches(self) -> None:
        for cache in self._caches():
            cache.suspend()

    async def listen_for_profile_changes(self) -> None:
        """PostgreSQL: start hearing profile changes committed by any worker (and resume
        keeping profiles once it does); returns once listening, or after a first failed
        attempt (it keeps trying in the background). Behind a transaction-mode pooler LISTEN
        does not work: nothing is kept there."""
        if self.profile_cache is None or not self._postgres or self._pooler == "transaction":
            return
        if self._listener is None:
            listening = asyncio.Event()
            self._listener = asyncio.create_task(self._listen(listening))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(listening.wait(), LISTEN_START_SECONDS)

    async def _listen(self, listening: asyncio.Event) -> None:
        """Listen until cancelled, reconnecting after a lost connection; nothing is kept
        while not listening."""
        assert self.profile_cache is not None
        warned = False
        while True:
            try:
                await self._listen_once(listening)
                warned = False
            except asyncio.CancelledError:
                raise
            except Exception as e:
                if not warned:  # once per outage, not every second
                    log.warning("profile changes: cannot listen (%s); keeping no profiles", e)
                    warned = True
                listening.set()  # the start need not wait for the database to come back
            finally:
                self._suspend_caches()
            await asyncio.sleep(RELISTEN_SECONDS)

    async def _listen_once(self, listening: asyncio.Event) -> None:
        profiles, reference = self.profile_cache, self.reference_cache
        assert profiles is not None and reference is not None

        def heard(_conn: Any, _pid: int, _channel: str, payload: str) -> None:
            if payload == REFERENCE_CHANGED:
                reference.clear()
                return
            with contextlib.suppress(ValueError):
                profiles.forget([UUID(payload)])

        lost = asyncio.Event()
        conn = await connect_raw(self.engine, self.url)
        try:
            conn.add_termination_listener(lambda _conn: lost.set())
            await conn.add_listener(PROFILE_CHANGES_CHANNEL, heard)
            for cache in self._caches():
                cache.resume()  # whatever was kept before may have changed unheard
            listening.set()
            await lost.wait()
        finally:
            if not conn.is_closed():
                with contextlib.suppress(Exception):
                    await conn.close(timeout=1)

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
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
            self._listener = None
        await self.engine.dispose()
