"""Storage for the application and HTTP suites: the same tests run on memory, SQLite and
PostgreSQL.

PostgreSQL databases are throwaway (`helpdesk_test_<random>`, UTF-8, dropped afterwards) on the
local server; without one reachable the PostgreSQL cases skip — except under CI=true, where they
fail. tests/adapters/storage has fixtures of its own built on the same helpers.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from helpdesk.adapters.storage.memory.unit_of_work import MemoryStorage

from .adapters.storage.postgres import (
    create_database,
    database_url,
    drop_database,
    new_database_name,
    require_postgres,
)

STORAGE_KINDS = ("memory", "sqlite", "postgresql")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, migrated database on the local server; dropped afterwards."""
    require_postgres()
    from helpdesk.adapters.storage.sql.migrate import upgrade_database

    name = new_database_name()
    create_database(name)
    try:
        url = database_url(name)
        upgrade_database(url)
        yield url
    finally:
        drop_database(name)


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
    from helpdesk.adapters.storage.sql.unit_of_work import SqlStorage

    sql = SqlStorage(storage_url)
    yield sql
    await sql.dispose()
