"""Who may call what: 401, 403 and 404 across the ticket, classify and users/me endpoints."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import jwt
import pytest

from helpdesk.domain.taxonomy import Category

from .client import SECRET, Api, bearer, running_api

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    with running_api() as api:
        yield api


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"] and body["type"]
    assert "Traceback" not in response.text
    return body  # type: ignore[no-any-return]


def token(**claims: Any) -> str:
    payload = {"sub": str(uuid.uuid4()), "aud": "authenticated", "exp": int(time.time()) + 600}
    payload.update(claims)
    return jwt.encode(
        {k: v for k, v in payload.items() if v is not None}, SECRET, algorithm="HS256"
    )


BAD_TOKENS = {
    "alg none": jwt.encode(
        {"sub": str(uuid.uuid4()), "aud": "authenticated", "exp": int(time.time()) + 600},
        None,
        algorithm="none",
    ),
    "wrong key": jwt.encode(
        {"sub": str(uuid.uuid4()), "aud": "authenticated", "exp": int(time.time()) + 600},
        "another-secret-0123456789abcdef0123",
        algorithm="HS256",
    ),
    "expired": token(exp=int(time.time()) - 120),
    "wrong audience": token(aud="anon"),
    "no sub": token(sub=None),
    "sub not a uuid": token(sub="service_role"),
    "garbage": "definitely.not.a-jwt",
}


@pytest.mark.parametrize("name", sorted(BAD_TOKENS))
def test_bad_tokens_are_401_with_a_bearer_challenge(api: Api, name: str) -> None:
    response = api.client.get(
        "/api/v1/tickets", headers={"Authorization": f"Bearer {BAD_TOKENS[name]}"}
    )
    assert_problem(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", [None, "Basic dXNlcjpwYXNz", "Bearer", "Bearer   "])
def test_missing_credentials_are_401(api: Api, header: str | None) -> None:
    headers = {"Authorization": header} if header is not None else {}
    assert_problem(api.client.get("/api/v1/users/me", headers=headers), 401)


def test_public_routes_need_no_token(api: Api) -> None:
    assert api.client.get("/health").json()["status"] == "ok"
    schema = api.client.get("/schema/openapi.json").json()
    assert "/api/v1/tickets" in schema["paths"]
    assert schema["components"]["securitySchemes"]["BearerAuth"]["scheme"] == "bearer"
    assert schema["security"] == [{"BearerAuth": []}]
    assert schema["paths"]["/health"]["get"]["security"] == [{}]  # no token needed
    # Every API operation documents its problem responses.
    for path, operations in schema["paths"].items():
        if path.startswith("/api/v1/"):
            for method, operation in operations.items():
                assert {"401", "403", "404", "422"} <= set(operation["responses"]), (method, path)
    assert api.client.get("/schema").status_code == 200  # the interactive UI


def routes(ticket_id: str) -> list[tuple[str, str, dict[str, Any] | None]]:
    return [
        ("GET", f"/api/v1/tickets/{ticket_id}", None),
        ("PATCH", f"/api/v1/tickets/{ticket_id}", {"priority": "high"}),
        (
            "POST",
            f"/api/v1/tickets/{ticket_id}/override",
            {"department_id": str(uuid.uuid4()), "reason": "سبب"},
        ),
        ("POST", f"/api/v1/tickets/{ticket_id}/reclassify", None),
        ("GET", f"/api/v1/tickets/{ticket_id}/comments", None),
        ("POST", f"/api/v1/tickets/{ticket_id}/comments", {"body": "تعليق"}),
        ("GET", f"/api/v1/tickets/{ticket_id}/audit", None),
    ]


def staff_only(method: str, path: str) -> bool:
    return method == "PATCH" or path.endswith(("/override", "/reclassify", "/audit"))


def test_the_permission_matrix(api: Api) -> None:
    api.classifier.answer = {Category.NETWORK: 0.95}
    ticket = api.file()  # it-support, assigned to one of its agents
    for method, path, body in routes(ticket["id"]):

        def call(who: Any, method: str = method, path: str = path, body: Any = body) -> Any:
            return api.client.request(method, path, json=body, headers=api.as_(who))

        # Anonymous: 401 everywhere.
        assert_problem(api.client.request(method, path, json=body), 401)
        # The submitter (end user): reads, comments; staff routes are 403 (role before id).
        if staff_only(method, path):
            assert_problem(call(api.user), 403)
            assert_problem(
                api.client.request(
                    method,
                    path.replace(ticket["id"], str(uuid.uuid4())),
                    json=body,
                    headers=api.as_(api.user),
                ),
                403,
            )
        else:
            assert call(api.user).status_code < 300, (method, path)
        # Another end user, an agent of another department: the ticket does not exist.
        stranger = uuid.uuid4()
        if staff_only(method, path):
            assert_problem(call(stranger), 403)
        else:
            assert_problem(call(stranger), 404)
        assert_problem(call(api.other_agent), 404)
        # The department's agent and the admin may (override to a random id is a 422).
        for who in (api.agent, api.admin):
            status = call(who).status_code
            assert status in ((422,) if path.endswith("/override") else (200, 201)), (
                method,
                path,
                status,
            )


def test_a_deactivated_profile_is_403_everywhere(api: Api) -> None:
    from helpdesk.application.users.create import SYSTEM_ACTOR, CreateUser
    from helpdesk.application.users.manage import UpdateUser
    from helpdesk.domain.taxonomy import Role
    from helpdesk.domain.users import ProfilePatch

    with api.client.portal() as portal:
        gone = portal.call(
            api.container.create_user().execute,
            SYSTEM_ACTOR,
            CreateUser("gone@x.io", "راحل", Role.END_USER),
        )
        portal.call(
            api.container.update_user().execute,
            SYSTEM_ACTOR,
            UpdateUser(gone.id, ProfilePatch(is_active=False)),
        )
    for method, path, body in [
        ("GET", "/api/v1/users/me", None),
        ("GET", "/api/v1/tickets", None),
        ("POST", "/api/v1/tickets", {"title": "مشكلة", "description": "لدي مشكلة في الجهاز"}),
        ("POST", "/api/v1/classify", {"text": "الطابعة لا تعمل"}),
        ("GET", f"/api/v1/tickets/{uuid.uuid4()}", None),
    ]:
        assert_problem(api.client.request(method, path, json=body, headers=bearer(gone.id)), 403)


def test_internal_notes_are_for_staff(api: Api) -> None:
    ticket = api.file()
    path = f"/api/v1/tickets/{ticket['id']}/comments"
    assert_problem(
        api.client.post(path, json={"body": "سر", "internal": True}, headers=api.as_(api.user)), 403
    )
    assert (
        api.client.post(
            path, json={"body": "ملاحظة داخلية", "internal": True}, headers=api.as_(api.admin)
        ).status_code
        == 201
    )
    seen = api.client.get(path, headers=api.as_(api.user)).json()["items"]
    assert all(not c["internal"] for c in seen)
    assert any(
        c["internal"] for c in api.client.get(path, headers=api.as_(api.admin)).json()["items"]
    )


def test_a_profileless_token_acts_as_an_end_user(api: Api) -> None:
    newcomer = uuid.uuid4()
    headers = bearer(newcomer, email="new@x.io", user_metadata={"full_name": "جديد"})
    me = api.client.get("/api/v1/users/me", headers=headers).json()
    assert (me["role"], me["email"], me["full_name"]) == ("end_user", "new@x.io", "جديد")
    ticket = api.client.post(
        "/api/v1/tickets",
        json={"title": "طلب جديد", "description": "أحتاج إلى مساعدة في جهازي الجديد"},
        headers=headers,
    )
    assert ticket.status_code == 201
    assert ticket.json()["submitter_id"] == str(newcomer)
