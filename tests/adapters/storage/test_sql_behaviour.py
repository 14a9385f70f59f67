"""What only SQL storage must show: migrations, a small create transaction, pooler mode,
outages that answer 503 and heal, and fair assignment under real concurrency."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import jwt
import pytest
from sqlalchemy import event, func, select

from helpdesk.adapters.storage.sql.migrate import schema_differences, upgrade_database
from helpdesk.adapters.storage.sql.storage import SqlStorage
from helpdesk.adapters.storage.sql.tables import audit_entries, tickets
from helpdesk.adapters.system import RandomIds, SystemClock
from helpdesk.application.context import Context
from helpdesk.application.tickets.create import CreateTicket, CreateTicketUseCase
from helpdesk.application.users.create import SYSTEM_ACTOR, CreateUser, CreateUserUseCase
from helpdesk.domain.classification import Classification
from helpdesk.domain.errors import DependencyUnavailable
from helpdesk.domain.people import Actor, Department
from helpdesk.domain.taxonomy import Category, Role, RoutingMode

from ...conftest import PG_ADMIN_URL, _free_port, require_postgres
from .relay import TcpRelay

SECRET = "concurrency-test-secret-0123456789abcdef"
TITLE, DESCRIPTION = "الشبكة لا تعمل", "لا يوجد اتصال بالإنترنت في مكتبي منذ الصباح"


class NetworkClassifier:
    async def classify(self, text: str) -> Classification | None:
        return Classification.from_scores(
            {Category.NETWORK: 0.95, Category.HARDWARE: 0.03},
            model="stub",
            classified_at=datetime.now(UTC),
        )

    async def health(self) -> str:
        return "ok"


def context(storage: SqlStorage) -> Context:
    return Context(
        uow=storage.unit_of_work,
        classifier=NetworkClassifier(),
        clock=SystemClock(),
        ids=RandomIds(),
    )


async def seed_department(
    storage: SqlStorage, agents: int
) -> tuple[Department, list[uuid.UUID], Actor]:
    ctx = context(storage)
    dept = Department(
        uuid.uuid4(), "it", "الدعم الفني", "", (Category.NETWORK,), True, datetime.now(UTC)
    )
    async with storage.unit_of_work() as uow:
        await uow.departments.add(dept)
        await uow.commit()
    create_user = CreateUserUseCase(ctx, None)
    ids = [
        (
            await create_user.execute(
                SYSTEM_ACTOR, CreateUser(f"agent{i}@x.io", f"وكيل {i}", Role.AGENT, dept.id)
            )
        ).id
        for i in range(agents)
    ]
    user = await create_user.execute(SYSTEM_ACTOR, CreateUser("user@x.io", "موظف", Role.END_USER))
    return dept, ids, Actor.of(user)


async def test_migrations_build_exactly_the_tables(sql_url: str) -> None:
    url = sql_url
    await asyncio.to_thread(upgrade_database, url)  # twice is harmless
    assert await schema_differences(url) == []


def test_a_c_ctype_database_is_refused_with_one_line() -> None:
    require_postgres()
    name = f"helpdesk_c_{uuid.uuid4().hex[:8]}"
    from ...conftest import _pg_admin

    asyncio.run(
        _pg_admin(f"CREATE DATABASE \"{name}\" TEMPLATE template0 LC_CTYPE 'C' LC_COLLATE 'C'")
    )
    try:
        with pytest.raises(RuntimeError, match="ctype"):
            upgrade_database(PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}")
    finally:
        asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def test_a_create_is_one_small_transaction(sql_url: str) -> None:
    url = sql_url
    storage = SqlStorage(url)
    _, _, user = await seed_department(storage, agents=3)
    create = CreateTicketUseCase(context(storage))
    await create.execute(user, CreateTicket(TITLE, DESCRIPTION))  # the profile exists now
    statements: list[str] = []
    event.listen(
        storage.engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(a[2])
    )
    created = await create.execute(user, CreateTicket(TITLE, DESCRIPTION, idempotency_key="k1"))
    await storage.dispose()
    assert created.ticket.routing_mode is RoutingMode.AUTO
    work = [
        s
        for s in statements
        if not s.strip().upper().startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"))
    ]
    # claim key, profile, departments, [advisory lock], loads, mark assigned, [counter], insert
    # ticket, audit entries, notifications
    assert len(work) <= 10, work
    assert sum(s.strip().upper().startswith("COMMIT") for s in statements) <= 1


async def test_an_outage_answers_unavailable_and_heals(postgres_url: str) -> None:
    host_port = postgres_url.split("@", 1)[1].split("/", 1)[0]
    host, port = host_port.split(":")
    relay = TcpRelay(host, int(port))
    await relay.start()
    url = postgres_url.replace(host_port, f"127.0.0.1:{relay.port}")
    storage = SqlStorage(url)
    _, _, user = await seed_department(storage, agents=2)
    create = CreateTicketUseCase(context(storage))
    await create.execute(user, CreateTicket(TITLE, DESCRIPTION))

    saved_port = relay.port
    await relay.cut()
    for _ in range(3):
        with pytest.raises(DependencyUnavailable):
            await create.execute(user, CreateTicket(TITLE, DESCRIPTION))
    with pytest.raises(OSError):
        await storage.ping()

    relay.port = saved_port
    await relay.start()
    created = await create.execute(user, CreateTicket(TITLE, DESCRIPTION))
    assert created.ticket.number > 0
    await storage.ping()
    await storage.dispose()
    await relay.cut()

    direct = SqlStorage(postgres_url)
    async with direct.engine.connect() as conn:
        count = (await conn.execute(select(func.count()).select_from(tickets))).scalar_one()
        orphans = (
            await conn.execute(
                select(func.count())
                .select_from(tickets)
                .where(
                    ~select(audit_entries.c.id)
                    .where(
                        audit_entries.c.ticket_id == tickets.c.id,
                        audit_entries.c.action == "ticket.created",
                    )
                    .exists()
                )
            )
        ).scalar_one()
    await direct.dispose()
    assert count == 2
    assert orphans == 0  # no half-written ticket


# --- pgbouncer in transaction mode -----------------------------------------------------------


async def test_the_create_flow_through_pgbouncer_in_transaction_mode(pgbouncer_url: str) -> None:
    storage = SqlStorage(pgbouncer_url, pooler="transaction")
    _, _, user = await seed_department(storage, agents=3)
    create = CreateTicketUseCase(context(storage))
    results = await asyncio.gather(
        *(create.execute(user, CreateTicket(TITLE, DESCRIPTION)) for _ in range(30))
    )
    async with storage.unit_of_work() as uow:
        loads = [a.load for a in await uow.assignment.loads(results[0].ticket.department_id)]  # type: ignore[arg-type]
    await storage.dispose()
    assert len({r.ticket.number for r in results}) == 30
    assert sorted(loads) == [10, 10, 10]


# --- fairness across two server processes --------------------------------------------------


class ClassifierStub:
    """The external classifier, always sure it is a network problem."""

    def __init__(self) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                body = (
                    b'{"predictions": [{"label": "network", "confidence": 0.95}], "model": "stub"}'
                )
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            request_queue_size = 512  # 200 connections arrive at once
            daemon_threads = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.mark.slow
async def test_two_server_processes_share_work_fairly(postgres_url: str) -> None:
    storage = SqlStorage(postgres_url)
    dept, _, user = await seed_department(storage, agents=7)
    stub = ClassifierStub()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("HELPDESK_")},
        "HELPDESK_DATABASE_URL": postgres_url,
        "HELPDESK_JWT_SECRET": SECRET,
        "HELPDESK_CLASSIFIER_URL": stub.url,
        "HELPDESK_RATE_LIMIT": "0",
        # 200 requests at once on two cores: give the stub classifier time to answer them all.
        "HELPDESK_CLASSIFIER_TIMEOUT": "20",
        "HELPDESK_ENV": "test",
    }
    ports = [_free_port(), _free_port()]
    servers = [
        subprocess.Popen(  # noqa: ASYNC220 - started once, not awaited on
            [sys.executable, "-m", "helpdesk.entrypoints.cli", "serve", "--port", str(p)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        for p in ports
    ]
    try:
        async with httpx.AsyncClient(timeout=30) as client:
            deadline = time.monotonic() + 30
            for p in ports:
                while True:
                    try:
                        if (await client.get(f"http://127.0.0.1:{p}/health")).status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    assert time.monotonic() < deadline, "servers did not start"
                    await asyncio.sleep(0.2)
            token = jwt.encode(
                {"sub": str(user.id), "aud": "authenticated", "exp": int(time.time()) + 600},
                SECRET,
                algorithm="HS256",
            )
            headers = {"Authorization": f"Bearer {token}"}
            body = {"title": TITLE, "description": DESCRIPTION}
            responses = await asyncio.gather(
                *(
                    client.post(
                        f"http://127.0.0.1:{ports[i % 2]}/api/v1/tickets",
                        json=body,
                        headers=headers,
                    )
                    for i in range(200)
                )
            )
        assert [r.status_code for r in responses] == [201] * 200
    finally:
        for s in servers:
            s.terminate()
        for s in servers:
            s.wait(10)
        stub.server.shutdown()
    async with storage.unit_of_work() as uow:
        loads = [a.load for a in await uow.assignment.loads(dept.id)]
        stored = await uow.tickets.search(
            __import__("helpdesk.domain.permissions", fromlist=["TicketScope"]).TicketScope(
                everything=True
            ),
            __import__(
                "helpdesk.application.ports.storage", fromlist=["TicketFilter"]
            ).TicketFilter(),
            None,
            500,
        )
    async with storage.engine.connect() as conn:
        audited = (
            await conn.execute(
                select(func.count(func.distinct(audit_entries.c.ticket_id))).where(
                    audit_entries.c.action == "ticket.created"
                )
            )
        ).scalar_one()
    await storage.dispose()
    assert len(stored) == 200
    assert {t.routing_mode for t in stored} == {RoutingMode.AUTO}
    assert len({t.number for t in stored}) == 200
    assert {r.json()["id"] for r in responses} == {str(t.id) for t in stored}
    assert audited == 200
    assert sum(loads) == 200
    assert max(loads) - min(loads) <= 1, loads


def test_migrations_need_no_superuser() -> None:
    """The app's role owns its database and nothing more: pg_trgm is a trusted extension."""
    require_postgres()
    from ...conftest import _pg_admin

    role, name = f"helpdesk_app_{uuid.uuid4().hex[:8]}", f"helpdesk_owned_{uuid.uuid4().hex[:8]}"
    asyncio.run(_pg_admin(f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE'))
    asyncio.run(_pg_admin(f'CREATE DATABASE "{name}" OWNER "{role}"'))
    try:
        base = PG_ADMIN_URL.split("://", 1)[1].split("@", 1)[1].rsplit("/", 1)[0]
        url = f"postgresql+asyncpg://{role}@{base}/{name}"
        upgrade_database(url)
        assert asyncio.run(schema_differences(url)) == []
    finally:
        asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        asyncio.run(_pg_admin(f'DROP ROLE IF EXISTS "{role}"'))


async def test_concurrent_writers_on_one_sqlite_file(sqlite_url: str) -> None:
    """Several processes' worth of writers (separate engines) on one file: none is lost."""
    storages = [SqlStorage(sqlite_url) for _ in range(3)]
    _, _, user = await seed_department(storages[0], agents=3)
    creates = [CreateTicketUseCase(context(s)) for s in storages]
    results = await asyncio.gather(
        *(creates[i % 3].execute(user, CreateTicket(TITLE, DESCRIPTION)) for i in range(30))
    )
    async with storages[0].unit_of_work() as uow:
        loads = sorted(a.load for a in await uow.assignment.loads(results[0].ticket.department_id))  # type: ignore[arg-type]
    for s in storages:
        await s.dispose()
    assert len({r.ticket.number for r in results}) == 30
    assert loads == [10, 10, 10]
