"""Storage for tests: the same suites run on memory, SQLite and PostgreSQL.

PostgreSQL tests create a throwaway database on the local server and drop it afterwards. Without
a reachable server they skip — except under CI=true, where they fail instead.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import tempfile
import time
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def pgbouncer() -> Iterator[int]:
    require_postgres()
    binary = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
    if not Path(binary).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("pgbouncer is not installed (apt-get install pgbouncer)")
        pytest.skip("pgbouncer is not installed")
    port = _free_port()
    workdir = Path(tempfile.mkdtemp(prefix="pgbouncer-"))
    (workdir / "users.txt").write_text('"postgres" ""\n')
    (workdir / "pgbouncer.ini").write_text(
        "[databases]\n* = host=127.0.0.1 port=5432\n"
        f"[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = {port}\n"
        "auth_type = trust\nauth_file = users.txt\npool_mode = transaction\n"
        "max_client_conn = 200\ndefault_pool_size = 5\nunix_socket_dir =\n"
        f"logfile = {workdir}/pgbouncer.log\npidfile = {workdir}/pgbouncer.pid\n"
        "ignore_startup_parameters = extra_float_digits\n"
    )
    command = [binary, str(workdir / "pgbouncer.ini")]
    if os.geteuid() == 0:  # pgbouncer refuses to run as root: run it as postgres
        for path in (workdir, *workdir.iterdir()):
            shutil.chown(path, "postgres")
        command = ["runuser", "-u", "postgres", "--", *command]
    process = subprocess.Popen(
        command, cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("pgbouncer did not start: " + (workdir / "pgbouncer.log").read_text())
    yield port
    process.terminate()
    process.wait(10)
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def pgbouncer_url(postgres_url: str, pgbouncer: int) -> str:
    """The same fresh database, reached through pgbouncer in transaction mode."""
    return postgres_url.replace("127.0.0.1:5432", f"127.0.0.1:{pgbouncer}")
