"""Engine settings that the rest relies on: SQLite's pragmas and immediate transactions, the
pool, and refusals of what cannot work."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from helpdesk.adapters.storage.sql.engine import create_engine
from helpdesk.adapters.storage.sql.instrumentation import count_statements
from helpdesk.adapters.storage.sql.unit_of_work import SqlStorage


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


def test_the_pool_size_is_a_setting() -> None:
    engine = create_engine("postgresql+asyncpg://u@127.0.0.1:1/db", pool_size=3)
    assert (engine.pool.size(), engine.pool._max_overflow) == (3, 3)  # type: ignore[attr-defined]


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
