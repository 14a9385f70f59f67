"""Tokens issued for local logins are Supabase-shaped and pass the same verifier."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from helpdesk.adapters.tokens import Hs256TokenIssuer, JwtVerifier
from helpdesk.domain.errors import Unauthorized

from .support import SECRET, USER, FakeClock

ISSUER = "http://127.0.0.1:8000/auth/v1"


def now_clock() -> FakeClock:
    clock = FakeClock()
    clock.at = datetime.now(UTC)
    return clock


def payload(token: str) -> dict[str, object]:
    return jwt.decode(token, options={"verify_signature": False})


def test_the_claims_are_shaped_like_supabase() -> None:
    clock = FakeClock()
    issued = Hs256TokenIssuer(SECRET, clock, issuer=ISSUER).issue(
        USER, email="a@example.com", ttl_seconds=3600
    )
    assert issued.expires_in == 3600
    assert jwt.get_unverified_header(issued.access_token)["alg"] == "HS256"
    at = int(clock.at.timestamp())
    assert payload(issued.access_token) == {
        "sub": str(USER),
        "email": "a@example.com",
        "aud": "authenticated",
        "iat": at,
        "exp": at + 3600,
        "role": "authenticated",
        "iss": ISSUER,
    }


def test_email_and_issuer_are_left_out_when_absent() -> None:
    issued = Hs256TokenIssuer(SECRET, FakeClock()).issue(USER, email=None, ttl_seconds=60)
    assert set(payload(issued.access_token)) == {"sub", "aud", "iat", "exp", "role"}


async def test_issued_tokens_verify() -> None:
    user = uuid.uuid4()
    issued = Hs256TokenIssuer(SECRET, now_clock()).issue(
        user, email="a@example.com", ttl_seconds=60
    )
    verified = await JwtVerifier(SECRET, None).verify(issued.access_token)
    assert (verified.user_id, verified.email, verified.full_name) == (user, "a@example.com", None)


async def test_issuer_and_audience_round_trip() -> None:
    issuer = Hs256TokenIssuer(SECRET, now_clock(), audience="helpdesk", issuer=ISSUER)
    token = issuer.issue(USER, email=None, ttl_seconds=60).access_token
    assert (await JwtVerifier(SECRET, None, "helpdesk", ISSUER).verify(token)).user_id == USER
    with pytest.raises(Unauthorized):
        await JwtVerifier(SECRET, None, "authenticated", ISSUER).verify(token)
    with pytest.raises(Unauthorized):
        await JwtVerifier(SECRET, None, "helpdesk", "https://elsewhere").verify(token)


async def test_issued_tokens_expire() -> None:
    clock = now_clock()
    clock.at -= timedelta(seconds=120)
    token = Hs256TokenIssuer(SECRET, clock).issue(USER, email=None, ttl_seconds=60).access_token
    with pytest.raises(Unauthorized, match="expired"):
        await JwtVerifier(SECRET, None).verify(token)


def test_nonsense_is_refused_at_the_door() -> None:
    with pytest.raises(ValueError):
        Hs256TokenIssuer("", FakeClock())
    with pytest.raises(ValueError):
        Hs256TokenIssuer(SECRET, FakeClock()).issue(USER, email=None, ttl_seconds=0)
    assert SECRET not in repr(Hs256TokenIssuer(SECRET, FakeClock()))
