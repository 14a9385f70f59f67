"""Whatever the external classifier does, filing a ticket works and answers within budget."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import jwt
import pytest
from dependency_injector import providers
from litestar.testing import TestClient

from helpdesk.adapters.classifier.http_client import HttpClassifier
from helpdesk.adapters.system import SystemClock
from helpdesk.container import build_container
from helpdesk.entrypoints.http import create_app
from helpdesk.settings import load_settings

from .test_http_client import GOOD, ClassifierServer, answer

SECRET = "x" * 40
BUDGET = 0.5


def token(user_id: uuid.UUID) -> dict[str, str]:
    claims = {"sub": str(user_id), "aud": "authenticated", "exp": int(time.time()) + 600}
    return {"Authorization": f"Bearer {jwt.encode(claims, SECRET, algorithm='HS256')}"}


@pytest.fixture
def server() -> Iterator[ClassifierServer]:
    s = ClassifierServer()
    yield s
    s.server.shutdown()


def redirect(h: BaseHTTPRequestHandler, n: int) -> None:
    h.send_response(302)
    h.send_header("Location", "http://127.0.0.1:9/")
    h.send_header("Content-Length", "0")
    h.end_headers()


FAILURES = {
    "timeout": lambda h, n: (time.sleep(BUDGET * 3), answer(h, 200, GOOD))[1],
    "500": lambda h, n: answer(h, 500, {}),
    "garbage": lambda h, n: answer(h, 200, None, raw=b"not json"),
    "unknown label": lambda h, n: answer(
        h, 200, {"predictions": [{"label": "weather", "confidence": 0.99}], "model": "m"}
    ),
    "confidence 1.7": lambda h, n: answer(
        h, 200, {"predictions": [{"label": "printing", "confidence": 1.7}], "model": "m"}
    ),
    "redirect": redirect,
}


def client_for(url: str) -> tuple[TestClient, HttpClassifier]:  # type: ignore[type-arg]
    settings = load_settings(
        {"database_url": "memory://", "jwt_secret": SECRET, "classifier_url": url},
        environ={},
        env_file=None,
    )
    container = build_container(settings)
    classifier = HttpClassifier(url, timeout=BUDGET, clock=SystemClock())
    container.classifier.override(providers.Object(classifier))
    return TestClient(create_app(container=container)), classifier


TICKET = {
    "title": "الطابعة لا تعمل",
    "description": "الطابعة في الطابق الثاني لا تطبع أي مستند منذ الصباح",
}


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_a_failing_classifier_sends_the_ticket_to_manual_triage(
    server: ClassifierServer, failure: str
) -> None:
    server.behaviour = FAILURES[failure]
    client, _ = client_for(server.url)
    with client:
        start = time.monotonic()
        response = client.post("/api/v1/tickets", json=TICKET, headers=token(uuid.uuid4()))
        took = time.monotonic() - start
    assert response.status_code == 201, response.text
    ticket = response.json()
    assert ticket["status"] == "triage"
    assert ticket["routing_mode"] == "manual"
    assert ticket["classification"] is None
    assert ticket["routing_confidence"] is None
    assert "unavailable" in ticket["routing_reason"]
    assert took < BUDGET + 0.5


def test_connection_refused_too() -> None:
    client, _ = client_for("http://127.0.0.1:9")
    with client:
        response = client.post("/api/v1/tickets", json=TICKET, headers=token(uuid.uuid4()))
        health = client.get("/health/ready").json()
    assert response.status_code == 201
    assert response.json()["routing_mode"] == "manual"
    assert health == {"status": "ok", "checks": {"database": "ok", "classifier": "unavailable"}}


def test_a_503_then_success_classifies_the_ticket(server: ClassifierServer) -> None:
    server.behaviour = lambda h, n: answer(h, 503, {}) if n == 1 else answer(h, 200, GOOD)
    client, _ = client_for(server.url)
    with client:
        response = client.post("/api/v1/tickets", json=TICKET, headers=token(uuid.uuid4()))
    ticket = response.json()
    assert ticket["classification"]["category"] == "printing"
    assert ticket["classification"]["model"] == "fastapi-classifier/7"
    # No department handles printing in this empty database: manual, but classified.
    assert ticket["routing_confidence"] == 0.93
