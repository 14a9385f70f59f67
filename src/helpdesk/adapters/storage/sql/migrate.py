"""Schema migrations (Alembic), run programmatically: no alembic.ini, works from a wheel."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy.ext.asyncio import create_async_engine

from helpdesk.adapters.storage.sql.errors import UNAVAILABLE, is_outage
from helpdesk.adapters.storage.sql.tables import include_object, metadata
from helpdesk.domain.errors import DependencyUnavailable

MIGRATIONS = Path(__file__).parent.parent / "migrations"


class MigrationError(RuntimeError):
    """One line saying why the schema cannot be built on this database (its message is meant
    to be printed as it is, e.g. by `helpdesk db upgrade`)."""


def _config(connection: Any) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _upgrade(connection: Any) -> None:
    command.upgrade(_config(connection), "head")


async def upgrade_async(url: str) -> None:
    """Bring the database to the newest schema, in one transaction (PostgreSQL and SQLite both
    have transactional DDL: a failed upgrade leaves nothing half-built)."""
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_upgrade)
    except Exception as e:
        if is_outage(e):
            raise DependencyUnavailable(UNAVAILABLE) from e
        raise
    finally:
        await engine.dispose()


def upgrade_database(url: str) -> None:
    """Bring the database to the newest schema (idempotent). Raises MigrationError when this
    database cannot hold it, DependencyUnavailable when it cannot be reached.

    Synchronous, for the CLI and `serve` before workers start; from async code await
    `upgrade_async` instead (asyncio.run refuses to nest)."""
    asyncio.run(upgrade_async(url))


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
