"""Bearer tokens through HTTP: every way a token can be wrong is a 401 problem with a Bearer
challenge; the 30 s leeway; the role comes from the profile, never from the token."""

from __future__ import annotations

import base64
import json
import time
import uuid
from typing import Any

import jwt
import pytest

from .conftest import SECRET, World, assert_problem, bearer, mint

PROTECTED = [
    ("GET", "/api/v1/tickets", None),
    ("POST", "/api/v1/tickets", {"title": "الشبكة مقطوعة", "description": "لا يوجد اتصال بالشبكة"}),
    ("GET", f"/api/v1/tickets/{uuid.UUID(int=7)}", None),
    ("POST", "/api/v1/classify", {"text": "الطابعة لا تعمل"}),
    ("GET", "/api/v1/users/me", None),
]


def _unsigned(header: dict[str, Any], payload: dict[str, Any]) -> str:
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part(header)}.{part(payload)}."


def _claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    return {"sub": str(uuid.uuid4()), "aud": "authenticated", "exp": now + 600, **overrides}


def bad_tokens() -> dict[str, str | bytes]:
    now = int(time.time())
    return {
        "alg none": _unsigned({"alg": "none", "typ": "JWT"}, _claims()),
        "alg NONE": _unsigned({"alg": "NONE", "typ": "JWT"}, _claims()),
        "alg none signed by pyjwt": jwt.encode(_claims(), None, algorithm="none"),
        "alg missing": _unsigned({"typ": "JWT"}, _claims()),
        "alg not a string": _unsigned({"alg": ["HS256"], "typ": "JWT"}, _claims()),
        "wrong key": mint(key="another-secret-" + "fedcba9876543210" * 4),
        "HS512 with the right secret": mint(algorithm="HS512"),
        "RS256 header over an HS256 signature": _reheader(mint(), {"alg": "RS256", "typ": "JWT"}),
        "HS256 header naming a kid": mint(headers={"kid": "../../etc/passwd"}, key="x" * 64),
        "expired beyond the leeway": mint(expires_in=-120),
        "expired long ago": mint(expires_in=-86_400),
        "not valid yet": mint(nbf=now + 600),
        "wrong audience": mint(aud="anon"),
        "audience list without ours": mint(aud=["anon", "service"]),
        "no audience": mint(drop=("aud",)),
        "no exp": mint(drop=("exp",)),
        "no sub (an API-key token)": mint(drop=("sub",), role="anon"),
        "sub not a uuid": mint("service_role"),
        "sub empty": mint(""),
        "sub an integer": jwt.encode({**_claims(), "sub": 42}, SECRET, algorithm="HS256"),
        "garbage": "definitely.not.a-jwt",
        "one segment": "abcdef",
        "empty payload": _unsigned({"alg": "HS256"}, {}),
        "signature stripped": mint().rsplit(".", 1)[0] + ".",
        "tampered payload": _tamper(mint()),
        "non-ascii": "توكن.غير.صالح".encode(),
    }


def _reheader(token: str, header: dict[str, Any]) -> str:
    _, payload, signature = token.split(".")
    encoded = base64.urlsafe_b64encode(json.dumps(header).encode()).rstrip(b"=").decode()
    return f"{encoded}.{payload}.{signature}"


def _tamper(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = str(uuid.uuid4())
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


@pytest.mark.parametrize("name", sorted(bad_tokens()))
def test_a_bad_token_is_a_401_problem_with_a_bearer_challenge(world: World, name: str) -> None:
    token = bad_tokens()[name]
    header = b"Bearer " + token if isinstance(token, bytes) else f"Bearer {token}"
    for method, path, body in PROTECTED:
        response = world.client.request(method, path, json=body, headers={"Authorization": header})
        assert_problem(response, 401)
        assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Bearer    ",
        "Basic dXNlcjpwYXNzd29yZA==",
        "Token abc",
        "Digest username=x",
        f"{'x' * 4000}",
    ],
)
def test_missing_or_non_bearer_credentials_are_401(world: World, header: str | None) -> None:
    headers = {} if header is None else {"Authorization": header}
    for method, path, body in PROTECTED:
        response = world.client.request(method, path, json=body, headers=headers)
        assert_problem(response, 401)
        assert response.headers["www-authenticate"].startswith("Bearer")


def test_basic_credentials_of_a_real_user_are_still_401(world: World) -> None:
    basic = base64.b64encode(b"admin@helpdesk.local:helpdesk-demo").decode()
    assert_problem(
        world.client.get("/api/v1/users/me", headers={"Authorization": f"Basic {basic}"}), 401
    )


def test_the_401_body_says_why_without_leaking_the_token(world: World) -> None:
    token = mint(expires_in=-3600)
    response = world.client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})
    body = assert_problem(response, 401)
    assert "expired" in body["detail"]
    assert token not in response.text and SECRET not in response.text


def test_the_clock_skew_leeway_is_30_seconds(world: World) -> None:
    def me(token: str) -> Any:
        return world.client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})

    assert me(mint(world.user.id, expires_in=-10)).status_code == 200  # within the leeway
    assert me(mint(world.user.id, nbf=int(time.time()) + 10)).status_code == 200
    assert_problem(me(mint(world.user.id, expires_in=-45)), 401)  # beyond it
    assert_problem(me(mint(world.user.id, nbf=int(time.time()) + 45)), 401)


def test_the_scheme_is_case_insensitive_and_audience_may_be_a_list(world: World) -> None:
    token = mint(world.user.id, aud=["other", "authenticated"])
    for scheme in ("Bearer", "bearer", "BEARER"):
        response = world.client.get(
            "/api/v1/users/me", headers={"Authorization": f"{scheme} {token}"}
        )
        assert response.status_code == 200, response.text
        assert response.json()["id"] == str(world.user.id)


def test_the_role_comes_from_the_profile_never_from_the_token(world: World) -> None:
    forged = bearer(
        world.user,
        role="service_role",
        app_metadata={"role": "admin"},
        user_metadata={"role": "admin", "full_name": "مدير مزيف"},
    )
    me = world.client.get("/api/v1/users/me", headers=forged).json()
    assert me["role"] == "end_user" and me["full_name"] != "مدير مزيف"
    assert_problem(world.client.get("/api/v1/users", headers=forged), 403)
    # And an admin stays an admin whatever their token says.
    demoted = bearer(world.admin, role="anon", user_metadata={"role": "end_user"})
    assert world.client.get("/api/v1/users/me", headers=demoted).json()["role"] == "admin"


def test_a_valid_token_without_a_profile_acts_as_an_end_user(world: World) -> None:
    newcomer = uuid.uuid4()
    headers = bearer(newcomer, email="Newcomer@Example.test", user_metadata={"full_name": "وافد"})
    me = world.client.get("/api/v1/users/me", headers=headers)
    assert me.status_code == 200, me.text
    body = me.json()
    assert (body["id"], body["role"], body["is_active"]) == (str(newcomer), "end_user", True)
    assert body["email"] == "newcomer@example.test" and body["full_name"] == "وافد"
    assert world.client.get("/api/v1/tickets", headers=headers).json()["items"] == []
    created = world.client.post(
        "/api/v1/tickets",
        json={"title": "الشبكة مقطوعة", "description": "لا يوجد اتصال بالشبكة منذ الصباح"},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    assert created.json()["submitter_id"] == str(newcomer)
    # Creating the ticket created the profile, with the token's email and name.
    profile = world.profile(newcomer)
    assert (profile.email, profile.full_name, profile.role) == (
        "newcomer@example.test",
        "وافد",
        "end_user",
    )


def test_public_routes_need_no_token_and_ignore_a_bad_one(world: World) -> None:
    for headers in ({}, {"Authorization": "Bearer garbage"}):
        assert world.client.get("/health", headers=headers).status_code == 200
        assert world.client.get("/health/ready", headers=headers).status_code == 200
        assert world.client.get("/schema/openapi.json", headers=headers).status_code == 200


def test_the_local_login_issues_a_token_the_api_accepts(world: World) -> None:
    email = f"Login.Me.{uuid.uuid4().hex[:8]}@Example.test"
    body = {"email": email, "full_name": "مستخدم", "role": "end_user", "password": "long-enough"}
    created = world.request("POST", "/api/v1/users", world.admin, json=body)
    assert created.status_code == 201, created.text
    login = world.client.post(
        "/api/v1/auth/token", json={"email": email.lower(), "password": "long-enough"}
    )
    assert login.status_code == 200, login.text
    token = login.json()
    assert (token["token_type"], token["expires_in"]) == ("bearer", 3600)
    me = world.client.get(
        "/api/v1/users/me", headers={"Authorization": f"Bearer {token['access_token']}"}
    )
    assert me.status_code == 200, me.text
    assert (me.json()["id"], me.json()["email"]) == (created.json()["id"], email.lower())
    # A wrong password and an unknown e-mail are the same 401: no way to probe for accounts.
    same = {"X-Request-ID": "probe"}  # the one part of the answers that may differ
    wrong_password = world.client.post(
        "/api/v1/auth/token", json={"email": email, "password": "nope-nope"}, headers=same
    )
    unknown_email = world.client.post(
        "/api/v1/auth/token",
        json={"email": "nobody@example.test", "password": "long-enough"},
        headers=same,
    )
    assert_problem(wrong_password, 401)
    assert_problem(unknown_email, 401)
    assert wrong_password.json() == unknown_email.json()
