"""The benchmarks' own PostgreSQL databases on the local server: made afresh or found."""

from __future__ import annotations

import asyncpg

PG = "postgresql://postgres@127.0.0.1:5432"


async def recreate(name: str) -> None:
    """Drop `name` if it is there and create it empty (UTF-8, C collation)."""
    conn = await asyncpg.connect(f"{PG}/postgres")
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(
            f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' "
            "LC_CTYPE 'C.UTF-8' TEMPLATE template0"
        )
    finally:
        await conn.close()


async def exists(name: str) -> bool:
    conn = await asyncpg.connect(f"{PG}/postgres")
    try:
        return bool(await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name))
    finally:
        await conn.close()
