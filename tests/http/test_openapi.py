"""The published contract (the OpenAPI document at /schema/openapi.json) tells the truth: every
operation has an explicit, readable id; the documented limits are the enforced ones; the errors,
the 429 and the 204s are documented as they happen; path parameters say what they accept."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from litestar.testing import TestClient

from helpdesk.entrypoints.http import create_app

from .conftest import PRINTER, World, container_for, error_fields

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


# -- the documented limits are the enforced ones ----------------------------------------------


def bounds(schema: dict[str, Any], component: str, field: str) -> tuple[int, int]:
    found = schema["components"]["schemas"][component]["properties"][field]
    return found["minLength"], found["maxLength"]


def arabic(length: int) -> str:
    """An Arabic text of exactly `length` characters, every one a letter."""
    return "ب" * length


@dataclass(frozen=True)
class Limited:
    component: str
    field: str
    method: str
    path: str  # {ticket}: a ticket the test files first
    body: dict[str, Any]
    accepted: int
    caller: str = "user"


LIMITED = [
    Limited("TicketCreate", "title", "POST", "/api/v1/tickets", PRINTER, 201),
    Limited("TicketCreate", "description", "POST", "/api/v1/tickets", PRINTER, 201),
    Limited("CommentCreate", "body", "POST", "/api/v1/tickets/{ticket}/comments", {}, 201),
    Limited("ClassifyRequest", "text", "POST", "/api/v1/classify", {}, 200),
    Limited(
        "OverrideRequest",
        "reason",
        "POST",
        "/api/v1/tickets/{ticket}/override",
        {"department_id": "{finance}"},
        200,
        "admin",
    ),
    Limited(
        "QuickActionCreate",
        "label",
        "POST",
        "/api/v1/quick-actions",
        {"label": "طباعة", **PRINTER},
        201,
        "admin",
    ),
    Limited(
        "QuickActionCreate",
        "title",
        "POST",
        "/api/v1/quick-actions",
        {"label": "طباعة", **PRINTER},
        201,
        "admin",
    ),
    Limited(
        "UserCreate",
        "full_name",
        "POST",
        "/api/v1/users",
        {"email": "{email}", "role": "end_user"},
        201,
        "admin",
    ),
]


@pytest.mark.parametrize("case", LIMITED, ids=lambda c: f"{c.component}.{c.field}")
def test_documented_text_limits_are_enforced(world: World, served: Any, case: Limited) -> None:
    _, schema = served
    low, high = bounds(schema, case.component, case.field)
    who = world.admin if case.caller == "admin" else world.user

    def send(length: int) -> Any:
        path = case.path
        if "{ticket}" in path:
            path = path.replace("{ticket}", world.file(world.user)["id"])
        body = {**case.body, case.field: arabic(length)}
        for key, value in body.items():
            if value == "{finance}":
                body[key] = str(world.departments["finance"].id)
            if value == "{email}":
                body[key] = f"limits-{uuid.uuid4().hex[:12]}@example.test"
        return world.request(case.method, path, who, json=body)

    for length in (low, high):
        response = send(length)
        assert response.status_code == case.accepted, (length, response.text)
    for length in (low - 1, high + 1):
        if length >= 0:
            assert case.field in error_fields(send(length)), length


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/tickets", "limit"),
        ("/api/v1/notifications", "limit"),
        ("/api/v1/stats/confidence-histogram", "bins"),
    ],
)
def test_documented_query_ranges_are_enforced(
    world: World, served: Any, path: str, name: str
) -> None:
    _, schema = served
    parameter = next(p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == name)
    low, high = parameter["schema"]["minimum"], parameter["schema"]["maximum"]
    for value in (low, high):
        response = world.request("GET", f"{path}?{name}={value}", world.admin)
        assert response.status_code == 200, (value, response.text)
    for value in (low - 1, high + 1):
        assert error_fields(world.request("GET", f"{path}?{name}={value}", world.admin)) == [
            name
        ], value


# -- responses as they happen ------------------------------------------------------------------


def test_429_is_documented_with_its_headers_where_rate_limiting_applies(served: Any) -> None:
    _, schema = served
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        if not path.startswith("/api/v1/"):
            assert "429" not in responses, (method, path)
            continue
        limited = responses.get("429")
        assert limited is not None, (method, path)
        assert "application/problem+json" in limited["content"], (method, path)
        assert {"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "Retry-After"} <= set(
            limited["headers"]
        ), (method, path)


def test_without_rate_limiting_only_the_login_back_off_documents_429() -> None:
    app = create_app(container=container_for(rate_limit=0))
    with TestClient(app) as client:
        schema = client.get("/schema/openapi.json").json()
    with_429 = {(m, p) for p, m, o in operations(schema) if "429" in o["responses"]}
    assert with_429 == {("post", "/api/v1/auth/token")}
    headers = schema["paths"]["/api/v1/auth/token"]["post"]["responses"]["429"]["headers"]
    assert set(headers) == {"Retry-After"}


def test_a_204_has_no_content_and_its_path_id_is_a_uuid(served: Any) -> None:
    _, schema = served
    deletes = [(p, o) for p, m, o in operations(schema) if "204" in o["responses"]]
    assert {p for p, _ in deletes} == {
        "/api/v1/quick-actions/{quick_action_id}",
        "/api/v1/sla-policies/{policy_id}",
        "/api/v1/users/{user_id}",
    }
    for path, operation in deletes:
        assert "content" not in operation["responses"]["204"], path
        (parameter,) = [p for p in operation["parameters"] if p["in"] == "path"]
        assert parameter["schema"]["format"] == "uuid", path
        assert path.endswith("{" + parameter["name"] + "}") and parameter["name"].endswith("_id")


def test_path_parameters_say_they_take_uuids(served: Any) -> None:
    _, schema = served
    for path, method, operation in operations(schema):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path":
                assert parameter["name"].endswith("_id"), (method, path)
                assert parameter["schema"] == {**parameter["schema"], "format": "uuid"}
    assert "/api/v1/departments/{department_id}" in schema["paths"]


def test_problem_responses_are_documented_where_they_happen(served: Any) -> None:
    _, schema = served
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        if_match = any(p["name"] == "If-Match" for p in operation.get("parameters", []))
        assert ("412" in responses) is if_match, (method, path)
        assert ("413" in responses) is ("requestBody" in operation), (method, path)
        if method == "get":
            assert "409" not in responses, (method, path)
        for status, response in responses.items():
            if status.startswith(("4", "5")) and path != "/health":
                assert "application/problem+json" in response["content"], (method, path, status)
    with_if_match = {
        (m, p)
        for p, m, o in operations(schema)
        if any(x["name"] == "If-Match" for x in o.get("parameters", []))
    }
    assert with_if_match == {
        ("patch", "/api/v1/tickets/{ticket_id}"),
        ("post", "/api/v1/tickets/{ticket_id}/override"),
        ("post", "/api/v1/tickets/{ticket_id}/reclassify"),
    }


def test_single_ticket_responses_document_their_etag(served: Any) -> None:
    _, schema = served
    for path, method, operation in operations(schema):
        if operation["operationId"] in {
            "createTicket",
            "getTicket",
            "updateTicket",
            "overrideTicket",
            "reclassifyTicket",
        }:
            success = next(r for s, r in operation["responses"].items() if s.startswith("2"))
            assert "ETag" in success["headers"], (method, path)
