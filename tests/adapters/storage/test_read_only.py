"""Read-only units of work read beside a writer: on SQLite they do not take the write lock (a
deferred transaction reads a WAL snapshot); on PostgreSQL they lock no ticket row."""

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
