"""Fairness across real server processes: two `helpdesk serve` processes on one PostgreSQL
database, 200 ticket requests at once through HTTP, the agents' loads end within 1."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import jwt
import pytest
from sqlalchemy import func, select

from helpdesk.adapters.storage.sql.tables import audit_entries
from helpdesk.adapters.storage.sql.unit_of_work import SqlStorage
from helpdesk.application.ports.storage.tickets import TicketFilter
from helpdesk.domain.taxonomy import RoutingMode

from .builders import EVERYTHING
from .flows import DESCRIPTION, TITLE, seed_department
from .pgbouncer import free_port

SECRET = "concurrency-test-secret-0123456789abcdef"


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
    ports = [free_port(), free_port()]
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
        stored = await uow.tickets.search(EVERYTHING, TicketFilter(), None, 500)
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
