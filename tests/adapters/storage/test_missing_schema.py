"""A database without the schema (never migrated, or migrated by an older release) is told
apart from one that is down: the error says to run `helpdesk db upgrade`, and the driver's own
words are kept for the operator. Migrations say what they did."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError, ProgrammingError

from helpdesk.adapters.storage.sql.errors import (
    SCHEMA_MISSING,
    UNAVAILABLE,
    DatabaseUnavailable,
    unavailable,
)
from helpdesk.adapters.storage.sql.migrate import schema_revision, upgrade_database
from helpdesk.adapters.storage.sql.unit_of_work import SqlStorage

from .postgres import (
    create_database,
    database_url,
    drop_database,
    new_database_name,
    require_postgres,
)
from .test_errors import _Wrapped, wrapped


@pytest.fixture
def empty_postgres() -> Iterator[str]:
    require_postgres()
    name = new_database_name("helpdesk_empty")
    create_database(name)
    try:
        yield database_url(name)
    finally:
        drop_database(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path}/empty.db"
    return str(request.getfixturevalue("empty_postgres"))


def _read_a_profile(url: str) -> None:
    async def run() -> None:
        storage = SqlStorage(url)
        try:
            async with storage.unit_of_work() as uow:
                await uow.profiles.get(uuid.uuid4())
        finally:
            await storage.dispose()

    asyncio.run(run())


def test_an_unmigrated_database_says_to_upgrade(empty_url: str) -> None:
    with pytest.raises(DatabaseUnavailable) as raised:
        _read_a_profile(empty_url)
    assert raised.value.detail == SCHEMA_MISSING
    assert "helpdesk db upgrade" in raised.value.detail
    assert "profiles" in raised.value.reason and "\n" not in raised.value.reason


def test_once_migrated_the_same_read_works(empty_url: str) -> None:
    upgrade_database(empty_url)
    _read_a_profile(empty_url)


def test_an_upgrade_says_what_it_did(empty_url: str) -> None:
    before = schema_revision(empty_url)
    assert before.current is None and not before.is_current
    first = upgrade_database(empty_url)
    assert (first.before, first.after, first.applied) == (None, before.head, True)
    again = upgrade_database(empty_url)
    assert (again.before, again.after, again.applied) == (before.head, before.head, False)
    assert schema_revision(empty_url).is_current


@pytest.mark.parametrize(
    ("error", "detail"),
    [
        (ProgrammingError("SELECT", None, _Wrapped("42P01")), SCHEMA_MISSING),  # no table
        (ProgrammingError("SELECT", None, _Wrapped("42703")), SCHEMA_MISSING),  # no column
        (wrapped("28000"), UNAVAILABLE),  # unknown role
        (wrapped("28P01"), UNAVAILABLE),  # wrong password
        (wrapped("3D000"), UNAVAILABLE),  # unknown database
        (IntegrityError("INSERT", None, _Wrapped("23505")), None),  # a bug: propagates
    ],
    ids=repr,
)
def test_what_a_driver_error_means(error: BaseException, detail: str | None) -> None:
    mapped = unavailable(error)
    assert (mapped.detail if mapped else None) == detail
