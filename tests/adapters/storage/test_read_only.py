"""Read-only units of work read beside a writer: on SQLite they do not take the write lock
(each statement reads a WAL snapshot) and make no trip to the driver's thread beyond their
statements; on PostgreSQL they lock no ticket row."""

from __future__ import annotations

import asyncio

import pytest

from helpdesk.adapters.storage.sql.unit_of_work import SqlStorage
from helpdesk.application.ports.storage.tickets import TicketFilter
from helpdesk.domain.errors import DependencyUnavailable
from helpdesk.domain.permissions import TicketScope
from helpdesk.domain.taxonomy import Role

from .builders import department, manual_ticket, profile, seed

# Far below SQLite's busy timeout (10 s) and any lock wait: a reader that waits fails.
PROMPT = 3.0


async def test_a_reader_runs_beside_a_writer_and_sees_the_last_commit(sql_url: str) -> None:
    storage = SqlStorage(sql_url)
    submitter = profile(Role.END_USER)
    committed = manual_ticket(submitter)
    await seed(storage, department("it"), submitter, committed)
    try:
        async with storage.unit_of_work() as writer:
            # The writer holds SQLite's write lock (BEGIN IMMEDIATE) and, on PostgreSQL, the
            # ticket's row lock, and has an uncommitted ticket of its own.
            assert await writer.tickets.get(committed.id) is not None
            await writer.tickets.add(manual_ticket(submitter))

            async def read() -> list[object]:
                async with storage.unit_of_work(read_only=True) as reader:
                    assert await reader.tickets.get(committed.id) == committed
                    return list(
                        await reader.tickets.search(
                            TicketScope(everything=True), TicketFilter(), None, 10
                        )
                    )

            seen = await asyncio.wait_for(read(), PROMPT)
            assert [t.id for t in seen] == [committed.id]  # not the uncommitted one
            await writer.commit()
    finally:
        await storage.dispose()


async def test_a_second_writer_still_waits_for_the_first(sqlite_url: str) -> None:
    """Read-only is the exception: writers stay serialized (the fairness of assignment and
    the absence of lost updates rely on it)."""
    storage = SqlStorage(sqlite_url)
    await seed(storage, department("it"))
    try:
        async with storage.unit_of_work() as first:
            await first.departments.all()

            async def write() -> None:
                async with storage.unit_of_work() as second:
                    await second.departments.all()

            with pytest.raises((TimeoutError, DependencyUnavailable)):
                await asyncio.wait_for(write(), 1.0)
    finally:
        await storage.dispose()


async def test_a_sqlite_read_makes_no_trip_beyond_its_statement(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every call into aiosqlite is a trip to its thread: a one-statement read is the statement's
    own four (cursor, execute, fetch, close), no BEGIN and no rollback of nothing — while a
    writing unit of work that fails still rolls back what it wrote."""
    import aiosqlite.core

    storage = SqlStorage(sqlite_url)
    submitter = profile(Role.END_USER)
    await seed(storage, department("it"), submitter)
    calls: list[str] = []
    original = aiosqlite.core.Connection._execute

    async def counted(self: object, fn: object, *args: object, **kwargs: object) -> object:
        calls.append(getattr(fn, "__name__", str(fn)))
        return await original(self, fn, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(aiosqlite.core.Connection, "_execute", counted)
    try:
        for _ in range(2):  # the second time with a pooled connection
            calls.clear()
            async with storage.unit_of_work(read_only=True) as uow:
                assert await uow.notifications.unread_count(submitter.id) == 0
            assert sorted(calls) == ["close", "cursor", "execute", "fetchall"], calls
        unsaved = manual_ticket(submitter)
        with pytest.raises(RuntimeError):
            async with storage.unit_of_work() as uow:
                await uow.tickets.add(unsaved)
                raise RuntimeError("the use case failed after writing")
        assert "rollback" in calls
        async with storage.unit_of_work(read_only=True) as uow:
            assert await uow.tickets.get(unsaved.id) is None
        async with storage.unit_of_work() as uow:  # and the write lock was let go
            await uow.tickets.add(manual_ticket(submitter))
            await uow.commit()
    finally:
        await storage.dispose()
