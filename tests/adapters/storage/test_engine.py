"""Engine settings that the rest relies on: SQLite's pragmas and immediate transactions, the
pool, and refusals of what cannot work."""

from __future__ import annotations

import asyncio
from uuid import uuid4

import pytest
from sqlalchemy import event, text

from helpdesk.adapters.storage.sql.engine import create_engine
from helpdesk.adapters.storage.sql.instrumentation import count_statements
from helpdesk.adapters.storage.sql.unit_of_work import SqlStorage
from helpdesk.container import build_container, close_resources, open_resources
from helpdesk.settings import Settings


async def test_sqlite_runs_wal_with_immediate_transactions(sqlite_url: str) -> None:
    storage = SqlStorage(sqlite_url)
    with count_statements(storage.engine) as log:
        async with storage.unit_of_work() as uow:
            await uow.departments.all()
    async with storage.engine.connect() as conn:
        pragmas = {
            name: (await conn.execute(text(f"PRAGMA {name}"))).scalar()
            for name in ("journal_mode", "busy_timeout", "foreign_keys")
        }
    await storage.dispose()
    assert log.statements[0] == "BEGIN IMMEDIATE"
    assert pragmas == {"journal_mode": "wal", "busy_timeout": 10_000, "foreign_keys": 1}


def test_the_connections_a_process_keeps_are_a_setting() -> None:
    engine = create_engine("postgresql+asyncpg://u@127.0.0.1:1/db", connections=3)
    assert (engine.pool.size(), engine.pool._max_overflow) == (3, 0)  # type: ignore[attr-defined]


async def test_connections_are_kept_open_under_more_concurrent_work_than_they_number(
    postgres_url: str,
) -> None:
    """Work beyond the connections waits for one instead of opening and closing more: with
    "overflow" connections a busy worker opened a new PostgreSQL session every few requests."""
    storage = SqlStorage(postgres_url, connections=4)
    opened: list[object] = []
    event.listen(storage.engine.sync_engine, "connect", lambda conn, _record: opened.append(conn))
    in_use = 0
    most = 0

    async def one_read() -> None:
        nonlocal in_use, most
        async with storage.unit_of_work(read_only=True) as uow:
            in_use += 1
            most = max(most, in_use)
            await uow.notifications.unread_count(uuid4())
            await asyncio.sleep(0.01)
            in_use -= 1

    try:
        for _ in range(5):
            await asyncio.gather(*(one_read() for _ in range(12)))
    finally:
        await storage.dispose()
    assert most == 4
    assert len(opened) == 4


@pytest.mark.parametrize(
    ("url", "pooler"),
    [
        ("sqlite+aiosqlite:///:memory:", None),
        ("sqlite+aiosqlite://", None),
        ("postgresql+asyncpg://u@127.0.0.1/db", "session"),
    ],
)
def test_what_cannot_work_is_refused_up_front(url: str, pooler: str | None) -> None:
    with pytest.raises(ValueError):
        create_engine(url, pooler=pooler)


async def test_a_libpq_sslmode_in_the_url_is_understood(postgres_url: str) -> None:
    """Connection strings copied from Supabase may say `?sslmode=…`; asyncpg calls it `ssl`."""
    storage = SqlStorage(f"{postgres_url}?sslmode=disable")
    try:
        await storage.ping()
        async with storage.unit_of_work() as uow:
            assert await uow.departments.all() == []
    finally:
        await storage.dispose()


async def test_the_connections_setting_reaches_the_storage(sqlite_url: str) -> None:
    container = build_container(
        Settings(database_url=sqlite_url, env="test", database_connections=3)
    )
    await open_resources(container, ("storage",))
    try:
        assert container.storage().engine.pool.size() == 3
    finally:
        await close_resources(container)
