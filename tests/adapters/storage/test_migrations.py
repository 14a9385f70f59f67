"""Migrations: they build exactly `tables.metadata` on both engines, from an empty database, as
a plain database owner, and refuse a database that cannot search Arabic with one line."""

from __future__ import annotations

import asyncio
import re
import uuid
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from helpdesk.adapters.storage.sql.migrate import (
    MigrationError,
    schema_differences,
    upgrade_async,
    upgrade_database,
)
from helpdesk.adapters.storage.sql.unit_of_work import SqlStorage
from helpdesk.domain.errors import DependencyUnavailable

from .builders import T0, manual_ticket, profile, seed
from .pgbouncer import free_port
from .postgres import (
    UTF8,
    admin,
    create_database,
    database_url,
    drop_database,
    new_database_name,
    require_postgres,
)


def _head() -> str:
    from alembic.config import Config

    from helpdesk.adapters.storage.sql.migrate import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


async def test_migrations_build_exactly_the_tables(sql_url: str) -> None:
    await upgrade_async(sql_url)  # a second time is harmless
    assert await schema_differences(sql_url) == []


async def test_an_empty_database_is_upgraded_to_the_head(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/empty.db"
    assert len(await schema_differences(url)) > 5  # nothing there yet
    await upgrade_async(url)
    assert await schema_differences(url) == []
    engine = create_async_engine(url)
    async with engine.connect() as conn:
        version = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar()
    await engine.dispose()
    assert version == _head()


def test_postgresql_from_empty_as_a_plain_database_owner() -> None:
    """The app's role owns its database and nothing more: no superuser, no CREATEDB. pg_trgm
    is a trusted extension (PostgreSQL 13+), so the owner may create it."""
    require_postgres()
    role, name = f"helpdesk_app_{uuid.uuid4().hex[:8]}", new_database_name("helpdesk_owned")
    asyncio.run(admin(f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE'))
    try:
        create_database(name, f'OWNER "{role}" {UTF8}')
        try:
            url = database_url(name, user=role)
            upgrade_database(url)
            assert asyncio.run(schema_differences(url)) == []

            async def trigram_index() -> str | None:
                engine = create_async_engine(url)
                async with engine.connect() as conn:
                    found = (
                        await conn.execute(
                            text(
                                "SELECT indexdef FROM pg_indexes "
                                "WHERE indexname = 'ix_tickets_search_text_trgm'"
                            )
                        )
                    ).scalar()
                await engine.dispose()
                return found

            assert "gin_trgm_ops" in (asyncio.run(trigram_index()) or "")
        finally:
            drop_database(name)
    finally:
        asyncio.run(admin(f'DROP ROLE IF EXISTS "{role}"'))


@pytest.mark.parametrize(
    ("options", "says"),
    [
        ("TEMPLATE template0 LC_CTYPE 'C' LC_COLLATE 'C'", "ctype is 'C'"),
        ("TEMPLATE template0 ENCODING 'SQL_ASCII' LC_CTYPE 'C' LC_COLLATE 'C'", "encoding"),
    ],
)
def test_a_database_that_cannot_search_arabic_is_refused_with_one_line(
    options: str, says: str
) -> None:
    require_postgres()
    name = new_database_name("helpdesk_c")
    create_database(name, options)
    try:
        with pytest.raises(MigrationError, match=re.escape(says)) as refused:
            upgrade_database(database_url(name))
        assert "\n" not in str(refused.value)
        # Nothing half-built stays behind: the upgrade is one transaction.
        assert asyncio.run(schema_differences(database_url(name)))
    finally:
        drop_database(name)


def test_an_unreachable_database_is_unavailable() -> None:
    port = free_port()  # nothing listens there
    with pytest.raises(DependencyUnavailable):
        upgrade_database(f"postgresql+asyncpg://postgres@127.0.0.1:{port}/postgres")


async def test_sqlite_stores_sortable_uuid_and_time_text(sqlite_url: str) -> None:
    """Ids are 32 hex digits (so text order is UUID.int order); times are fixed-width UTC text
    (so text order is time order) and come back aware."""
    storage = SqlStorage(sqlite_url)
    submitter = profile()
    t = manual_ticket(submitter, at=T0)
    await seed(storage, submitter, t)
    async with storage.engine.connect() as conn:
        stored_id, created = (await conn.execute(text("SELECT id, created_at FROM tickets"))).one()
    await storage.dispose()
    assert stored_id == t.id.hex
    assert created == "2026-03-01 09:00:00.000000"
