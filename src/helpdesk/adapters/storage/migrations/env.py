"""Alembic environment.

`helpdesk.adapters.storage.sql.migrate` runs it on a connection it hands in (no alembic.ini, so
it works from an installed package). Without one — a developer's `alembic -c <ini> revision
--autogenerate` with `sqlalchemy.url` set — it opens an async engine itself.
"""

from __future__ import annotations

import asyncio
from typing import Any

from alembic import context
from sqlalchemy.ext.asyncio import create_async_engine

from helpdesk.adapters.storage.sql.tables import include_object, metadata


def _run(connection: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object(connection.dialect.name),
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_with_own_engine(url: str) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_run)
    finally:
        await engine.dispose()


handed_in = context.config.attributes.get("connection")
if handed_in is not None:
    _run(handed_in)
else:
    asyncio.run(_run_with_own_engine(context.config.get_main_option("sqlalchemy.url") or ""))
