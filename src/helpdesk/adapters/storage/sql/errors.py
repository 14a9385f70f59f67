"""Which driver errors mean "the database is unavailable" (→ DependencyUnavailable, HTTP 503).

Everything else is a bug and propagates. (Unique constraints never raise here: inserts that may
collide use ON CONFLICT and report DuplicateKey from the row count.)"""

from __future__ import annotations

import asyncio

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

UNAVAILABLE = "the database is unavailable"

# What a lost or unreachable database looks like from here. SQLite's OperationalError covers
# "database is locked" past the busy timeout and an unreadable file: unavailable, too.
OUTAGE_TYPES: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    PoolTimeout,
    OSError,  # refused, reset, unreachable; TimeoutError and ConnectionError are OSErrors
    asyncio.TimeoutError,
    EOFError,
)

# SQLSTATE classes of a server that cannot serve us now: connection exceptions, insufficient
# resources (too many connections), operator intervention (shutdown, "cannot connect now").
OUTAGE_SQLSTATES = ("08", "53", "57P")


def _sqlstate(error: BaseException) -> str | None:
    """The SQLSTATE of an asyncpg error, raw (at connect time) or wrapped by SQLAlchemy."""
    for candidate in (error, getattr(error, "orig", None)):
        state = getattr(candidate, "sqlstate", None)
        if isinstance(state, str):
            return state
    return None


def is_outage(error: BaseException) -> bool:
    if isinstance(error, OUTAGE_TYPES):
        return True
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    state = _sqlstate(error)
    if state is not None and state.startswith(OUTAGE_SQLSTATES):
        return True
    # asyncpg raises its own connection errors unwrapped when a connection is being opened.
    kind = type(error)
    return kind.__module__.startswith("asyncpg") and "Connection" in kind.__name__
