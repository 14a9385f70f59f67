"""Storage for tests: the same suites run on memory, SQLite and PostgreSQL.

PostgreSQL tests create a throwaway database on the local server and drop it afterwards. Without
a reachable server they skip — except under CI=true, where they fail instead.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from helpdesk.adapters.storage.memory.unit_of_work import MemoryStorage

PG_ADMIN_URL = os.environ.get(
    "HELPDESK_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
STORAGE_KINDS = ("memory", "sqlite", "postgresql")


def _admin_dsn() -> str:
    return PG_ADMIN_URL.replace("postgresql+asyncpg://", "postgresql://")


async def _pg_admin(statement: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(_admin_dsn(), timeout=5)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


def postgres_available() -> bool:
    try:
        asyncio.run(_pg_admin("SELECT 1"))
    except Exception:
        return False
    return True


_PG_OK: bool | None = None


def require_postgres() -> None:
    global _PG_OK
    if _PG_OK is None:
        _PG_OK = postgres_available()
    if not _PG_OK:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL is not reachable, and under CI its suites must run")
        pytest.skip("PostgreSQL is not reachable")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, migrated database on the local server; dropped afterwards."""
    require_postgres()
    from helpdesk.adapters.storage.sql.migrate import upgrade_database

    name = f"helpdesk_test_{uuid.uuid4().hex[:12]}"
    asyncio.run(_pg_admin(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        upgrade_database(url)
        yield url
    finally:
        asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    from helpdesk.adapters.storage.sql.migrate import upgrade_database

    url = f"sqlite+aiosqlite:///{tmp_path}/helpdesk.db"
    upgrade_database(url)
    return url


@pytest.fixture(params=STORAGE_KINDS)
def storage_url(request: pytest.FixtureRequest) -> str:
    kind = request.param
    if kind == "memory":
        return "memory://"
    return str(request.getfixturevalue("sqlite_url" if kind == "sqlite" else "postgres_url"))


@pytest.fixture
async def storage(storage_url: str) -> AsyncIterator[Any]:
    """A storage adapter of each kind, empty and migrated."""
    if storage_url == "memory://":
        yield MemoryStorage()
        return
    from helpdesk.adapters.storage.sql.storage import SqlStorage

    sql = SqlStorage(storage_url)
    yield sql
    await sql.dispose()


@pytest.fixture(params=("sqlite", "postgresql"))
def sql_url(request: pytest.FixtureRequest) -> str:
    """A migrated database on each SQL engine."""
    return str(
        request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")
    )
