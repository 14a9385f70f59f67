"""Identities through Supabase Auth's admin API, against a local stand-in for GoTrue."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from dependency_injector import providers

from helpdesk.adapters.identity.supabase import SupabaseIdentityProvider

from ..api.client import Api, running_api
from ..api.test_permissions import assert_problem

SERVICE_KEY = "service-role-key-for-tests"


class GoTrue:
    """Answers like GoTrue's admin API; each test picks how it answers a create."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, dict[str, str], Any]] = []
        self.on_create: Callable[[BaseHTTPRequestHandler, dict[str, Any]], None] = self.created
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _body(self) -> Any:
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                return json.loads(raw) if raw else None

            def do_POST(self) -> None:
                body = self._body()
                outer.requests.append(("POST", self.path, dict(self.headers), body))
                if not outer.authorized(self):
                    return outer.answer(self, 401, {"msg": "invalid JWT"})
                outer.on_create(self, body)

            def do_PUT(self) -> None:
                body = self._body()
                outer.requests.append(("PUT", self.path, dict(self.headers), body))
                outer.answer(
                    self,
                    200,
                    {"id": self.path.rsplit("/", 1)[-1], "banned_until": "2126-01-01T00:00:00Z"},
                )

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @staticmethod
    def authorized(handler: BaseHTTPRequestHandler) -> bool:
        return (
            handler.headers.get("apikey") == SERVICE_KEY
            and handler.headers.get("Authorization") == f"Bearer {SERVICE_KEY}"
        )

    @staticmethod
    def answer(handler: BaseHTTPRequestHandler, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def created(self, handler: BaseHTTPRequestHandler, body: dict[str, Any]) -> None:
        self.answer(
            handler,
            200,
            {
                "id": body.get("id") or str(uuid.uuid4()),
                "email": body["email"],
                "role": "authenticated",
            },
        )


@pytest.fixture
def gotrue() -> Iterator[GoTrue]:
    server = GoTrue()
    yield server
    server.server.shutdown()


@pytest.fixture
def api(gotrue: GoTrue) -> Iterator[Api]:
    with running_api(supabase_url=gotrue.url, supabase_service_role_key=SERVICE_KEY) as api:
        provider = SupabaseIdentityProvider(gotrue.url, SERVICE_KEY, timeout=0.5)
        api.container.identity.override(providers.Object(provider))
        yield api


BODY = {
    "email": "supa@x.io",
    "full_name": "مستخدم سوبابيس",
    "role": "agent",
    "password": "s3cret-pass",
}


def with_department(api: Api) -> dict[str, Any]:
    items = api.client.get("/api/v1/departments", headers=api.as_(api.admin)).json()["items"]
    return {**BODY, "department_id": items[0]["id"]}


def test_creating_a_user_creates_the_identity(api: Api, gotrue: GoTrue) -> None:
    gotrue.requests.clear()
    response = api.client.post(
        "/api/v1/users", json=with_department(api), headers=api.as_(api.admin)
    )
    assert response.status_code == 201, response.text
    method, path, headers, body = gotrue.requests[-1]
    assert (method, path) == ("POST", "/auth/v1/admin/users")
    assert headers["apikey"] == SERVICE_KEY and headers["Authorization"] == f"Bearer {SERVICE_KEY}"
    assert (
        body["email"] == "supa@x.io"
        and body["password"] == "s3cret-pass"
        and body["email_confirm"] is True
    )
    assert body["user_metadata"] == {"full_name": "مستخدم سوبابيس"}
    assert "role" not in body  # GoTrue's role is the Postgres role, not ours
    assert response.json()["role"] == "agent"
    # Deleting bans the identity for good.
    assert (
        api.client.delete(
            f"/api/v1/users/{response.json()['id']}", headers=api.as_(api.admin)
        ).status_code
        == 204
    )
    method, path, _, body = gotrue.requests[-1]
    assert (method, path, body) == (
        "PUT",
        f"/auth/v1/admin/users/{response.json()['id']}",
        {"ban_duration": "876000h"},
    )


def test_the_local_login_is_absent(api: Api) -> None:
    assert_problem(
        api.client.post("/api/v1/auth/token", json={"email": "a@b.co", "password": "x"}), 404
    )


@pytest.mark.parametrize(
    ("name", "behaviour", "status"),
    [
        (
            "email exists",
            lambda g, h, b: g.answer(
                h,
                422,
                {
                    "code": 422,
                    "error_code": "email_exists",
                    "msg": "A user with this email address has already been registered",
                },
            ),
            409,
        ),
        ("server error", lambda g, h, b: g.answer(h, 500, {"msg": "boom"}), 503),
        ("timeout", lambda g, h, b: (time.sleep(1.5), g.created(h, b)), 503),
        (
            "weak password",
            lambda g, h, b: g.answer(h, 422, {"error_code": "weak_password", "msg": "weak"}),
            422,
        ),
    ],
)
def test_failures_become_clear_answers_and_create_no_profile(
    api: Api, gotrue: GoTrue, name: str, behaviour: Any, status: int
) -> None:
    gotrue.on_create = lambda h, b: behaviour(gotrue, h, b)
    response = api.client.post(
        "/api/v1/users", json=with_department(api), headers=api.as_(api.admin)
    )
    assert_problem(response, status)
    found = api.client.get("/api/v1/users?q=supa@x.io", headers=api.as_(api.admin)).json()["items"]
    assert found == [], name
