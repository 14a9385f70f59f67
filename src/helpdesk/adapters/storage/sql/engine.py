"""Async engines for SQLite (the embedded default) and PostgreSQL (Supabase included)."""

from __future__ import annotations

import time
from typing import Any
from uuid import uuid4

import msgspec
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

SQLITE_BUSY_TIMEOUT_MS = 10_000
# Connections one process keeps (`connections`), by default: a PostgreSQL connection is a server
# process, a SQLite one a thread of the driver's.
DEFAULT_CONNECTIONS = {"postgresql": 20, "sqlite": 10}
PING_AFTER_IDLE_SECONDS = 1.0
POOLERS = frozenset({None, "transaction"})


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN itself (the driver would defer it).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _json_text(value: Any) -> str:
    return msgspec.json.encode(value).decode()


# JSON columns (a ticket's classification, audit metadata, …) through msgspec: a list of tickets
# decodes one document per row, several times faster than the standard library does.
JSON_CODEC: dict[str, Any] = {
    "json_serializer": _json_text,
    "json_deserializer": msgspec.json.decode,
}

# An execution option a read-only unit of work sets on its connection before it begins.
READ_ONLY = "helpdesk_read_only"


def _sqlite_begin(connection: Any) -> None:
    # Immediate write transactions: a unit of work takes the write lock up front, so two
    # processes never deadlock upgrading read locks, and writers queue on busy_timeout. A
    # read-only one opens none: each statement reads its own snapshot under WAL, beside the
    # writer (as under PostgreSQL's READ COMMITTED), and BEGIN would cost a trip to the
    # driver's thread for nothing.
    if not connection.get_execution_options().get(READ_ONLY, False):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _skip_empty_rollbacks(dialect: Any) -> None:
    """Roll back only a connection that holds a transaction. Every call to the driver is a
    trip to its thread; a read-only unit of work opens no transaction, and a committed one has
    none left, yet closing either (or the pool taking the connection back) rolls back — one
    trip in five for a one-statement read, for nothing."""
    roll_back = dialect.do_rollback

    def do_rollback(dbapi_connection: Any) -> None:
        driver: Any = getattr(dbapi_connection, "_connection", None)  # aiosqlite's connection
        # (`driver._connection` is the sqlite3 connection, None once the driver closed it.)
        if getattr(driver, "_connection", None) is not None and not driver.in_transaction:
            return
        roll_back(dbapi_connection)

    dialect.do_rollback = do_rollback


def _pool(backend: str, connections: int | None) -> dict[str, Any]:
    """At most `connections` at once, each kept once opened. With "overflow" connections
    (opened past the kept ones and closed on their return) a worker serving more concurrent
    requests than it keeps opened and closed a connection every few requests: 485 new
    PostgreSQL sessions in 30 s of reads at 16 concurrent requests with 10 kept and 10 overflow,
    against 19 with all 20 kept (which also answered about a tenth more reads a second)."""
    return {"pool_size": connections or DEFAULT_CONNECTIONS[backend], "max_overflow": 0}


def create_engine(
    url: str,
    *,
    pooler: str | None = None,
    connections: int | None = None,
    show_parameters: bool = False,
) -> AsyncEngine:
    """An engine for `url`. `pooler="transaction"` when a transaction-mode pooler stands between
    us and PostgreSQL; `connections`: how many this process may open (`DEFAULT_CONNECTIONS`),
    all kept open once opened. Statement parameters (what users typed) stay out of log records
    and error messages unless `show_parameters` (the debug log level)."""
    if pooler not in POOLERS:
        raise ValueError(f"unknown pooler {pooler!r} (expected 'transaction' or none)")
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database in (None, "", ":memory:") or parsed.query.get("mode") == "memory":
            # One shared connection could not hold concurrent units of work.
            raise ValueError("SQLite in memory is not supported: use memory:// or a file")
        engine = create_async_engine(
            url,
            **_pool("sqlite", connections),
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            hide_parameters=not show_parameters,
            **JSON_CODEC,
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
        _skip_empty_rollbacks(engine.sync_engine.dialect)
        return engine
    url, connect_args = _postgres_connection(url)
    if pooler == "transaction":
        # Behind a transaction-mode pooler a prepared statement must not outlive its
        # transaction: no statement caches, and unique names so two backends never clash.
        connect_args |= {
            "statement_cache_size": 0,
            "prepared_statement_cache_size": 0,
            "prepared_statement_name_func": lambda: f"__helpdesk_{uuid4().hex}__",
        }
    engine = create_async_engine(
        url,
        connect_args=connect_args,
        hide_parameters=not show_parameters,
        **_pool("postgresql", connections),
        **JSON_CODEC,
    )
    event.listen(engine.sync_engine.pool, "checkin", _note_idle)
    event.listen(engine.sync_engine.pool, "checkout", _ping_if_idle)
    return engine


def _postgres_connection(url: str) -> tuple[str, dict[str, Any]]:
    """The URL SQLAlchemy is given and the driver's own arguments (asyncpg's)."""
    parsed = make_url(url)
    connect_args: dict[str, Any] = {"timeout": 5, "command_timeout": 30}
    if "sslmode" in parsed.query:
        # libpq spells it sslmode (Supabase's connection strings may carry it); asyncpg takes
        # the same values as `ssl`.
        connect_args["ssl"] = parsed.query["sslmode"]
        url = parsed.difference_update_query(["sslmode"]).render_as_string(hide_password=False)
    return url, connect_args


async def connect_raw(engine: AsyncEngine, url: str) -> Any:
    """A plain asyncpg connection to the PostgreSQL database of `url` (the engine's), outside
    the engine's pool: for LISTEN, which holds its connection for as long as it listens."""
    import asyncpg

    url, connect_args = _postgres_connection(url)
    args, params = engine.dialect.create_connect_args(make_url(url))
    return await asyncpg.connect(*args, **params, **connect_args)


def _note_idle(_dbapi_connection: Any, record: Any) -> None:
    if record is not None:
        record.info["idle_since"] = time.monotonic()


def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """A connection that died with the server (or a pooler, or the network) while it sat in
    the pool is replaced on checkout, so service resumes by itself once the database is back.

    Only connections idle for a while are pinged: the driver's ping is three round trips
    (BEGIN, a statement, ROLLBACK, so that it also works behind a transaction pooler), which
    doubled the cost of a short request when paid on every checkout. A connection in steady
    use is checked by the work itself: a lost connection fails that statement, and the pool
    then discards every connection it made before the failure."""
    idle_since = record.info.get("idle_since")
    if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
        return
    try:
        dbapi_connection.ping()
    except Exception as e:
        raise DisconnectionError("the pooled connection is gone") from e
