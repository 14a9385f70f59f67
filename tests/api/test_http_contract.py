"""api.md's conventions through HTTP: problem documents, ETag/If-Match, Idempotency-Key,
limits, lists — and no 500 for anything a client can send."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpdesk.domain.taxonomy import Category

from .client import Api, running_api
from .test_permissions import assert_problem


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    with running_api() as api:
        api.classifier.answer = {Category.NETWORK: 0.95}
        yield api


def test_validation_errors_name_the_field(api: Api) -> None:
    headers = api.as_(api.user)
    cases = [
        ({"title": "Printer broken", "description": "الطابعة في الطابق الثاني لا تطبع"}, "title"),
        ({"title": "طابعة", "description": "قصير"}, "description"),
        (
            {"title": "طابعة", "description": "الطابعة لا تعمل منذ الصباح", "priority": "asap"},
            "priority",
        ),
        (
            {"title": "طابعة", "description": "الطابعة لا تعمل منذ الصباح", "colour": "red"},
            "colour",
        ),
        ({"description": "الطابعة لا تعمل منذ الصباح"}, "title"),
        ({"title": 42, "description": "الطابعة لا تعمل منذ الصباح"}, "title"),
    ]
    for body, field in cases:
        problem = assert_problem(
            api.client.post("/api/v1/tickets", json=body, headers=headers), 422
        )
        assert field in [e["field"] for e in problem["errors"]], (body, problem)
        assert all(e["message"] for e in problem["errors"])


def test_malformed_json_is_400_and_big_bodies_413(api: Api) -> None:
    headers = {**api.as_(api.user), "Content-Type": "application/json"}
    assert_problem(api.client.post("/api/v1/tickets", content=b'{"title": ', headers=headers), 400)
    huge = json.dumps({"title": "طابعة", "description": "ا" * 70_000}).encode()
    assert_problem(api.client.post("/api/v1/tickets", content=huge, headers=headers), 413)


def test_etag_if_match_and_conflicts(api: Api) -> None:
    ticket = api.file()
    path = f"/api/v1/tickets/{ticket['id']}"
    got = api.client.get(path, headers=api.as_(api.admin))
    assert got.headers["etag"] == '"1"'
    stale = {**api.as_(api.admin), "If-Match": '"7"'}
    assert_problem(api.client.patch(path, json={"priority": "low"}, headers=stale), 412)
    fresh = {**api.as_(api.admin), "If-Match": '"1"'}
    changed = api.client.patch(path, json={"priority": "low"}, headers=fresh)
    assert changed.status_code == 200 and changed.headers["etag"] == '"2"'
    assert_problem(
        api.client.patch(path, json={"status": "triage"}, headers=api.as_(api.admin)), 409
    )
    nothing = api.client.patch(path, json={}, headers=api.as_(api.admin))
    assert nothing.status_code == 200 and nothing.json()["version"] == 2
    assert "etag" not in api.client.get("/api/v1/tickets", headers=api.as_(api.admin)).headers


def test_idempotency_key(api: Api) -> None:
    body = {"title": "طلب مكرر", "description": "هذا طلب قد يرسل مرتين بسبب انقطاع الشبكة"}
    headers = {**api.as_(api.user), "Idempotency-Key": f"k-{uuid.uuid4()}"}
    first = api.client.post("/api/v1/tickets", json=body, headers=headers)
    again = api.client.post("/api/v1/tickets", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    other = {**body, "description": body["description"] + " أيضًا"}
    problem = assert_problem(api.client.post("/api/v1/tickets", json=other, headers=headers), 422)
    assert problem["errors"][0]["field"] == "Idempotency-Key"


def test_unknown_and_malformed_ids_are_404(api: Api) -> None:
    for path in (
        "/api/v1/tickets/not-a-uuid",
        f"/api/v1/tickets/{uuid.uuid4()}",
        "/api/v1/tickets/1/comments",
    ):
        assert_problem(api.client.get(path, headers=api.as_(api.admin)), 404)


def test_lists_validate_limit_cursor_and_ranges(api: Api) -> None:
    headers = api.as_(api.admin)
    for query in (
        "limit=0",
        "limit=201",
        "limit=x",
        "status=nope",
        "cursor=%%%",
        "created_after=2026-02-01T00:00:00Z&created_before=2026-01-01T00:00:00Z",
        "assigned_agent_id=bob",
        "queue=everything",
    ):
        assert_problem(api.client.get(f"/api/v1/tickets?{query}", headers=headers), 422)
    for _ in range(3):
        api.file()
    page = api.client.get("/api/v1/tickets?limit=1", headers=headers).json()
    assert page["next_cursor"]
    reused = api.client.get(
        f"/api/v1/tickets?limit=1&priority=high&cursor={page['next_cursor']}", headers=headers
    )
    assert assert_problem(reused, 422)["errors"][0]["field"] == "cursor"


def test_classify_is_a_preview(api: Api) -> None:
    before = len(
        api.client.get("/api/v1/tickets?limit=200", headers=api.as_(api.admin)).json()["items"]
    )
    body = api.client.post(
        "/api/v1/classify", json={"text": "الشبكة لا تعمل"}, headers=api.as_(api.user)
    ).json()
    assert body["classification"]["category"] == "network"
    assert body["routing"]["mode"] == "auto" and body["routing"]["department_id"]
    after = len(
        api.client.get("/api/v1/tickets?limit=200", headers=api.as_(api.admin)).json()["items"]
    )
    assert before == after
    assert_problem(
        api.client.post("/api/v1/classify", json={"text": "abc"}, headers=api.as_(api.user)), 422
    )


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = [
    "title",
    "description",
    "priority",
    "status",
    "assigned_agent_id",
    "department_id",
    "reason",
    "body",
    "internal",
    "text",
]
BODIES = st.one_of(
    JSON_VALUES.map(lambda v: json.dumps(v, allow_nan=True).encode()),
    st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES, max_size=5).map(
        lambda v: json.dumps(v).encode()
    ),
    st.binary(max_size=200),
)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    route=st.sampled_from(["tickets", "patch", "override", "comments", "classify"]),
    body=BODIES,
    who=st.sampled_from(["user", "agent", "admin"]),
)
def test_no_body_makes_a_500(api: Api, route: str, body: bytes, who: str) -> None:
    ticket_id = api.file()["id"] if route in {"patch", "override", "comments"} else None
    method, path = {
        "tickets": ("POST", "/api/v1/tickets"),
        "patch": ("PATCH", f"/api/v1/tickets/{ticket_id}"),
        "override": ("POST", f"/api/v1/tickets/{ticket_id}/override"),
        "comments": ("POST", f"/api/v1/tickets/{ticket_id}/comments"),
        "classify": ("POST", "/api/v1/classify"),
    }[route]
    headers = {**api.as_(getattr(api, who)), "Content-Type": "application/json"}
    response = api.client.request(method, path, content=body, headers=headers)
    assert response.status_code < 500, (response.status_code, response.text)
    if response.status_code >= 400:
        assert response.headers["content-type"].startswith("application/problem+json")


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "status",
                "priority",
                "department_id",
                "assigned_agent_id",
                "routing_mode",
                "overridden",
                "category",
                "q",
                "created_after",
                "created_before",
                "queue",
                "limit",
                "cursor",
            ]
        ),
        st.text(max_size=20),
        max_size=4,
    )
)
def test_no_query_makes_a_500(api: Api, query: dict[str, Any]) -> None:
    response = api.client.get("/api/v1/tickets", params=query, headers=api.as_(api.agent))
    assert response.status_code in (200, 422), (query, response.text)
