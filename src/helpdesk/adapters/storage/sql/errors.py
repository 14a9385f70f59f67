"""Which driver errors mean "the database is unavailable" or "the database has no schema yet"
(→ DatabaseUnavailable, a DependencyUnavailable: HTTP 503, one line at the command line).

Everything else is a bug and propagates. (Unique constraints never raise here: inserts that may
collide use ON CONFLICT and report DuplicateKey from the row count.)"""

from __future__ import annotations

import asyncio

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from helpdesk.domain.errors import DependencyUnavailable

UNAVAILABLE = "the database is unavailable"
SCHEMA_MISSING = "the database has no schema, or an older one: run `helpdesk db upgrade`"


class DatabaseUnavailable(DependencyUnavailable):
    """The database cannot serve us. `detail` is what an HTTP client is told; `reason` is the
    driver's own line (which role, which database, which address) for the operator, printed by
    the command line and never sent to clients."""

    def __init__(self, detail: str, reason: str) -> None:
        super().__init__(detail)
        self.reason = reason


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
# resources (too many connections), operator intervention (shutdown, "cannot connect now"),
# and the server refusing who we are or what we asked for: invalid authorization (an unknown
# role, a wrong password), an unknown database.
OUTAGE_SQLSTATES = ("08", "53", "57P", "28", "3D000")

# The schema is not there: undefined table or column (PostgreSQL), and SQLite's words for them.
MISSING_SCHEMA_SQLSTATES = ("42P01", "42703")
MISSING_SCHEMA_SQLITE = ("no such table", "no such column")


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


def is_missing_schema(error: BaseException) -> bool:
    if _sqlstate(error) in MISSING_SCHEMA_SQLSTATES:
        return True
    if isinstance(error, OperationalError):
        return str(error.orig).startswith(MISSING_SCHEMA_SQLITE)
    return False


def reason_of(error: BaseException) -> str:
    """The driver's message in one line, without SQLAlchemy's wrapping."""
    inner = error.orig if isinstance(error, DBAPIError) and error.orig is not None else error
    text = str(inner).strip() or type(inner).__name__
    # SQLAlchemy's asyncpg adapter prefixes the message with the asyncpg class.
    if text.startswith("<class '") and ">: " in text:
        text = text.split(">: ", 1)[1]
    return text.splitlines()[0]


def unavailable(error: BaseException) -> DatabaseUnavailable | None:
    """What `error` means for a caller, when it means the database cannot serve us."""
    if is_missing_schema(error):
        return DatabaseUnavailable(SCHEMA_MISSING, reason_of(error))
    if is_outage(error):
        return DatabaseUnavailable(UNAVAILABLE, reason_of(error))
    return None
