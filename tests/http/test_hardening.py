"""Inputs that once answered 500, races of a new user's first requests, look-alike e-mails, and
the login's back-off — each on the storage where it broke."""

from __future__ import annotations

import asyncio
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
