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

from helpdesk.adapters.storage.sql.tables import include_object, metadata

MIGRATIONS = Path(__file__).parent.parent / "migrations"


class MigrationError(Exception):
    """One line saying why the schema cannot be built here."""


def _config(connection: Any) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _upgrade(connection: Any) -> None:
    command.upgrade(_config(connection), "head")


async def upgrade_async(url: str) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_upgrade)
    finally:
        await engine.dispose()


def upgrade_database(url: str) -> None:
    """Bring the database to the newest schema (idempotent)."""
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
