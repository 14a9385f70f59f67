"""The API's conventions through HTTP: problem documents on every error status, 422 naming the
field, 400/413 for bodies, ETag and If-Match, 409 conflicts, Idempotency-Key, ids, lists, the
OpenAPI document, and rate limits (429)."""

from __future__ import annotations

import json
import os
import uuid
from typing import Any

import pytest

from .conftest import (
    NETWORK,
    PRINTER,
    SALARY,
    VAGUE,
    ScriptedClassifier,
    World,
    assert_problem,
    bearer,
    error_fields,
    make_world,
)

JSON = {"Content-Type": "application/json"}


def body_routes(world: World, ticket_id: str) -> list[tuple[str, str, Any]]:
    """Every route that takes a JSON body, with a valid body, as the admin may call them."""
    finance = str(world.departments["finance"].id)
    return [
        ("POST", "/api/v1/tickets", NETWORK),
        ("PATCH", f"/api/v1/tickets/{ticket_id}", {"priority": "low"}),
        (
            "POST",
            f"/api/v1/tickets/{ticket_id}/override",
            {"department_id": finance, "reason": "س"},
        ),
        ("POST", f"/api/v1/tickets/{ticket_id}/comments", {"body": "تعليق"}),
        ("POST", "/api/v1/classify", {"text": "الطابعة لا تعمل"}),
    ]


# -- 422: the errors name the field ------------------------------------------------------------

CREATE_CASES = [
    ({"title": "Printer broken", "description": PRINTER["description"]}, "title"),
    ({"title": "الطابعة broken", "description": PRINTER["description"]}, "title"),
    ({"title": "ط", "description": PRINTER["description"]}, "title"),
    ({"title": "   ", "description": PRINTER["description"]}, "title"),
    ({"title": "ا" * 201, "description": PRINTER["description"]}, "title"),
    ({"title": PRINTER["title"], "description": "قصير"}, "description"),
    ({"title": PRINTER["title"], "description": "The printer is broken again"}, "description"),
    ({"title": PRINTER["title"], "description": "ا" * 5001}, "description"),
    ({"title": PRINTER["title"], "description": "الطابعة لا تعمل 🙂 منذ أمس"}, "description"),
    ({**PRINTER, "priority": "asap"}, "priority"),
    ({**PRINTER, "priority": "URGENT"}, "priority"),
    ({**PRINTER, "priority": None}, "priority"),
    ({**PRINTER, "colour": "red"}, "colour"),
    ({**PRINTER, "status": "open"}, "status"),
    ({"description": PRINTER["description"]}, "title"),
    ({"title": PRINTER["title"]}, "description"),
    ({"title": 42, "description": PRINTER["description"]}, "title"),
    ({"title": ["ا"], "description": PRINTER["description"]}, "title"),
    ({"title": PRINTER["title"], "description": {"text": "لا"}}, "description"),
]


@pytest.mark.parametrize(("body", "field"), CREATE_CASES)
def test_create_validation_names_the_field(world: World, body: Any, field: str) -> None:
    response = world.request("POST", "/api/v1/tickets", world.user, json=body)
    assert field in error_fields(response), response.json()


def test_arabic_rule_messages_are_arabic(world: World) -> None:
    body = {"title": "Printer broken", "description": PRINTER["description"]}
    problem = assert_problem(world.request("POST", "/api/v1/tickets", world.user, json=body), 422)
    message = next(e["message"] for e in problem["errors"] if e["field"] == "title")
    assert any("\u0600" <= ch <= "\u06ff" for ch in message), message


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "done"}, "status"),
        ({"priority": "asap"}, "priority"),
        ({"assigned_agent_id": "bob"}, "assigned_agent_id"),
        ({"assigned_agent_id": str(uuid.uuid4())}, "assigned_agent_id"),
        ({"department_id": "finance"}, "department_id"),
        ({"department_id": str(uuid.uuid4())}, "department_id"),
        ({"title": "عنوان جديد"}, "title"),
        ({"version": 3}, "version"),
    ],
)
def test_patch_validation_names_the_field(world: World, body: Any, field: str) -> None:
    ticket = world.file()
    response = world.request("PATCH", f"/api/v1/tickets/{ticket['id']}", world.admin, json=body)
    assert field in error_fields(response), response.json()
    assert world.request("GET", f"/api/v1/tickets/{ticket['id']}", world.admin).json() == ticket


def test_assigning_an_agent_of_another_department_is_422(world: World) -> None:
    ticket = world.file()
    response = world.request(
        "PATCH",
        f"/api/v1/tickets/{ticket['id']}",
        world.admin,
        json={"assigned_agent_id": str(world.finance_agent.id)},
    )
    assert error_fields(response) == ["assigned_agent_id"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"department_id": "FINANCE", "reason": "سبب"}, "department_id"),
        ({"reason": "سبب"}, "department_id"),
        ({"department_id": "<finance>"}, "reason"),
        ({"department_id": "<finance>", "reason": ""}, "reason"),
        ({"department_id": "<finance>", "reason": "   "}, "reason"),
        ({"department_id": "<finance>", "reason": "س" * 1001}, "reason"),
        ({"department_id": str(uuid.UUID(int=1)), "reason": "سبب"}, "department_id"),
        ({"department_id": "<finance>", "reason": "سبب", "assigned_agent_id": "<it>"}, None),
        ({"department_id": "<finance>", "reason": "سبب", "why": "x"}, "why"),
    ],
)
def test_override_validation_names_the_field(world: World, body: Any, field: str | None) -> None:
    ticket = world.file()
    text = json.dumps(body)
    text = text.replace("<finance>", str(world.departments["finance"].id))
    text = text.replace("<it>", str(world.it_agents[0].id))
    response = world.request(
        "POST",
        f"/api/v1/tickets/{ticket['id']}/override",
        world.admin,
        content=text.encode(),
        headers=JSON,
    )
    assert (field or "assigned_agent_id") in error_fields(response), response.json()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"body": ""}, "body"),
        ({"body": "   \n "}, "body"),
        ({"body": "ا" * 5001}, "body"),
        ({"body": 5}, "body"),
        ({"body": "تعليق", "internal": "yes"}, "internal"),
        ({"body": "تعليق", "author_id": str(uuid.uuid4())}, "author_id"),
        ({}, "body"),
    ],
)
def test_comment_validation_names_the_field(world: World, body: Any, field: str) -> None:
    ticket = world.file()
    path = f"/api/v1/tickets/{ticket['id']}/comments"
    assert field in error_fields(world.request("POST", path, world.user, json=body))


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": "The printer is broken"}, "text"),
        ({"text": "ط"}, "text"),
        ({"text": ""}, "text"),
        ({"text": 3}, "text"),
        ({}, "text"),
        ({"text": "الطابعة لا تعمل", "model": "x"}, "model"),
    ],
)
def test_classify_validation_names_the_field(world: World, body: Any, field: str) -> None:
    assert field in error_fields(world.request("POST", "/api/v1/classify", world.user, json=body))


def test_a_body_that_is_not_an_object_is_422(world: World) -> None:
    ticket = world.file()["id"]
    for method, path, _ in body_routes(world, ticket):
        for body in ([], [PRINTER], "نص", 7, None, True):
            response = world.request(method, path, world.admin, json=body)
            assert_problem(response, 422 if body is not None else None)
            assert response.status_code in (400, 422), (path, body, response.status_code)


# -- 400 and 413 --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        b'{"title": ',
        b"{'title': 'single quotes'}",
        b'{"title": "a",}',
        b"\xff\xfe\x00",
        b'{"title": NaN, "description": Infinity}',
        b"undefined",
        b'{"title": "\xd8"}',  # invalid UTF-8 inside a string
        b'"unterminated',
        b'{"a": 1} trailing',
        b"[" * 5000 + b"]" * 5000,  # nesting past the decoder's depth limit
        b'{"title": ' + b'{"a": ' * 3000 + b"1" + b"}" * 3001,
    ],
    ids=lambda raw: repr(raw[:24]),
)
def test_malformed_json_is_400_on_every_body_route(world: World, raw: bytes) -> None:
    ticket = world.file()["id"]
    for method, path, _ in body_routes(world, ticket):
        response = world.request(method, path, world.admin, content=raw, headers=JSON)
        assert_problem(response, 400)
    assert world.request("GET", f"/api/v1/tickets/{ticket}", world.admin).json()["version"] == 1


def test_a_body_over_64_kib_is_413_on_every_body_route(world: World) -> None:
    ticket = world.file()["id"]
    huge = json.dumps({"title": "طابعة", "description": "ا" * 40_000}, ensure_ascii=False).encode()
    assert len(huge) > 64 * 1024
    for method, path, _ in body_routes(world, ticket):
        assert_problem(world.request(method, path, world.admin, content=huge, headers=JSON), 413)
        # Without a Content-Length too (a chunked upload).
        chunks = iter([huge[:30_000], huge[30_000:]])
        streamed = world.request(method, path, world.admin, content=chunks, headers=JSON)
        assert_problem(streamed, 413)
    # Just under the limit is read (and judged on its values).
    under = json.dumps({"title": "طابعة", "description": "ا" * 30_000}, ensure_ascii=False).encode()
    assert len(under) < 64 * 1024
    response = world.request("POST", "/api/v1/tickets", world.user, content=under, headers=JSON)
    assert error_fields(response) == ["description"]


# -- problem documents on every error status ----------------------------------------------------


def test_every_error_status_is_a_problem_document(
    world: World, classifier: ScriptedClassifier
) -> None:
    ticket = world.file()
    path = f"/api/v1/tickets/{ticket['id']}"
    agent = ticket["assigned_agent_id"]
    cases = {
        400: world.request("POST", "/api/v1/tickets", world.user, content=b"{", headers=JSON),
        401: world.client.get("/api/v1/tickets"),
        403: world.request("PATCH", path, world.user, json={"priority": "low"}),
        404: world.request("GET", f"/api/v1/tickets/{uuid.uuid4()}", world.admin),
        405: world.request("DELETE", path, world.admin),
        409: world.request("PATCH", path, agent, json={"status": "triage"}),
        412: world.request(
            "PATCH", path, agent, json={"priority": "low"}, headers={"If-Match": '"9"'}
        ),
        413: world.request(
            "POST",
            "/api/v1/classify",
            world.user,
            content=b"[" + b"1," * 40_000 + b"1]",
            headers=JSON,
        ),
        422: world.request("GET", "/api/v1/tickets?limit=0", world.user),
    }
    with classifier.answering(None):
        cases[503] = world.request("POST", f"{path}/reclassify", agent)
    for status, response in cases.items():
        assert_problem(response, status)
    assert "Retry-After" in cases[503].headers
    assert "allow" in {k.lower() for k in cases[405].headers}
    missing = world.request("GET", "/api/v1/nothing-here", world.admin)
    assert_problem(missing, 404)
    assert_problem(world.client.get("/nothing-here"), 404)


def test_unsupported_content_types_do_not_crash(world: World) -> None:
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data"):
        response = world.request(
            "POST",
            "/api/v1/tickets",
            world.user,
            content=json.dumps(PRINTER).encode(),
            headers={"Content-Type": content_type},
        )
        assert response.status_code < 500
        if response.status_code >= 400:
            assert_problem(response)


# -- ETag / If-Match -----------------------------------------------------------------------------


def test_single_ticket_responses_carry_the_version_as_etag(world: World) -> None:
    created = world.request("POST", "/api/v1/tickets", world.user, json=PRINTER)
    assert created.headers["etag"] == '"1"'
    ticket = created.json()
    path = f"/api/v1/tickets/{ticket['id']}"
    agent = ticket["assigned_agent_id"]
    assert world.request("GET", path, world.user).headers["etag"] == '"1"'
    patched = world.request("PATCH", path, agent, json={"priority": "high"})
    assert patched.headers["etag"] == '"2"' and patched.json()["version"] == 2
    reclassified = world.request("POST", f"{path}/reclassify", agent)
    assert reclassified.headers["etag"] == f'"{reclassified.json()["version"]}"'
    listed = world.request("GET", "/api/v1/tickets", world.user)
    assert "etag" not in listed.headers
    comments = world.request("GET", f"{path}/comments", world.user)
    assert "etag" not in comments.headers


@pytest.mark.parametrize("route", ["patch", "override", "reclassify"])
def test_a_stale_if_match_is_412_and_changes_nothing(world: World, route: str) -> None:
    ticket = world.file()
    path = f"/api/v1/tickets/{ticket['id']}"
    agent = ticket["assigned_agent_id"]
    world.request("PATCH", path, agent, json={"priority": "high"})  # now version 2
    finance = str(world.departments["finance"].id)
    method, target, body = {
        "patch": ("PATCH", path, {"priority": "low"}),
        "override": ("POST", f"{path}/override", {"department_id": finance, "reason": "سبب"}),
        "reclassify": ("POST", f"{path}/reclassify", None),
    }[route]
    before = world.request("GET", path, agent).json()
    for stale in ('"1"', "1", 'W/"1"', '"3"', '"two"', "", '"-1"', '"2", "3"'):
        response = world.request(method, target, agent, json=body, headers={"If-Match": stale})
        assert_problem(response, 412)
    assert world.request("GET", path, agent).json() == before
    ok = world.request(method, target, agent, json=body, headers={"If-Match": '"2"'})
    assert ok.status_code == 200, ok.text


@pytest.mark.parametrize("tag", ['"1"', "1", 'W/"1"', "*", " * "])
def test_a_matching_if_match_is_accepted(world: World, tag: str) -> None:
    ticket = world.file()
    path = f"/api/v1/tickets/{ticket['id']}"
    response = world.request(
        "PATCH",
        path,
        ticket["assigned_agent_id"],
        json={"priority": "low"},
        headers={"If-Match": tag},
    )
    assert response.status_code == 200, response.text
    assert response.headers["etag"] == '"2"'


def test_an_empty_patch_changes_nothing(world: World) -> None:
    ticket = world.file()
    path = f"/api/v1/tickets/{ticket['id']}"
    for headers in ({}, {"If-Match": '"1"'}):
        response = world.request("PATCH", path, world.admin, json={}, headers=headers)
        assert response.status_code == 200, response.text
        assert response.json() == ticket
        assert response.headers["etag"] == '"1"'
    audit = world.request("GET", f"{path}/audit", world.admin).json()["items"]
    assert "ticket.updated" not in [e["action"] for e in audit]


def test_the_order_422_then_412_then_409(world: World) -> None:
    ticket = world.file()
    path = f"/api/v1/tickets/{ticket['id']}"
    agent = ticket["assigned_agent_id"]
    stale = {"If-Match": '"5"'}
    # A bad value beats a stale version; a stale version beats a state conflict.
    assert error_fields(
        world.request("PATCH", path, agent, json={"priority": "x"}, headers=stale)
    ) == ["priority"]
    assert_problem(
        world.request("PATCH", path, agent, json={"status": "triage"}, headers=stale), 412
    )
    assert_problem(world.request("PATCH", path, agent, json={"status": "triage"}), 409)


# -- 409 -----------------------------------------------------------------------------------------


def test_illegal_transitions_are_409(world: World) -> None:
    admin = world.admin
    triage = world.file(text=VAGUE)  # other → no department
    assert triage["status"] == "triage" and triage["department_id"] is None
    t = f"/api/v1/tickets/{triage['id']}"
    for status in ("in_progress", "waiting", "resolved"):
        assert_problem(world.request("PATCH", t, admin, json={"status": status}), 409)
    assert_problem(world.request("PATCH", t, admin, json={"status": "open"}), 409)  # no department

    ticket = world.file()
    p = f"/api/v1/tickets/{ticket['id']}"
    agent = ticket["assigned_agent_id"]
    assert world.request("PATCH", p, agent, json={"status": "resolved"}).status_code == 200
    for status in ("in_progress", "waiting", "triage"):
        assert_problem(world.request("PATCH", p, agent, json={"status": status}), 409)
    it = str(world.departments["it-support"].id)
    finance = str(world.departments["finance"].id)
    override = {"department_id": finance, "reason": "سبب"}
    assert_problem(world.request("POST", f"{p}/override", agent, json=override), 409)
    assert world.request("PATCH", p, agent, json={"status": "closed"}).status_code == 200
    assert_problem(world.request("POST", f"{p}/comments", world.user, json={"body": "مرحبا"}), 409)
    # An override to the department the ticket is already in is an update, not an override.
    fresh = world.file()
    same = {"department_id": it, "reason": "سبب"}
    assert_problem(
        world.request("POST", f"/api/v1/tickets/{fresh['id']}/override", admin, json=same), 409
    )
    # in_progress needs an assignee.
    unassigned = world.request(
        "PATCH",
        f"/api/v1/tickets/{fresh['id']}",
        admin,
        json={"assigned_agent_id": None, "status": "in_progress"},
    )
    assert_problem(unassigned, 409)


# -- Idempotency-Key -----------------------------------------------------------------------------


def test_an_idempotency_key_replays_the_first_ticket(world: World) -> None:
    key = {"Idempotency-Key": f"create-{uuid.uuid4()}"}
    first = world.request("POST", "/api/v1/tickets", world.user, json=SALARY, headers=key)
    again = world.request("POST", "/api/v1/tickets", world.user, json=SALARY, headers=key)
    third = world.request("POST", "/api/v1/tickets", world.user, json=SALARY, headers=key)
    assert (first.status_code, again.status_code, third.status_code) == (201, 200, 200)
    assert first.json() == again.json() == third.json()
    assert again.headers["etag"] == first.headers["etag"]
    # Compared on the cleaned request: surrounding blanks and the default priority are the same.
    padded = {k: f"  {v} " for k, v in SALARY.items()} | {"priority": "medium"}
    assert (
        world.request("POST", "/api/v1/tickets", world.user, json=padded, headers=key).status_code
        == 200
    )
    # The same key with another body is 422 on the header.
    for other in ({**SALARY, "priority": "urgent"}, {**SALARY, "title": "خطأ آخر في الراتب"}):
        problem = assert_problem(
            world.request("POST", "/api/v1/tickets", world.user, json=other, headers=key), 422
        )
        assert [e["field"] for e in problem["errors"]] == ["Idempotency-Key"]
    # Keys are per submitter: another user's same key files their own ticket.
    theirs = world.request("POST", "/api/v1/tickets", world.other_user, json=SALARY, headers=key)
    assert theirs.status_code == 201 and theirs.json()["id"] != first.json()["id"]
    # Without a key, every request files a ticket.
    a = world.request("POST", "/api/v1/tickets", world.user, json=SALARY)
    b = world.request("POST", "/api/v1/tickets", world.user, json=SALARY)
    assert (a.status_code, b.status_code) == (201, 201) and a.json()["id"] != b.json()["id"]


@pytest.mark.parametrize("key", ["", "k" * 256, "tab\there", "bell\x07", "del\x7f"])
def test_a_malformed_idempotency_key_is_422(world: World, key: str) -> None:
    headers = {"Idempotency-Key": key.encode("utf-8")}  # type: ignore[dict-item]
    response = world.client.post(
        "/api/v1/tickets", json=PRINTER, headers={**bearer(world.user), **headers}
    )
    assert error_fields(response) == ["Idempotency-Key"]


# -- ids -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw_id",
    ["not-a-uuid", "1", "0", "-1", "null", "%20", "00000000-0000-0000-0000-00000000000g", "ق" * 36],
)
def test_a_path_id_that_is_not_a_uuid_is_404(world: World, raw_id: str) -> None:
    for route in ("", "/comments", "/audit"):
        assert_problem(world.request("GET", f"/api/v1/tickets/{raw_id}{route}", world.admin), 404)
    for route, body in (
        ("/override", {"department_id": str(uuid.uuid4()), "reason": "س"}),
        ("/reclassify", None),
        ("/comments", {"body": "تعليق"}),
    ):
        assert_problem(
            world.request("POST", f"/api/v1/tickets/{raw_id}{route}", world.admin, json=body), 404
        )
    assert_problem(
        world.request("PATCH", f"/api/v1/tickets/{raw_id}", world.admin, json={"priority": "low"}),
        404,
    )


# -- lists ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("limit=-5", "limit"),
        ("limit=abc", "limit"),
        ("limit=1.5", "limit"),
        ("limit=99999999999999999999999", "limit"),
        ("status=nope", "status"),
        ("status=open&status=nope", "status"),
        ("priority=asap", "priority"),
        ("department_id=it", "department_id"),
        ("assigned_agent_id=bob", "assigned_agent_id"),
        ("routing_mode=robot", "routing_mode"),
        ("overridden=maybe", "overridden"),
        ("category=weather", "category"),
        ("queue=everything", "queue"),
        ("created_after=yesterday", "created_after"),
        ("created_before=2026-13-45", "created_before"),
        ("cursor=%%%", "cursor"),
        ("cursor=bm90LWEtY3Vyc29y", "cursor"),
        ("created_after=2026-02-01T00:00:00Z&created_before=2026-01-01T00:00:00Z", None),
        ("created_after=2026-01-01T00:00:00Z&created_before=2026-01-01T00:00:00Z", None),
    ],
)
def test_list_query_validation_names_the_parameter(
    world: World, query: str, field: str | None
) -> None:
    fields = error_fields(world.request("GET", f"/api/v1/tickets?{query}", world.admin))
    if field is None:
        assert {"created_after", "created_before"} & set(fields), fields
    else:
        assert field in fields


@pytest.mark.parametrize("limit", [1, 50, 200])
def test_limits_in_range_are_accepted(world: World, limit: int) -> None:
    response = world.request("GET", f"/api/v1/tickets?limit={limit}", world.admin)
    assert response.status_code == 200
    page = response.json()
    assert set(page) == {"items", "next_cursor"} and len(page["items"]) <= limit


def test_the_default_limit_is_50(world: World) -> None:
    user = uuid.uuid4()
    for _ in range(51):
        world.file(user, NETWORK)
    page = world.request("GET", "/api/v1/tickets", user).json()
    assert len(page["items"]) == 50 and page["next_cursor"]
    rest = world.request("GET", f"/api/v1/tickets?cursor={page['next_cursor']}", user).json()
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None


def test_a_cursor_reused_with_other_filters_is_422(world: World) -> None:
    user = uuid.uuid4()
    for _ in range(3):
        world.file(user, NETWORK, priority="high")
    first = world.request("GET", "/api/v1/tickets?limit=1&priority=high", user).json()
    cursor = first["next_cursor"]
    assert cursor
    same = world.request("GET", f"/api/v1/tickets?limit=1&priority=high&cursor={cursor}", user)
    assert same.status_code == 200
    # The limit is not a filter; every other parameter is.
    assert (
        world.request(
            "GET", f"/api/v1/tickets?limit=2&priority=high&cursor={cursor}", user
        ).status_code
        == 200
    )
    for other in (
        "",
        "&priority=low",
        "&priority=high&status=open",
        "&priority=high&q=شبكة",
        "&priority=high&queue=mine",
    ):
        response = world.request("GET", f"/api/v1/tickets?limit=1&cursor={cursor}{other}", user)
        assert error_fields(response) == ["cursor"], other
    # Someone else's cursor under the same filters is not theirs to page with... but it is
    # opaque and harmless: it names filters, not rows they may see.
    tampered = cursor[:-2] + ("A" if cursor[-2] != "A" else "B") + cursor[-1]
    response = world.request(
        "GET", f"/api/v1/tickets?limit=1&priority=high&cursor={tampered}", user
    )
    assert response.status_code in (200, 422)
    if response.status_code == 422:
        assert error_fields(response) == ["cursor"]


# -- the OpenAPI document --------------------------------------------------------------------------


def test_the_openapi_schema(world: World) -> None:
    response = world.client.get("/schema/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    expected = {
        "/api/v1/tickets": {"get", "post"},
        "/api/v1/tickets/{ticket_id}": {"get", "patch"},
        "/api/v1/tickets/{ticket_id}/override": {"post"},
        "/api/v1/tickets/{ticket_id}/reclassify": {"post"},
        "/api/v1/tickets/{ticket_id}/comments": {"get", "post"},
        "/api/v1/tickets/{ticket_id}/audit": {"get"},
        "/api/v1/classify": {"post"},
        "/api/v1/users/me": {"get"},
        "/health": {"get"},
        "/health/ready": {"get"},
    }
    for path, methods in expected.items():
        assert path in paths, sorted(paths)
        assert methods <= set(paths[path]), (path, set(paths[path]))
    scheme = next(iter(schema["components"]["securitySchemes"].values()))
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    name = next(iter(schema["components"]["securitySchemes"]))
    assert schema["security"] == [{name: []}]
    assert paths["/health"]["get"]["security"] == [{}]
    assert paths["/health/ready"]["get"]["security"] == [{}]
    # Error responses are documented as problem documents.
    create = paths["/api/v1/tickets"]["post"]
    assert "201" in create["responses"]
    for status in ("401", "403", "422"):
        assert "application/problem+json" in create["responses"][status]["content"], status
    assert any(p["name"] == "Idempotency-Key" for p in create.get("parameters", []))
    # Every API operation documents its problem responses.
    for path, operations in paths.items():
        if path.startswith("/api/v1/"):
            for method, operation in operations.items():
                assert {"401", "403", "404", "422"} <= set(operation["responses"]), (method, path)
    assert world.client.get("/schema").status_code == 200  # the interactive UI


# -- 429 -----------------------------------------------------------------------------------------


def test_the_rate_limit_is_per_user() -> None:
    with make_world(rate_limit=5) as world:
        for _ in range(5):
            assert world.request("GET", "/api/v1/users/me", world.user).status_code == 200
        limited = world.request("GET", "/api/v1/users/me", world.user)
        assert_problem(limited, 429)
        assert limited.headers["ratelimit-limit"] == "5"
        assert limited.headers["ratelimit-remaining"] == "0"
        assert int(limited.headers["retry-after"]) > 0
        # Another user has their own allowance; the health check has none.
        assert world.request("GET", "/api/v1/users/me", uuid.uuid4()).status_code == 200
        assert all(world.client.get("/health").status_code == 200 for _ in range(10))
        assert all(world.client.get("/health/ready").status_code == 200 for _ in range(10))


def test_the_rate_limit_is_shared_through_redis() -> None:
    redis_url = "redis://127.0.0.1:6379/15"
    try:
        import redis

        redis.Redis.from_url(redis_url).ping()
    except Exception:
        if os.environ.get("CI") == "true":
            pytest.fail("Redis is not reachable, and under CI this test must run")
        pytest.skip("Redis is not reachable")
    user = uuid.uuid4()
    try:
        with (
            make_world(rate_limit=4, redis_url=redis_url) as first,
            make_world(rate_limit=4, redis_url=redis_url) as second,
        ):
            statuses = [
                (first if i % 2 else second).request("GET", "/api/v1/users/me", user).status_code
                for i in range(6)
            ]
        assert statuses == [200, 200, 200, 200, 429, 429]
    finally:
        client = redis.Redis.from_url(redis_url)
        for key in client.scan_iter("helpdesk*"):
            client.delete(key)
