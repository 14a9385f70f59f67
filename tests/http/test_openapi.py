"""The published contract (the OpenAPI document at /schema/openapi.json) tells the truth: every
operation has an explicit, readable id; the documented limits are the enforced ones; the errors,
the 429 and the 204s are documented as they happen; path parameters say what they accept."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from helpdesk.entrypoints.http import create_app

from .conftest import container_for

LOWER_CAMEL = re.compile(r"^[a-z]+(?:[A-Z][a-z0-9]*)*$")
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[TestClient, dict[str, Any]]]:  # type: ignore[type-arg]
    """An app with every route (the dev utilities on) and the rate limit at its default."""
    app = create_app(container=container_for(dev_utilities=True, rate_limit=120))
    with TestClient(app) as client:
        response = client.get("/schema/openapi.json")
        assert response.status_code == 200
        yield client, response.json()


def operations(schema: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def test_every_operation_has_an_explicit_readable_id(served: Any) -> None:
    client, schema = served
    # Set on the handler, not derived by Litestar (which would build it from the path).
    handlers = [
        handler
        for route in client.app.routes
        if not route.path.startswith("/schema")
        for handler in getattr(route, "route_handlers", ())
        if "OPTIONS" not in handler.http_methods
    ]
    assert handlers
    unnamed = [str(h) for h in handlers if not isinstance(h.operation_id, str)]
    assert unnamed == [], "handlers without an explicit operation_id"
    ids = [operation.get("operationId", "") for _, _, operation in operations(schema)]
    assert len(ids) == len(set(ids)), "operation ids must be unique"
    for path, method, operation in operations(schema):
        operation_id = operation.get("operationId", "")
        assert LOWER_CAMEL.match(operation_id), (method, path, operation_id)
        words = {w.lower() for w in re.findall(r"[A-Z]?[a-z0-9]+", operation_id)}
        assert not words & {"api", "v1", "schema"}, (method, path, operation_id)
    expected = {
        ("post", "/api/v1/tickets"): "createTicket",
        ("get", "/api/v1/tickets"): "listTickets",
        ("get", "/api/v1/tickets/{ticket_id}"): "getTicket",
        ("patch", "/api/v1/tickets/{ticket_id}"): "updateTicket",
        ("post", "/api/v1/tickets/{ticket_id}/override"): "overrideTicket",
        ("post", "/api/v1/tickets/{ticket_id}/reclassify"): "reclassifyTicket",
        ("get", "/api/v1/stats/confidence-histogram"): "getConfidenceHistogram",
        ("get", "/api/v1/stats/agent-workload"): "getAgentWorkload",
        ("post", "/api/v1/auth/token"): "logIn",
        ("get", "/health"): "getHealth",
    }
    found = {(m, p): o["operationId"] for p, m, o in operations(schema)}
    assert {key: found.get(key) for key in expected} == expected
