"""Users whose identities live in Supabase Auth: what the app asks GoTrue's admin API (against a
local stand-in), and how each way GoTrue can fail reaches the client."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest

from .conftest import World, assert_problem
from .gotrue import SERVICE_KEY, GoTrue

NEW_AGENT = {
    "email": "supa@example.test",
    "full_name": "مستخدم سوبابيس",
    "role": "agent",
    "password": "s3cret-pass",
}


def new_agent(world: World) -> dict[str, Any]:
    return {**NEW_AGENT, "department_id": str(world.departments["it-support"].id)}


def test_creating_a_user_creates_the_identity_and_deleting_bans_it(
    supabase_world: World, gotrue: GoTrue
) -> None:
    world = supabase_world
    given_id = uuid.uuid4()
    gotrue.on_create = lambda g, handler, body: g.answer(
        handler, 200, {"id": str(given_id), "email": body["email"], "role": "authenticated"}
    )
    gotrue.requests.clear()
    response = world.request("POST", "/api/v1/users", world.admin, json=new_agent(world))
    assert response.status_code == 201, response.text
    profile = response.json()
    assert profile["id"] == str(given_id)  # the profile takes GoTrue's id
    assert (profile["role"], profile["email"]) == ("agent", "supa@example.test")

    [create] = gotrue.requests
    assert (create.method, create.path) == ("POST", "/auth/v1/admin/users")
    assert create.headers["apikey"] == SERVICE_KEY
    assert create.headers["Authorization"] == f"Bearer {SERVICE_KEY}"
    assert create.body["email"] == "supa@example.test"
    assert create.body["password"] == "s3cret-pass"
    assert create.body["email_confirm"] is True
    assert create.body["user_metadata"] == {"full_name": "مستخدم سوبابيس"}
    assert "role" not in create.body  # GoTrue's role is the Postgres role, not ours

    # The new agent can work with a Supabase token at once.
    assert world.request("GET", "/api/v1/users/me", given_id).json()["role"] == "agent"

    # Deleting bans the identity for good and deactivates the profile.
    deleted = world.request("DELETE", f"/api/v1/users/{given_id}", world.admin)
    assert deleted.status_code == 204, deleted.text
    ban = gotrue.requests[-1]
    assert (ban.method, ban.path, ban.body) == (
        "PUT",
        f"/auth/v1/admin/users/{given_id}",
        {"ban_duration": "876000h"},
    )
    assert ban.headers["apikey"] == SERVICE_KEY
    assert_problem(world.request("GET", "/api/v1/users/me", given_id), 403)


def test_the_local_login_is_absent(supabase_world: World) -> None:
    for credentials in (
        {"email": "admin@helpdesk.local", "password": "helpdesk-demo"},
        {"email": "a@b.co", "password": "x"},
    ):
        assert_problem(supabase_world.client.post("/api/v1/auth/token", json=credentials), 404)


def email_exists(g: GoTrue, handler: Any, body: Any) -> None:
    message = "A user with this email address has already been registered"
    g.answer(handler, 422, {"code": 422, "error_code": "email_exists", "msg": message})


def server_error(g: GoTrue, handler: Any, body: Any) -> None:
    g.answer(handler, 500, {"msg": "boom"})


def hangs(g: GoTrue, handler: Any, body: Any) -> None:
    time.sleep(3.0)  # past the adapter's 2 s timeout (a loaded machine answers slowly)
    g.created(handler, body)


def weak_password(g: GoTrue, handler: Any, body: Any) -> None:
    g.answer(handler, 422, {"error_code": "weak_password", "msg": "weak"})


@pytest.mark.parametrize(
    ("behaviour", "status"),
    [(email_exists, 409), (server_error, 503), (hangs, 503), (weak_password, 422)],
    ids=["email exists", "server error", "timeout", "weak password"],
)
def test_failures_become_clear_answers_and_create_no_profile(
    supabase_world: World, gotrue: GoTrue, behaviour: Any, status: int
) -> None:
    world = supabase_world
    gotrue.on_create = behaviour
    response = world.request("POST", "/api/v1/users", world.admin, json=new_agent(world))
    assert_problem(response, status)
    if status == 422:
        assert [e["field"] for e in response.json()["errors"]] == ["password"]
    found = world.request("GET", "/api/v1/users?q=supa@example.test", world.admin).json()
    assert found["items"] == []
