"""Storage fixtures: a fresh, migrated database per test on SQLite (a temporary file) and on
PostgreSQL (a throwaway `helpdesk_test_<random>` database, dropped afterwards), pgbouncer in
transaction mode for the session, and `storage` over every adapter.

These deliberately shadow the project-wide fixtures of the same names in tests/conftest.py, so
that this directory's suites own how their databases are made.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from helpdesk.adapters.storage.memory.unit_of_work import MemoryStorage
from helpdesk.adapters.storage.sql.migrate import upgrade_database
from helpdesk.adapters.storage.sql.storage import SqlStorage

from .pgbouncer import PgBouncer, require_pgbouncer
from .postgres import (
    create_database,
    database_url,
    drop_database,
    new_database_name,
    require_postgres,
)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, migrated database on the local server; dropped afterwards."""
    require_postgres()
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
    url = f"sqlite+aiosqlite:///{tmp_path}/helpdesk.db"
    upgrade_database(url)
    return url


@pytest.fixture(params=("sqlite", "postgresql"))
def sql_url(request: pytest.FixtureRequest) -> str:
    """A migrated database on each SQL engine."""
    fixture = {"sqlite": "sqlite_url", "postgresql": "postgres_url"}[request.param]
    return str(request.getfixturevalue(fixture))


@pytest.fixture(scope="session")
def pgbouncer() -> Iterator[int]:
    """pgbouncer (transaction mode) in front of the local server, for the session: its port."""
    require_postgres()
    bouncer = PgBouncer(require_pgbouncer())
    bouncer.start()
    try:
        yield bouncer.port
    finally:
        bouncer.stop()


@pytest.fixture
def pgbouncer_url(postgres_url: str, pgbouncer: int) -> str:
    """The test's fresh database, reached through pgbouncer."""
    direct = make_url(postgres_url)
    through = direct.set(host="127.0.0.1", port=pgbouncer, query={})
    return through.render_as_string(hide_password=False)


STORAGE_KINDS = ("memory", "sqlite", "postgresql", "pgbouncer")


@pytest.fixture(params=STORAGE_KINDS)
def storage_spec(request: pytest.FixtureRequest) -> tuple[str, str | None]:
    """(URL, pooler) of each adapter — and of PostgreSQL once more through pgbouncer."""
    kind = request.param
    if kind == "memory":
        return "memory://", None
    fixture = {"sqlite": "sqlite_url", "postgresql": "postgres_url", "pgbouncer": "pgbouncer_url"}
    url = str(request.getfixturevalue(fixture[kind]))
    return url, "transaction" if kind == "pgbouncer" else None


@pytest.fixture
async def storage(storage_spec: tuple[str, str | None]) -> AsyncIterator[Any]:
    """An empty, migrated storage of each kind (MemoryStorage or SqlStorage)."""
    url, pooler = storage_spec
    if url == "memory://":
        yield MemoryStorage()
        return
    sql = SqlStorage(url, pooler=pooler)
    try:
        yield sql
    finally:
        await sql.dispose()
