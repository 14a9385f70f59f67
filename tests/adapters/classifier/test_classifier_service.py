"""`helpdesk classifier serve` speaks the classifier contract, and the client understands it."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import uvicorn
from litestar.testing import TestClient

from helpdesk.adapters.classifier.embedded import load_embedded_classifier
from helpdesk.adapters.classifier.http_client import HttpClassifier
from helpdesk.domain.taxonomy import Category
from helpdesk.entrypoints.classifier_service import create_classifier_app


class Clock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def test_the_service_answers_the_contract() -> None:
    app = create_classifier_app(load_embedded_classifier(Clock()))
    with TestClient(app) as client:
        response = client.post("/classify", json={"text": "الطابعة لا تطبع"})
        assert response.status_code == 200
        body = response.json()
        assert {p["label"] for p in body["predictions"]} == {str(c) for c in Category}
        assert body["model"]
        assert client.get("/health").status_code == 200
        assert client.post("/classify", json={"nope": 1}).status_code == 422


@pytest.fixture
def served() -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_classifier_app(load_embedded_classifier(Clock()))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(5)


async def test_the_client_against_the_served_model(served: str) -> None:
    client = HttpClassifier(served, timeout=2.0, clock=Clock())
    result = await client.classify("نسيت كلمة المرور\nلا أستطيع الدخول إلى حسابي")
    assert await client.health() == "ok"
    await client.aclose()
    assert result is not None
    assert result.category is Category.ACCOUNTS_ACCESS
