"""HELPDESK_SCHEDULER=inline: the server runs the periodic jobs beside the requests, and stops
them with itself; `off` leaves them to `helpdesk worker`."""

from __future__ import annotations

import threading

from litestar.testing import TestClient

from helpdesk.entrypoints.http import create_app

from .conftest import container_for


class Recording:
    name, interval = "recording", 3600.0

    def __init__(self) -> None:
        self.turns = 0
        self.ran = threading.Event()

    async def run_once(self) -> int:
        self.turns += 1
        self.ran.set()
        return self.turns


def test_serve_runs_the_periodic_jobs_when_inline() -> None:
    job = Recording()
    container = container_for(scheduler="inline", overrides={"periodic_jobs": [job]})
    with TestClient(create_app(container=container)) as client:
        assert job.ran.wait(timeout=10)
        assert client.get("/health").status_code == 200
    assert job.turns == 1  # an hour's interval: the one turn at start-up, then a clean stop


def test_serve_leaves_the_periodic_jobs_to_the_worker_when_off() -> None:
    job = Recording()
    container = container_for(scheduler="off", overrides={"periodic_jobs": [job]})
    with TestClient(create_app(container=container)) as client:
        assert client.get("/health").status_code == 200
    assert job.turns == 0
