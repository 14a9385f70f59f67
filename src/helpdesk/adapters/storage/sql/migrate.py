"""Schema migrations (Alembic), run programmatically: no alembic.ini, works from a wheel."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import create_async_engine

from helpdesk.adapters.storage.sql.errors import unavailable
from helpdesk.adapters.storage.sql.tables import include_object, metadata

_T = TypeVar("_T")

MIGRATIONS = Path(__file__).parent.parent / "migrations"


class MigrationError(RuntimeError):
    """One line saying why the schema cannot be built on this database (its message is meant
    to be printed as it is, e.g. by `helpdesk db upgrade`)."""


@dataclass(frozen=True, slots=True)
class SchemaRevision:
    """Where a database's schema is (`current`, None when it has none) and where this version
    of the code needs it (`head`)."""

    current: str | None
    head: str

    @property
    def is_current(self) -> bool:
        return self.current == self.head


@dataclass(frozen=True, slots=True)
class Upgrade:
    """What an upgrade did: the revision before (None for an empty database) and after."""

    before: str | None
    after: str

    @property
    def applied(self) -> bool:
        return self.before != self.after


def _config(connection: Any = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _head() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None, "the migrations have no head"
    return head


def _current(connection: Any) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _upgrade(connection: Any) -> Upgrade:
    before = _current(connection)
    command.upgrade(_config(connection), "head")
    after = _current(connection)
    assert after is not None, "an upgrade leaves the database at a revision"
    return Upgrade(before, after)


async def upgrade_async(url: str) -> Upgrade:
    """Bring the database to the newest schema, in one transaction (PostgreSQL and SQLite both
    have transactional DDL: a failed upgrade leaves nothing half-built)."""
    return await _run_on(url, _upgrade, transaction=True)


def upgrade_database(url: str) -> Upgrade:
    """Bring the database to the newest schema (idempotent) and say what that took. Raises
    MigrationError when this database cannot hold it, DependencyUnavailable when it cannot be
    reached.

    Synchronous, for the CLI and `serve` before workers start; from async code await
    `upgrade_async` instead (asyncio.run refuses to nest)."""
    return asyncio.run(upgrade_async(url))


async def _revision_async(url: str) -> SchemaRevision:
    current = await _run_on(url, _current, transaction=False)
    return SchemaRevision(current, _head())


async def _run_on(url: str, work: Callable[[Any], _T], *, transaction: bool) -> _T:
    """Run synchronous Alembic work on a connection of a short-lived engine; an unreachable
    database is reported as DependencyUnavailable."""
    engine = create_async_engine(url)
    try:
        async with engine.begin() if transaction else engine.connect() as conn:
            return await conn.run_sync(work)
    except Exception as e:
        if (mapped := unavailable(e)) is not None:
            raise mapped from e
        raise
    finally:
        await engine.dispose()


def schema_revision(url: str) -> SchemaRevision:
    """The database's revision and the one this code needs, without changing anything (for
    `serve` in production, which never migrates)."""
    return asyncio.run(_revision_async(url))


async def schema_differences(url: str) -> list[Any]:
    """What autogenerate would change: empty when the migrations built `tables.metadata`."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(
                        sync, opts={"include_object": include_object(sync.dialect.name)}
                    ),
                    metadata,
                )
            )
    finally:
        await engine.dispose()
