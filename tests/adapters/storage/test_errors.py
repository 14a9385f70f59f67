"""Which driver errors are "the database is unavailable" (503) and which are bugs (500)."""

from __future__ import annotations

import sqlite3

import asyncpg
import pytest
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from helpdesk.adapters.storage.sql.errors import is_outage


class _Wrapped(Exception):
    """What SQLAlchemy's asyncpg adapter wraps a server error in: it carries the SQLSTATE."""

    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def wrapped(sqlstate: str) -> DBAPIError:
    return DBAPIError("SELECT 1", None, _Wrapped(sqlstate))


@pytest.mark.parametrize(
    "error",
    [
        ConnectionRefusedError(),
        ConnectionResetError(),
        TimeoutError(),
        PoolTimeout("QueuePool limit reached"),
        OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked")),
        asyncpg.exceptions.TooManyConnectionsError("too many clients"),  # raw, at connect
        asyncpg.exceptions.ConnectionDoesNotExistError("closed"),
        wrapped("08006"),  # connection failure
        wrapped("53300"),  # too many connections
        wrapped("57P01"),  # admin shutdown
        DBAPIError("SELECT 1", None, Exception("gone"), connection_invalidated=True),
    ],
    ids=repr,
)
def test_outages(error: BaseException) -> None:
    assert is_outage(error)


@pytest.mark.parametrize(
    "error",
    [
        IntegrityError("INSERT", None, _Wrapped("23505")),
        ProgrammingError("SELECT", None, _Wrapped("42P01")),
        wrapped("40P01"),  # deadlock: a bug in lock order, not an outage
        asyncpg.exceptions.UniqueViolationError("duplicate"),
        ValueError("naive datetimes are not stored"),
    ],
    ids=repr,
)
def test_not_outages(error: BaseException) -> None:
    assert not is_outage(error)
