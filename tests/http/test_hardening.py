"""Inputs that once answered 500, races of a new user's first requests, look-alike e-mails, and
the login's back-off — each on the storage where it broke."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from litestar.testing import AsyncTestClient

from helpdesk.entrypoints.http import create_app

from ..wiring import cheap_hasher
from .conftest import (
    PRINTER,
    World,
    assert_problem,
    bearer,
    container_for,
    error_fields,
    make_world,
)


def test_an_empty_body_names_the_body_in_words(world: World) -> None:
    response = world.request(
        "POST", "/api/v1/tickets", world.user, headers={"Content-Type": "application/json"}
    )
    problem = assert_problem(response, 422)
    assert problem["errors"] == [{"field": "body", "message": "a JSON body is required"}]


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/tickets?created_after=0001-01-01T00:00:00%2B01:00", "created_after"),
        ("/api/v1/tickets?created_before=9999-12-31T23:59:59-01:00", "created_before"),
        ("/api/v1/stats/routing-modes?from=0001-01-01T00:00:00%2B14:00", "from"),
        ("/api/v1/stats/taxonomy?to=9999-12-31T23:59:59-12:00", "to"),
        ("/api/v1/audit?from=0001-01-01T00:30:00%2B01:00", "from"),
    ],
)
def test_times_at_the_calendars_edges_are_bad_values(world: World, path: str, field: str) -> None:
    assert error_fields(world.request("GET", path, world.admin)) == [field]


@pytest.mark.parametrize("tag", ['"²"', '"١"', '"' + "9" * 4300 + '"', 'W/"1\u0660"'])
def test_an_if_match_that_is_not_a_version_matches_none(world: World, tag: str) -> None:
    ticket = world.file()
    for method, suffix, body in (
        ("PATCH", "", {"priority": "low"}),
        ("POST", "/reclassify", None),
        (
            "POST",
            "/override",
            {"department_id": str(world.departments["finance"].id), "reason": "س"},
        ),
    ):
        response = world.request(
            method,
            f"/api/v1/tickets/{ticket['id']}{suffix}",
            world.admin,
            headers={"If-Match": tag.encode()},  # type: ignore[dict-item]
            json=body,
        )
        assert_problem(response, 412)


@asynccontextmanager
async def concurrent_client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """Requests that really run side by side (Litestar's AsyncTestClient runs them one at a
    time), with the app's lifespan around them."""
    async with app.lifespan():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://helpdesk") as client:
            yield client


def app_on(url: str, **settings: Any) -> Any:
    return create_app(container=container_for(database_url=url, **settings))


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_sixteen_first_requests_of_a_new_user_all_succeed(
    kind: str, request: pytest.FixtureRequest
) -> None:
    url = request.getfixturevalue("sqlite_url" if kind == "sqlite" else "postgres_url")
    newcomer = uuid.uuid4()
    headers = bearer(newcomer, email=f"new-{newcomer.hex[:8]}@example.com")

    async def first_requests() -> None:
        async with concurrent_client(app_on(url)) as client:
            answers = await asyncio.gather(
                *(client.post("/api/v1/tickets", json=PRINTER, headers=headers) for _ in range(16))
            )
            assert [a.status_code for a in answers] == [201] * 16, [a.text for a in answers]
            me = await client.get("/api/v1/users/me", headers=headers)
            assert me.json()["id"] == str(newcomer)

    asyncio.run(first_requests())


def test_a_new_identity_with_an_address_another_profile_holds_is_a_conflict(world: World) -> None:
    taken = world.new_user().email
    stranger = uuid.uuid4()
    response = world.request(
        "POST",
        "/api/v1/tickets",
        stranger,
        json=PRINTER,
        headers=bearer(stranger, email=taken.upper()),
    )
    assert_problem(response, 409)
    # …and nothing was created for them.
    assert world.call(world._profile, stranger) is None


@pytest.mark.parametrize(
    "address",
    [
        "ro\u200bot@example.com",
        "\u202eroot@example.com",
        "r\u043eot@example.com",  # Cyrillic о
        "ro\u0000ot@example.com",
    ],
)
def test_look_alike_addresses_are_refused(world: World, address: str) -> None:
    body = {"email": address, "full_name": "اسم", "role": "end_user"}
    assert error_fields(world.request("POST", "/api/v1/users", world.admin, json=body)) == ["email"]


def test_an_address_in_another_form_is_the_same_account(sqlite_url: str) -> None:
    with make_world(database_url=sqlite_url) as world:
        first = {"email": "Émile.Zola@Example.com", "full_name": "إميل", "role": "end_user"}
        created = world.request("POST", "/api/v1/users", world.admin, json=first)
        assert created.status_code == 201, created.text
        assert created.json()["email"] == "émile.zola@example.com"
        for other in ("ÉMILE.ZOLA@example.com", "ｅ\u0301mile.zola@example.com"):
            again = {**first, "email": other}
            assert_problem(world.request("POST", "/api/v1/users", world.admin, json=again), 409)


class MovableClock:
    def __init__(self) -> None:
        self.at = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at


async def test_wrong_passwords_lock_the_account_for_a_while() -> None:
    clock = MovableClock()
    container = container_for(overrides={"clock": clock, "password_hasher": cheap_hasher()})
    async with AsyncTestClient(create_app(container=container)) as client:
        accounts = await container.seed_demo().execute()
        right = {"email": "Admin@Helpdesk.local", "password": "helpdesk-demo"}
        wrong = {**right, "password": "not-it"}
        for _ in range(5):
            assert (await client.post("/api/v1/auth/token", json=wrong)).status_code == 401
        locked = await client.post("/api/v1/auth/token", json=right)
        assert_problem(locked, 429)
        assert 1 <= int(locked.headers["retry-after"]) <= 30
        clock.at += timedelta(seconds=31)
        assert (await client.post("/api/v1/auth/token", json=right)).status_code == 200
        # The success reset the count: five more mistakes before the next lock.
        for _ in range(4):
            assert (await client.post("/api/v1/auth/token", json=wrong)).status_code == 401
        assert (await client.post("/api/v1/auth/token", json=right)).status_code == 200
        audit = await client.get("/api/v1/audit?entity_type=user", headers=bearer(accounts.admin))
        assert audit.status_code == 200, audit.text
        assert [e["action"] for e in audit.json()["items"]].count("user.login_locked") == 1


async def test_password_checks_do_not_stall_other_requests() -> None:
    """Argon2 runs off the event loop: a request that needs no hash finishes while a burst of
    wrong-password logins is still being checked."""
    app = app_on("memory://")
    container = app.state.container
    async with concurrent_client(app) as client:
        await container.seed_demo().execute()
        finished: list[str] = []

        async def login() -> None:
            body = {"email": "admin@helpdesk.local", "password": f"wrong-{uuid.uuid4()}"}
            await client.post("/api/v1/auth/token", json=body)
            finished.append("login")

        async def health() -> None:
            await asyncio.sleep(0.01)  # after the logins started
            response = await client.get("/health/ready")  # a database round trip
            assert response.status_code == 200
            finished.append("health")

        await asyncio.gather(*(login() for _ in range(8)), health())
        assert finished.index("health") < len(finished) - 1, finished


UNKNOWN_ID = str(uuid.uuid4())


def _served(world: World) -> list[tuple[str, str]]:
    """Every (method, path) the app serves, path parameters filled with an unknown id."""
    found = []
    for route in world.client.app.routes:
        for method in getattr(route, "route_handler_map", {}):
            path = re.sub(r"\{\w+:\w+\}", UNKNOWN_ID, route.path)
            found.append((method, path))
    return sorted(found)


def test_options_on_every_route_answers_the_allowed_methods(world: World) -> None:
    """The automatic OPTIONS handler skips authentication (like a CORS preflight); a route's
    role guard used to run on it anyway and answered 500, with or without a token. Its `Allow`
    lists every method of the path (Litestar's own answer listed only the methods of the first
    handler registered there: DELETE without PATCH on a quick action)."""
    served: dict[str, set[str]] = {}
    for method, path in _served(world):
        served.setdefault(path, set()).add(method)
    assert any(path.startswith("/api/v1/stats/") for path in served)
    for path, methods in served.items():
        for who in (None, world.admin, world.user):
            response = world.request("OPTIONS", path, who)
            assert response.status_code == 204, (path, who, response.text)
            allowed = set(response.headers["allow"].split(", "))
            assert allowed == methods | {"OPTIONS"}, (path, allowed)


def _json_routes(world: World) -> list[tuple[str, str]]:
    """Every route that reads a JSON body."""
    found = []
    for route in world.client.app.routes:
        for method, (handler, _) in getattr(route, "route_handler_map", {}).items():
            if "data" in handler.parsed_fn_signature.parameters:
                found.append((method, re.sub(r"\{\w+:\w+\}", UNKNOWN_ID, route.path)))
    return sorted(found)


@pytest.mark.parametrize("depth", [900, 1000, 10_000, 30_000, 100_000])
def test_deeply_nested_json_is_refused_on_every_json_route(world: World, depth: int) -> None:
    """Nesting past the decoder's limit is malformed JSON (400); past 64 KiB the body is too
    large (413); under the limit, it is a value of the wrong type (422). Never a
    RecursionError."""
    bodies = (b"[" * depth + b"]" * depth, b'{"a":' * depth + b"1" + b"}" * depth)
    routes = _json_routes(world)
    assert ("POST", "/api/v1/auth/token") in routes
    for method, path in routes:
        for body in bodies:
            who = None if path == "/api/v1/auth/token" else world.admin
            response = world.request(
                method, path, who, content=body, headers={"Content-Type": "application/json"}
            )
            assert_problem(response)
            assert response.status_code in (400, 404, 413, 422), (method, path, response.text)
            if len(body) > 64 * 1024:
                assert response.status_code == 413


NUL = "\x00"


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_nul_character_in_any_text_is_a_bad_value(
    kind: str, request: pytest.FixtureRequest
) -> None:
    """PostgreSQL cannot store a NUL: every text refuses it where the request is read (422 naming
    the field) — SQLite stored it silently, which is refused too, for the same answer on both."""
    url = request.getfixturevalue("sqlite_url" if kind == "sqlite" else "postgres_url")
    with make_world(database_url=url) as world:
        ticket = world.file()
        finance = str(world.departments["finance"].id)
        agent = world.it_agents[0]
        cases: list[tuple[str, str, Any, dict[str, Any] | None, list[str]]] = [
            (
                "POST",
                "/api/v1/auth/token",
                None,
                {"email": f"a{NUL}@x.com", "password": "x"},
                ["email"],
            ),
            ("GET", "/api/v1/tickets?q=a%00b", world.admin, None, ["q"]),
            ("GET", "/api/v1/tickets?q=%00", world.user, None, ["q"]),
            ("GET", "/api/v1/users?q=a%00", world.admin, None, ["q"]),
            ("GET", "/api/v1/audit?entity_type=%00", world.admin, None, ["entity_type"]),
            ("GET", "/api/v1/tickets?=%00", world.admin, None, ["query"]),
            (
                "POST",
                f"/api/v1/tickets/{ticket['id']}/comments",
                world.user,
                {"body": f"تعليق{NUL} على الطلب"},
                ["body"],
            ),
            (
                "POST",
                "/api/v1/users",
                world.admin,
                {"email": "nul@example.com", "full_name": f"اسم{NUL}", "role": "end_user"},
                ["full_name"],
            ),
            ("PATCH", f"/api/v1/users/{agent.id}", world.admin, {"full_name": NUL}, ["full_name"]),
            (
                "POST",
                f"/api/v1/tickets/{ticket['id']}/override",
                world.admin,
                {"department_id": finance, "reason": f"سبب{NUL}"},
                ["reason"],
            ),
            (
                "POST",
                "/api/v1/departments",
                world.admin,
                {"slug": "nul-dept", "name": f"قسم{NUL}", "categories": []},
                ["name"],
            ),
            (
                "POST",
                "/api/v1/tickets",
                world.user,
                {**PRINTER, "priority": f"low{NUL}", "extra": {"nested": [NUL]}, "": NUL},
                ["priority", "extra.nested[0]", 'body[""]'],
            ),
        ]
        for method, path, who, body, fields in cases:
            response = world.request(method, path, who, json=body)
            assert sorted(error_fields(response)) == sorted(fields), (method, path)
        # A path id holding one names nothing.
        response = world.request("GET", "/api/v1/tickets/%00", world.user)
        assert_problem(response, 404)
        # Nothing was changed by the refused writes.
        assert (
            world.request("GET", f"/api/v1/tickets/{ticket['id']}/comments", world.user).json()[
                "items"
            ]
            == []
        )
        # A token's claims are whatever their owner typed into the identity provider: an e-mail
        # or a name holding a NUL is treated as absent, and the newcomer can still file.
        newcomer = uuid.uuid4()
        headers = bearer(
            newcomer, email=f"new{NUL}@example.com", user_metadata={"full_name": f"س{NUL}"}
        )
        filed = world.request("POST", "/api/v1/tickets", json=PRINTER, headers=headers)
        assert filed.status_code == 201, filed.text
        me = world.request("GET", "/api/v1/users/me", headers=headers).json()
        assert (me["email"], me["full_name"]) == ("", "")
        # A very long name claim is cut to what a profile holds.
        long_named = uuid.uuid4()
        headers = bearer(long_named, user_metadata={"full_name": "س" * 10_000})
        filed = world.request("POST", "/api/v1/tickets", json=PRINTER, headers=headers)
        assert filed.status_code == 201, filed.text
        assert world.profile(long_named).full_name == "س" * 120


EDGE_TIMES = [
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:00:00%2B01:00",
    "0001-01-01T23:59:59-14:00",
    "9999-12-31T23:59:59.999999Z",
    "9999-12-31T23:59:59-01:00",
    "9999-12-31T00:00:00%2B14:00",
]


def time_queries(world: World) -> list[tuple[str, str]]:
    """Every (GET path, query parameter) the OpenAPI schema says takes a date-time: a new report
    is covered without touching this file."""
    found = []
    for path, operations in world.client.app.openapi_schema.to_schema()["paths"].items():
        for parameter in operations.get("get", {}).get("parameters", []):
            schema = parameter.get("schema", {})
            options = schema.get("oneOf", [schema])
            if parameter["in"] == "query" and any(o.get("format") == "date-time" for o in options):
                found.append((path, parameter["name"]))
    return found


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_times_at_the_calendars_edges_and_odd_if_matches_on_each_engine(
    kind: str, request: pytest.FixtureRequest
) -> None:
    """Times at year 1 and 9999 reach the database (and the reports' whole-day arithmetic) or are
    a bad value naming the parameter; an If-Match that is no version matches none."""
    url = request.getfixturevalue("sqlite_url" if kind == "sqlite" else "postgres_url")
    with make_world(database_url=url) as world:
        ticket = world.file()
        queries = time_queries(world)
        for must in ("/api/v1/tickets", "/api/v1/audit", "/api/v1/stats/taxonomy"):
            assert must in {path for path, _ in queries}
        for path, name in queries:
            for time in EDGE_TIMES:
                response = world.request("GET", f"{path}?{name}={time}", world.admin)
                if response.status_code != 200:
                    assert error_fields(response) == [name], (path, name, time)
            both = f"{path}?{name}={EDGE_TIMES[0]}"
            other = (
                "to" if name == "from" else "created_before" if name == "created_after" else None
            )
            if other:
                response = world.request("GET", f"{both}&{other}={EDGE_TIMES[3]}", world.admin)
                assert response.status_code == 200, (path, response.text)
        for tag in ('"²"', '"' + "9" * 4300 + '"', '"-1"', '"1e3"'):
            response = world.request(
                "PATCH",
                f"/api/v1/tickets/{ticket['id']}",
                world.admin,
                headers={"If-Match": tag.encode()},  # type: ignore[dict-item]
                json={"priority": "low"},
            )
            assert_problem(response, 412)


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/stats/taxonomy?from=", "from"),
        ("/api/v1/stats/routing-modes?to=yesterday", "to"),
        ("/api/v1/audit?from=2026-13-01", "from"),
    ],
)
def test_a_refused_parameter_is_named_as_the_client_sent_it(
    world: World, path: str, field: str
) -> None:
    """`from` and `to` are Python keywords: the handlers call them otherwise, but the problem
    names what the client sent."""
    assert error_fields(world.request("GET", path, world.admin)) == [field]


def test_every_route_runs_the_check_for_unstorable_text(world: World) -> None:
    """Litestar runs only the innermost `before_request` hook: a controller declaring its own
    would silently skip the app's check of the query and path."""
    from helpdesk.entrypoints.http.params import refuse_unstorable_text

    for route in world.client.app.routes:
        for method, (handler, _) in getattr(route, "route_handler_map", {}).items():
            if method == "OPTIONS":
                continue
            assert handler.resolve_before_request() is refuse_unstorable_text, (method, route.path)
