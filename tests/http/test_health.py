"""The health check; the app while its database is cut off and after it comes back; and a
service started on a database that was never migrated."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from litestar.testing import TestClient

from helpdesk.entrypoints.http import create_app

from ..adapters.storage.postgres import (
    create_database,
    database_url,
    drop_database,
    new_database_name,
    require_postgres,
)
from ..adapters.storage.relay import TcpRelay
from .conftest import (
    NETWORK,
    ScriptedClassifier,
    World,
    assert_problem,
    bearer,
    container_for,
    make_world,
)


def test_liveness_and_readiness(world: World, classifier: ScriptedClassifier) -> None:
    live = world.client.get("/health")
    assert live.status_code == 200
    assert live.json() == {"status": "ok"}
    response = world.client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "classifier": "ok"}}
    with classifier.answering(None):
        degraded = world.client.get("/health/ready")
    assert degraded.status_code == 200  # tickets are still filed, for triage
    assert degraded.json() == {
        "status": "ok",
        "checks": {"database": "ok", "classifier": "unavailable"},
    }


class Relay:
    """A TcpRelay on an event loop of its own, driven from the test's thread."""

    def __init__(self, relay: TcpRelay, loop: asyncio.AbstractEventLoop) -> None:
        self._relay, self._loop = relay, loop

    def _run(self, coroutine: Any) -> None:
        asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(5)

    def cut(self) -> None:
        self._run(self._relay.cut())

    def restore(self) -> None:
        self._run(self._relay.start())  # the same port as before


@contextmanager
def relayed(url: str) -> Iterator[tuple[str, Relay]]:
    """The database URL rewritten to go through a relay the test can cut."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    parts = urlsplit(url)
    assert parts.hostname and parts.port
    relay = TcpRelay((parts.hostname, parts.port))
    control = Relay(relay, loop)
    try:
        control.restore()
        yield url.replace(f"{parts.hostname}:{parts.port}", f"127.0.0.1:{relay.port}"), control
    finally:
        control.cut()
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()


def test_while_the_database_is_down(postgres_url: str) -> None:
    """Readiness says so (503) while liveness does not (the worker is fine: restarting it
    would not help), requests are 503 problems with nothing half-done, and the app recovers by
    itself once the database is back."""
    with relayed(postgres_url) as (url, relay), make_world(database_url=url) as world:
        world.file(text=NETWORK)
        relay.cut()
        assert world.client.get("/health").json() == {"status": "ok"}
        health = world.client.get("/health/ready")
        assert health.status_code == 503
        assert health.json() == {
            "status": "unavailable",
            "checks": {"database": "unavailable", "classifier": "ok"},
        }
        for _ in range(2):
            refused = world.request("POST", "/api/v1/tickets", world.user, json=NETWORK)
            assert_problem(refused, 503)
            assert_problem(world.request("GET", "/api/v1/tickets", world.user), 503)

        relay.restore()
        assert world.client.get("/health/ready").status_code == 200
        assert world.request("POST", "/api/v1/tickets", world.user, json=NETWORK).status_code == 201
        listed = world.request("GET", "/api/v1/tickets", world.user).json()["items"]
        assert len(listed) == 2  # the refused ones left nothing behind


@pytest.fixture(params=["sqlite", "postgresql"])
def unmigrated_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path}/never-migrated.db"
        return
    require_postgres()
    name = new_database_name("helpdesk_unmigrated")
    create_database(name)
    try:
        yield database_url(name)
    finally:
        drop_database(name)


def test_an_unmigrated_database_is_a_503_that_says_to_upgrade(unmigrated_url: str) -> None:
    """Not "the database is unavailable" (SQLite) nor a 500 (PostgreSQL): what to do."""
    with TestClient(create_app(container=container_for(database_url=unmigrated_url))) as client:
        response = client.get("/api/v1/tickets", headers=bearer(uuid.uuid4()))
    body = assert_problem(response, 503)
    assert "helpdesk db upgrade" in body["detail"]
    assert "no such table" not in body["detail"] and "relation" not in body["detail"]
    assert response.headers["retry-after"]
