"""Job locks (`JobLocks`): one process at a time runs a periodic job; the others skip the turn.

- PostgreSQL: a transaction-scoped advisory lock (`pg_try_advisory_xact_lock`) taken on a
  connection of its own and held, in an open transaction, while the job runs. Transaction
  scope keeps it correct behind a transaction-mode pooler (a session lock could be taken on one
  server connection and released on another); a process that dies releases it with its
  connection.
- SQLite: an exclusive `flock` on a file beside the database (`<database>.job-<name>.lock`),
  so several `serve --workers N` processes and a `helpdesk worker` on the same host take turns;
  the kernel releases it when a process dies.
- Memory (one process): a non-blocking lock per job name.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import os
from collections.abc import AsyncIterator
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine


def job_lock_key(name: str) -> int:
    """A stable signed 64-bit advisory-lock key, namespaced to periodic jobs."""
    digest = hashlib.blake2b(b"job:" + name.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class ProcessJobLocks:
    """Within one process: a second task asking for a held job's lock is refused at once."""

    def __init__(self) -> None:
        self._held: set[str] = set()

    @contextlib.asynccontextmanager
    async def exclusive(self, name: str) -> AsyncIterator[bool]:
        if name in self._held:
            yield False
            return
        self._held.add(name)
        try:
            yield True
        finally:
            self._held.discard(name)


class PostgresJobLocks:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    @contextlib.asynccontextmanager
    async def exclusive(self, name: str) -> AsyncIterator[bool]:
        async with self._engine.connect() as conn:
            held = (
                await conn.execute(select(func.pg_try_advisory_xact_lock(job_lock_key(name))))
            ).scalar_one()
            try:
                yield bool(held)
            finally:
                await conn.rollback()  # ends the transaction, and the lock with it


class FileJobLocks:
    def __init__(self, database: Path) -> None:
        self._database = database
        self._in_process = ProcessJobLocks()

    def path_of(self, name: str) -> Path:
        return self._database.with_name(f"{self._database.name}.job-{name}.lock")

    @contextlib.asynccontextmanager
    async def exclusive(self, name: str) -> AsyncIterator[bool]:
        # flock is per open file: tasks of this process are kept apart by the in-process lock.
        async with self._in_process.exclusive(name) as mine:
            if not mine:
                yield False
                return
            fd = await asyncio.to_thread(os.open, self.path_of(name), os.O_RDWR | os.O_CREAT, 0o600)
            try:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    yield False
                    return
                try:
                    yield True
                finally:
                    fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)
