"""The HTTP classifier client against a real local server, in every failure mode."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from helpdesk.adapters.classifier.circuit_breaker import BreakerState
from helpdesk.adapters.classifier.http_client import HttpClassifier
from helpdesk.domain.taxonomy import Category

TIMEOUT = 0.5
GOOD = {
    "predictions": [
        {"label": "hardware", "confidence": 0.05},
        {"label": "printing", "confidence": 0.93},
    ],
    "model": "fastapi-classifier/7",
}
TEXT = "الطابعة لا تعمل\nالطابعة في الطابق الثاني لا تطبع"


class FakeClock:
    def __init__(self) -> None:
        self.at = datetime(2026, 1, 1, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at


Behaviour = Callable[[BaseHTTPRequestHandler, int], None]


class ClassifierServer:
    """A real HTTP server; `behaviour(handler, call_number)` answers each POST /classify."""

    def __init__(self) -> None:
        self.behaviour: Behaviour = lambda h, n: answer(h, 200, GOOD)
        self.calls: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                self.rfile.read(length)
                outer.calls.append(self.path)
                outer.behaviour(self, len(outer.calls))

            def do_GET(self) -> None:
                outer.calls.append(self.path)
                answer(self, 200, {"status": "ok"})

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def answer(
    handler: BaseHTTPRequestHandler, status: int, body: Any, raw: bytes | None = None
) -> None:
    data = raw if raw is not None else json.dumps(body).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


@pytest.fixture
def server() -> Iterator[ClassifierServer]:
    s = ClassifierServer()
    yield s
    s.server.shutdown()


async def classify_timed(client: HttpClassifier) -> tuple[Any, float]:
    start = time.monotonic()
    result = await client.classify(TEXT)
    return result, time.monotonic() - start


async def test_a_good_answer_is_sorted_and_stamped(server: ClassifierServer) -> None:
    client = HttpClassifier(server.url, timeout=TIMEOUT, clock=FakeClock())
    result = await client.classify(TEXT)
    await client.aclose()
    assert result is not None
    assert result.category is Category.PRINTING
    assert result.confidence == 0.93
    assert [s.category for s in result.scores] == [Category.PRINTING, Category.HARDWARE]
    assert result.model == "fastapi-classifier/7"
    assert server.calls == ["/classify"]


@pytest.mark.parametrize(
    ("name", "behaviour"),
    [
        ("500", lambda h, n: answer(h, 500, {"detail": "boom"})),
        ("garbage body", lambda h, n: answer(h, 200, None, raw=b"<html>oops</html>")),
        ("missing fields", lambda h, n: answer(h, 200, {"predictions": []})),
        (
            "unknown label only",
            lambda h, n: answer(
                h, 200, {"predictions": [{"label": "weather", "confidence": 0.9}], "model": "m"}
            ),
        ),
        (
            "confidence 1.7",
            lambda h, n: answer(
                h, 200, {"predictions": [{"label": "network", "confidence": 1.7}], "model": "m"}
            ),
        ),
        (
            "negative confidence",
            lambda h, n: answer(
                h, 200, {"predictions": [{"label": "network", "confidence": -0.1}], "model": "m"}
            ),
        ),
        ("503 twice", lambda h, n: answer(h, 503, {"detail": "busy"})),
    ],
)
async def test_failures_mean_no_classification(
    server: ClassifierServer, name: str, behaviour: Behaviour
) -> None:
    server.behaviour = behaviour
    client = HttpClassifier(server.url, timeout=TIMEOUT, clock=FakeClock())
    result, took = await classify_timed(client)
    await client.aclose()
    assert result is None, name
    assert took < TIMEOUT + 0.2


async def test_unknown_labels_are_ignored_beside_known_ones(server: ClassifierServer) -> None:
    server.behaviour = lambda h, n: answer(
        h,
        200,
        {
            "predictions": [
                {"label": "weather", "confidence": 0.7},
                {"label": "email", "confidence": 0.2},
            ],
            "model": "m",
        },
    )
    client = HttpClassifier(server.url, timeout=TIMEOUT, clock=FakeClock())
    result = await client.classify(TEXT)
    await client.aclose()
    assert result is not None
    assert result.category is Category.EMAIL
    assert [s.category for s in result.scores] == [Category.EMAIL]


async def test_a_503_then_success_is_retried(server: ClassifierServer) -> None:
    server.behaviour = lambda h, n: answer(h, 503, {}) if n == 1 else answer(h, 200, GOOD)
    client = HttpClassifier(server.url, timeout=TIMEOUT, clock=FakeClock())
    result = await client.classify(TEXT)
    await client.aclose()
    assert result is not None and result.category is Category.PRINTING
    assert len(server.calls) == 2


async def test_a_slow_server_is_cut_off_at_the_budget(server: ClassifierServer) -> None:
    server.behaviour = lambda h, n: (time.sleep(TIMEOUT * 3), answer(h, 200, GOOD))[1]
    client = HttpClassifier(server.url, timeout=TIMEOUT, clock=FakeClock())
    result, took = await classify_timed(client)
    await client.aclose()
    assert result is None
    assert took < TIMEOUT + 0.2


async def test_connection_refused_is_retried_once_then_unavailable() -> None:
    client = HttpClassifier("http://127.0.0.1:9", timeout=TIMEOUT, clock=FakeClock())
    result, took = await classify_timed(client)
    assert result is None
    assert took < TIMEOUT + 0.2
    assert await client.health() == "unavailable"
    await client.aclose()


async def test_redirects_are_never_followed(server: ClassifierServer) -> None:
    def redirect(h: BaseHTTPRequestHandler, n: int) -> None:
        h.send_response(307)
        h.send_header("Location", f"{server.url}/elsewhere")
        h.send_header("Content-Length", "0")
        h.end_headers()

    server.behaviour = redirect
    client = HttpClassifier(server.url, timeout=TIMEOUT, clock=FakeClock())
    assert await client.classify(TEXT) is None
    await client.aclose()
    assert server.calls == ["/classify"]  # the target was never called


async def test_the_breaker_opens_then_half_opens_with_one_probe(server: ClassifierServer) -> None:
    server.behaviour = lambda h, n: answer(h, 500, {})
    clock = FakeClock()
    client = HttpClassifier(
        server.url, timeout=TIMEOUT, clock=clock, failure_threshold=3, reset_after=30
    )
    for _ in range(3):
        assert await client.classify(TEXT) is None
    assert client.breaker.state is BreakerState.OPEN
    calls = len(server.calls)
    assert await client.classify(TEXT) is None
    assert len(server.calls) == calls  # skipped while open
    assert await client.health() == "unavailable"

    clock.at += timedelta(seconds=31)
    assert client.breaker.state is BreakerState.HALF_OPEN
    assert await client.classify(TEXT) is None  # the probe fails: open again
    assert len(server.calls) == calls + 1
    assert client.breaker.state is BreakerState.OPEN

    clock.at += timedelta(seconds=31)
    server.behaviour = lambda h, n: answer(h, 200, GOOD)
    result = await client.classify(TEXT)  # the probe succeeds: closed
    assert result is not None
    assert client.breaker.state is BreakerState.CLOSED
    assert await client.health() == "ok"
    await client.aclose()
