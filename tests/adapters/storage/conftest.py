"""Storage fixtures on top of tests/conftest.py's fresh SQLite and PostgreSQL databases:
pgbouncer in transaction mode for the session, `sql_url` over both SQL engines, and `storage`
over every adapter — PostgreSQL once more through pgbouncer (it shadows the project-wide
`storage`, which has no pgbouncer kind)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from helpdesk.adapters.storage.memory.unit_of_work import MemoryStorage
from helpdesk.adapters.storage.sql.unit_of_work import SqlStorage

from .pgbouncer import PgBouncer, require_pgbouncer
from .postgres import require_postgres


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
