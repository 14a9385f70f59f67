"""The local PostgreSQL server, for tests: found over TCP or the unix socket, throwaway
databases made and dropped on it. Never stopped or reconfigured: other sessions share it.

Without a reachable server the PostgreSQL tests skip — except under CI=true, where they fail.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from functools import cache

import pytest
from sqlalchemy.engine import make_url

TCP_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
SOCKET_URL = "postgresql+asyncpg://postgres@/postgres?host=/var/run/postgresql"


def _candidates() -> list[str]:
    configured = os.environ.get("HELPDESK_TEST_POSTGRES_URL")
    return [configured] if configured else [TCP_URL, SOCKET_URL]


def asyncpg_dsn(url: str) -> str:
    """asyncpg's own DSN for a SQLAlchemy URL (same host, user, database, query)."""
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def _reachable(url: str) -> bool:
    import asyncpg

    try:
        conn = await asyncpg.connect(asyncpg_dsn(url), timeout=5)
    except (TimeoutError, OSError, asyncpg.PostgresError):
        return False
    await conn.close()
    return True


@cache
def admin_url() -> str | None:
    """The maintenance database of the first reachable server address, or None."""
    for url in _candidates():
        if asyncio.run(_reachable(url)):
            return url
    return None


def require_postgres() -> str:
    url = admin_url()
    if url is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL is not reachable, and under CI its suites must run")
        pytest.skip("PostgreSQL is not reachable (tried 127.0.0.1:5432 and /var/run/postgresql)")
    return url


async def admin(statement: str) -> None:
    """Run one statement on the maintenance database (CREATE/DROP DATABASE, roles)."""
    import asyncpg

    url = admin_url()
    assert url is not None
    conn = await asyncpg.connect(asyncpg_dsn(url), timeout=5)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


def database_url(name: str, *, user: str | None = None) -> str:
    """The URL of database `name` on the server `admin_url()` reached."""
    url = admin_url()
    assert url is not None
    parsed = make_url(url).set(database=name)
    if user is not None:
        parsed = parsed.set(username=user)
    return parsed.render_as_string(hide_password=False)


def new_database_name(prefix: str = "helpdesk_test") -> str:
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


# Arabic search needs a UTF-8 ctype (the migration refuses C/POSIX); ask for one rather than
# inherit the cluster's default, which is C on a server initialised without a UTF-8 locale.
UTF8 = "TEMPLATE template0 ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8'"


def create_database(name: str, options: str = UTF8) -> None:
    asyncio.run(admin(f'CREATE DATABASE "{name}" {options}'))


def drop_database(name: str) -> None:
    # FORCE: a pool (or pgbouncer) may still hold connections to it.
    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def server_address() -> tuple[str, int] | str:
    """Where the server listens, as the admin URL reached it: (host, port) or a socket path."""
    url = make_url(admin_url() or TCP_URL)
    socket_dir = url.query.get("host")
    if isinstance(socket_dir, str) and socket_dir.startswith("/"):
        return f"{socket_dir}/.s.PGSQL.{url.port or 5432}"
    return url.host or "127.0.0.1", url.port or 5432
