"""Job locks: while one holder runs a periodic job, another storage on the same database (as
another process would open it) is refused at once; released, the next holder gets it. On
PostgreSQL through pgbouncer too (the lock is transaction-scoped for that reason)."""

from __future__ import annotations

import asyncio
from typing import Any

from helpdesk.adapters.storage.memory.unit_of_work import MemoryStorage
from helpdesk.adapters.storage.sql.unit_of_work import SqlStorage


async def second_storage(storage: Any, spec: tuple[str, str | None]) -> Any:
    if isinstance(storage, MemoryStorage):
        return storage  # one process: the other holder is another task
    url, pooler = spec
    return SqlStorage(url, pooler=pooler)


async def test_one_holder_at_a_time_per_job(
    storage: Any, storage_spec: tuple[str, str | None]
) -> None:
    other = await second_storage(storage, storage_spec)
    try:
        async with storage.exclusive("sla") as first:
            assert first is True
            async with other.exclusive("sla") as second:
                assert second is False  # refused at once, not waited for
            async with other.exclusive("mail") as another_job:
                assert another_job is True
        async with other.exclusive("sla") as after:
            assert after is True
        async with storage.exclusive("sla") as again:
            assert again is True
    finally:
        if other is not storage:
            await other.dispose()


async def test_a_task_of_the_same_process_is_refused_too(storage: Any) -> None:
    entered = asyncio.Event()
    leave = asyncio.Event()

    async def hold() -> None:
        async with storage.exclusive("sla") as held:
            assert held
            entered.set()
            await leave.wait()

    holder = asyncio.create_task(hold())
    await entered.wait()
    async with storage.exclusive("sla") as second:
        assert second is False
    leave.set()
    await holder
