"""The load benchmark's baseline: a bare Litestar + asyncpg app with the create's shape.

Not part of the product. `POST /api/v1/tickets` runs, in one transaction, as many statements as
the product's create (departments, the per-department advisory lock, the agents with their
active-ticket counts, the tie-break update, the ticket, its audit entries, its notifications)
against the product's own schema, with no validation, classification, token or domain logic:
the department comes from a title → department table given at start. `GET /count` is one
indexed SELECT (an agent's unread notifications), on PostgreSQL or on SQLite; `GET /count-core`
is the same SELECT through SQLAlchemy Core's async engine (built once, run in autocommit, as the
product's read-only units of work run it), and `POST /api/v1/tickets-core` the same create
statements through it: the ceiling of any endpoint on the product's storage stack, with no
token, middleware, classification or use case.

Served like the product: `uvicorn bench.baseline_app:create_app --factory --workers N`, with
BASELINE_DATABASE (a libpq URL or a SQLite file path) and BASELINE_ROUTES (JSON: title →
department id) in the environment.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import msgspec
from litestar import Litestar, Request, get, post

ACTIVE = ["in_progress", "open", "waiting"]
SQLITE_CONNECTIONS = 4


class NewTicket(msgspec.Struct):
    title: str
    description: str
    priority: str = "medium"


def _lock_key(department_id: uuid.UUID) -> int:
    digest = hashlib.blake2b(b"assign:" + department_id.bytes, digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


# The create's statements, written once with :names (SQLAlchemy's text); asyncpg runs them
# numbered (`_positional`).
_CREATE = {
    "departments": "SELECT id, categories FROM departments WHERE is_active",
    "lock": "SELECT pg_advisory_xact_lock(:key)",
    "agent": "SELECT p.id, count(t.id) AS load FROM profiles p"
    " LEFT JOIN tickets t ON t.assigned_agent_id = p.id AND t.status = ANY(:active)"
    " WHERE p.role = 'agent' AND p.department_id = :department"
    " GROUP BY p.id ORDER BY load, p.last_assigned_at NULLS FIRST, p.id LIMIT 1",
    "tie_break": "UPDATE profiles SET last_assigned_at = :now WHERE id = :agent",
    "ticket": "INSERT INTO tickets (id, number, title, description, search_text, status,"
    " priority, submitter_id, department_id, assigned_agent_id, classification,"
    " category, routing_mode, routing_confidence, routing_reason, routing_overridden,"
    " router_mode, version, created_at, updated_at)"
    " VALUES (:id, nextval('ticket_number_seq'), :title, :description, :search, 'open',"
    " :priority, :agent, :department, :agent, NULL, NULL, 'auto', 1.0, 'baseline', false,"
    " 'auto', 1, :now, :now) RETURNING number",
    "audit": "INSERT INTO audit_entries (id, ticket_id, actor_id, action, metadata, created_at)"
    " VALUES (:id, :ticket, :agent, :action, '{}'::jsonb, :now)",
    "notification": "INSERT INTO notifications (id, user_id, ticket_id, kind, title, body,"
    " created_at) VALUES (:id, :agent, :ticket, :kind, :title, '', :now)",
}


_NAME = re.compile(r"(?<!:):([a-z_]+)")  # a :name, not a ::cast


def _positional(sql: str) -> tuple[str, tuple[str, ...]]:
    """asyncpg's form of a statement written with :names: $1, $2, … and the names in order."""
    names: list[str] = []

    def number(found: re.Match[str]) -> str:
        if found.group(1) not in names:
            names.append(found.group(1))
        return f"${names.index(found.group(1)) + 1}"

    return _NAME.sub(number, sql), tuple(names)


_ASYNCPG_CREATE = {name: _positional(sql) for name, sql in _CREATE.items()}

Fetch = Callable[[str, dict[str, Any]], Awaitable[list[Any]]]
Many = Callable[[str, list[dict[str, Any]]], Awaitable[None]]


async def _create(fetch: Fetch, many: Many, ticket: NewTicket, department_id: uuid.UUID) -> int:
    """The create's statements in order, in the caller's transaction: `fetch` runs one and
    gives its rows, `many` runs one for each row of values."""
    now = datetime.now(UTC)
    ticket_id = uuid.uuid4()
    await fetch("departments", {})
    await fetch("lock", {"key": _lock_key(department_id)})
    [agent] = await fetch("agent", {"department": department_id, "active": ACTIVE})
    await fetch("tie_break", {"agent": agent["id"], "now": now})
    [stored] = await fetch(
        "ticket",
        {
            "id": ticket_id,
            "title": ticket.title,
            "description": ticket.description,
            "search": f"{ticket.title} {ticket.description}",
            "priority": ticket.priority,
            "agent": agent["id"],
            "department": department_id,
            "now": now,
        },
    )
    await many(
        "audit",
        [
            {"id": uuid.uuid4(), "ticket": ticket_id, "agent": agent["id"], "action": a, "now": now}
            for a in ("ticket.created", "ticket.assigned")
        ],
    )
    await many(
        "notification",
        [
            {
                "id": uuid.uuid4(),
                "agent": agent["id"],
                "ticket": ticket_id,
                "kind": kind,
                "title": ticket.title,
                "now": now,
            }
            for kind in ("ticket_created", "ticket_assigned")
        ],
    )
    return int(stored["number"])


class Postgres:
    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self.pool: Any = None

    async def open(self) -> None:
        import asyncpg

        self.pool = await asyncpg.create_pool(self.dsn, min_size=2, max_size=10)

    async def close(self) -> None:
        await self.pool.close()

    async def create(self, ticket: NewTicket, department_id: uuid.UUID) -> int:
        async with self.pool.acquire() as conn, conn.transaction():

            async def fetch(name: str, values: dict[str, Any]) -> list[Any]:
                sql, names = _ASYNCPG_CREATE[name]
                return list(await conn.fetch(sql, *(values[n] for n in names)))

            async def many(name: str, rows: list[dict[str, Any]]) -> None:
                sql, names = _ASYNCPG_CREATE[name]
                await conn.executemany(sql, [tuple(row[n] for n in names) for row in rows])

            return await _create(fetch, many, ticket, department_id)

    async def unread(self, user_id: uuid.UUID) -> int:
        return int(
            await self.pool.fetchval(
                "SELECT count(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL",
                user_id,
            )
        )


class Sqlite:
    """A few aiosqlite connections handed out in turn (the product pools its connections too)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.free: asyncio.Queue[Any] = asyncio.Queue()

    async def open(self) -> None:
        import aiosqlite

        for _ in range(SQLITE_CONNECTIONS):
            conn = await aiosqlite.connect(self.path)
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA busy_timeout=10000")
            self.free.put_nowait(conn)

    async def close(self) -> None:
        while not self.free.empty():
            await self.free.get_nowait().close()

    async def unread(self, user_id: uuid.UUID) -> int:
        conn = await self.free.get()
        try:
            # The product stores UUIDs on SQLite as 32 hex digits (SQLAlchemy's Uuid type).
            cursor = await conn.execute(
                "SELECT count(*) FROM notifications WHERE user_id = ? AND read_at IS NULL",
                (user_id.hex,),
            )
            (count,) = await cursor.fetchone()
            await cursor.close()
            return int(count)
        finally:
            self.free.put_nowait(conn)


class Core:
    """The same work through SQLAlchemy Core's async engine: statements built once, one
    connection per request from the engine's pool (reads in autocommit, as the product's
    read-only units of work; the create in one transaction)."""

    def __init__(self, target: str) -> None:
        from sqlalchemy import (
            Column,
            DateTime,
            MetaData,
            Table,
            Uuid,
            bindparam,
            func,
            select,
            text,
        )
        from sqlalchemy.ext.asyncio import create_async_engine

        postgres = target.startswith("postgresql://")
        url = (
            target.replace("postgresql://", "postgresql+asyncpg://", 1)
            if postgres
            else f"sqlite+aiosqlite:///{target}"
        )
        # Connections kept as the product keeps them (no overflow connections opened and closed).
        self.engine = create_async_engine(url, pool_size=20, max_overflow=0)
        # No BEGIN and ROLLBACK round trips for the read, like a read-only unit of work.
        self.reads = (
            self.engine.execution_options(isolation_level="AUTOCOMMIT") if postgres else self.engine
        )
        notifications = Table(
            "notifications", MetaData(), Column("user_id", Uuid), Column("read_at", DateTime)
        )
        self.unread_statement = select(func.count()).where(
            notifications.c.user_id == bindparam("user", type_=Uuid),
            notifications.c.read_at.is_(None),
        )
        self.create_statements = {name: text(sql) for name, sql in _CREATE.items()}

    async def close(self) -> None:
        await self.engine.dispose()

    async def unread(self, user_id: uuid.UUID) -> int:
        async with self.reads.connect() as conn:
            return int((await conn.execute(self.unread_statement, {"user": user_id})).scalar_one())

    async def create(self, ticket: NewTicket, department_id: uuid.UUID) -> int:
        async with self.engine.begin() as conn:

            async def fetch(name: str, values: dict[str, Any]) -> list[Any]:
                result = await conn.execute(self.create_statements[name], values)
                return list(result.mappings().all()) if result.returns_rows else []

            async def many(name: str, rows: list[dict[str, Any]]) -> None:
                await conn.execute(self.create_statements[name], rows)

            return await _create(fetch, many, ticket, department_id)


def create_app() -> Litestar:
    target = os.environ["BASELINE_DATABASE"]
    store: Postgres | Sqlite = (
        Postgres(target) if target.startswith("postgresql://") else Sqlite(target)
    )
    routes = {
        title: uuid.UUID(department)
        for title, department in json.loads(os.environ.get("BASELINE_ROUTES", "{}")).items()
    }

    core = Core(target)

    @contextlib.asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        await store.open()
        try:
            yield
        finally:
            await store.close()
            await core.close()

    @post("/api/v1/tickets", status_code=201)
    async def create(request: Request[Any, Any, Any]) -> dict[str, int]:
        assert isinstance(store, Postgres)
        ticket = msgspec.json.decode(await request.body(), type=NewTicket)
        return {"number": await store.create(ticket, routes[ticket.title])}

    @get("/count")
    async def count(user: uuid.UUID) -> dict[str, int]:
        return {"count": await store.unread(user)}

    @get("/count-core")
    async def count_core(user: uuid.UUID) -> dict[str, int]:
        return {"count": await core.unread(user)}

    @post("/api/v1/tickets-core", status_code=201)
    async def create_core(request: Request[Any, Any, Any]) -> dict[str, int]:
        ticket = msgspec.json.decode(await request.body(), type=NewTicket)
        return {"number": await core.create(ticket, routes[ticket.title])}

    # The create baseline runs on PostgreSQL only (the load benchmark's create is PostgreSQL's).
    handlers = [count, count_core] + ([create, create_core] if isinstance(store, Postgres) else [])
    return Litestar(handlers, lifespan=[lifespan], debug=False)
