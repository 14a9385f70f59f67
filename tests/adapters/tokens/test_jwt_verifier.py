"""Token verification: HS256 with the secret, RS256/ES256 from a JWKS served over real HTTP."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from helpdesk.adapters.tokens.issuer import Hs256TokenIssuer
from helpdesk.adapters.tokens.jwks import JwksKeySet
from helpdesk.adapters.tokens.jwt_verifier import JwtVerifier
from helpdesk.domain.errors import DependencyUnavailable, Unauthorized

SECRET = "a-test-secret-that-is-long-enough-0123456789"
USER = uuid.uuid4()


class FakeClock:
    def __init__(self) -> None:
        self.at = datetime(2026, 1, 1, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at


class JwksServer:
    """A real HTTP server whose key set a test can change and whose hits it can count."""

    def __init__(self) -> None:
        self.keys: list[dict[str, Any]] = []
        self.hits = 0
        self.fail = False
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.hits += 1
                if outer.fail:
                    self.send_response(500)
                    self.end_headers()
                    return
                body = json.dumps({"keys": outer.keys}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/.well-known/jwks.json"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def jwks_server() -> Iterator[JwksServer]:
    server = JwksServer()
    yield server
    server.server.shutdown()


def rsa_key(kid: str) -> tuple[Any, dict[str, Any]]:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(RSAAlgorithm.to_jwk(private.public_key()))
    return private, {**public, "kid": kid, "alg": "RS256", "use": "sig"}


def ec_key(kid: str) -> tuple[Any, dict[str, Any]]:
    private = ec.generate_private_key(ec.SECP256R1())
    public = json.loads(ECAlgorithm.to_jwk(private.public_key()))
    return private, {**public, "kid": kid, "alg": "ES256", "use": "sig"}


def claims(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "sub": str(USER),
        "aud": "authenticated",
        "exp": int(time.time()) + 600,
        "email": "user@example.com",
        "user_metadata": {"full_name": "مستخدم"},
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def hs(payload: dict[str, Any], secret: str = SECRET) -> str:
    return jwt.encode(payload, secret, algorithm="HS256")


async def test_a_valid_hs256_token_gives_its_claims() -> None:
    verified = await JwtVerifier(SECRET, None).verify(hs(claims()))
    assert verified.user_id == USER
    assert verified.email == "user@example.com"
    assert verified.full_name == "مستخدم"


@pytest.mark.parametrize(
    ("token", "why"),
    [
        (hs(claims(), secret="another-secret-that-is-long-enough-012345"), "wrong key"),
        (hs(claims(exp=int(time.time()) - 60)), "expired beyond the leeway"),
        (hs(claims(aud="anon")), "wrong audience"),
        (hs(claims(sub=None)), "no sub (an API-key token)"),
        (hs(claims(sub="service_role")), "sub is not a user id"),
        (hs(claims(exp=None)), "no exp"),
        (jwt.encode(claims(), None, algorithm="none"), "alg none"),
        ("not.a.token", "garbage"),
        ("", "empty"),
        (jwt.encode(claims(), SECRET, algorithm="HS512"), "an algorithm outside the list"),
    ],
)
async def test_bad_tokens_are_unauthorized(token: str, why: str) -> None:
    with pytest.raises(Unauthorized):
        await JwtVerifier(SECRET, None).verify(token)


async def test_clock_skew_within_30_seconds_is_tolerated() -> None:
    verifier = JwtVerifier(SECRET, None)
    assert (await verifier.verify(hs(claims(exp=int(time.time()) - 10)))).user_id == USER
    assert (await verifier.verify(hs(claims(nbf=int(time.time()) + 10)))).user_id == USER


async def test_audience_may_be_a_list_and_issuer_is_checked_only_when_configured() -> None:
    token = hs(claims(aud=["other", "authenticated"], iss="https://elsewhere"))
    assert (await JwtVerifier(SECRET, None).verify(token)).user_id == USER
    with pytest.raises(Unauthorized):
        await JwtVerifier(SECRET, None, issuer="https://project.supabase.co/auth/v1").verify(token)
    good = hs(claims(iss="https://project.supabase.co/auth/v1"))
    verifier = JwtVerifier(SECRET, None, issuer="https://project.supabase.co/auth/v1")
    assert (await verifier.verify(good)).user_id == USER


async def test_issued_tokens_verify() -> None:
    token = Hs256TokenIssuer(SECRET, FakeClock()).issue(USER, email="a@b.c", ttl_seconds=60)
    assert token.expires_in == 60
    # The fake clock is in the past, so check the shape rather than the expiry.
    payload = jwt.decode(
        token.access_token,
        SECRET,
        algorithms=["HS256"],
        audience="authenticated",
        options={"verify_exp": False},
    )
    assert payload["sub"] == str(USER)
    assert payload["exp"] - payload["iat"] == 60
    clock = FakeClock()
    clock.at = datetime.now(UTC)
    fresh = Hs256TokenIssuer(SECRET, clock).issue(USER, email=None, ttl_seconds=60)
    assert (await JwtVerifier(SECRET, None).verify(fresh.access_token)).user_id == USER


async def test_rs256_and_es256_tokens_verify_against_the_jwks(jwks_server: JwksServer) -> None:
    rsa_private, rsa_public = rsa_key("r1")
    ec_private, ec_public = ec_key("e1")
    jwks_server.keys = [rsa_public, ec_public]
    async with httpx.AsyncClient() as client:
        keys = JwksKeySet(jwks_server.url, http_client=client, clock=FakeClock())
        await keys.load()
        verifier = JwtVerifier(None, keys)
        rs = jwt.encode(claims(), rsa_private, algorithm="RS256", headers={"kid": "r1"})
        es = jwt.encode(claims(), ec_private, algorithm="ES256", headers={"kid": "e1"})
        assert (await verifier.verify(rs)).user_id == USER
        assert (await verifier.verify(es)).user_id == USER
        # An RSA key named by an ES256 header is refused.
        wrong = jwt.encode(claims(), ec_private, algorithm="ES256", headers={"kid": "r1"})
        with pytest.raises(Unauthorized):
            await verifier.verify(wrong)


async def test_hs256_signed_with_the_public_key_is_refused(jwks_server: JwksServer) -> None:
    """Key confusion: an HS256 token whose 'secret' is the RSA public key."""
    private, public = rsa_key("r1")
    jwks_server.keys = [public]
    pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    async with httpx.AsyncClient() as client:
        keys = JwksKeySet(jwks_server.url, http_client=client, clock=FakeClock())
        await keys.load()

        def b64(data: bytes) -> str:
            return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

        signing_input = (
            b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "r1"}).encode())
            + "."
            + b64(json.dumps(claims()).encode())
        )
        signature = hmac.new(pem, signing_input.encode(), hashlib.sha256).digest()
        forged = f"{signing_input}.{b64(signature)}"
        with pytest.raises(Unauthorized):
            await JwtVerifier(None, keys).verify(forged)  # no secret: HS256 is not accepted
        with pytest.raises(Unauthorized):
            await JwtVerifier(SECRET, keys).verify(forged)  # with one, the signature is wrong


async def test_an_unknown_kid_refetches_at_most_once_a_minute(jwks_server: JwksServer) -> None:
    _, old_public = rsa_key("old")
    new_private, new_public = rsa_key("new")
    jwks_server.keys = [old_public]
    clock = FakeClock()
    async with httpx.AsyncClient() as client:
        keys = JwksKeySet(jwks_server.url, http_client=client, clock=clock)
        await keys.load()
        verifier = JwtVerifier(None, keys)
        assert jwks_server.hits == 1
        jwks_server.keys = [old_public, new_public]  # rotation
        rotated = jwt.encode(claims(), new_private, algorithm="RS256", headers={"kid": "new"})
        with pytest.raises(Unauthorized):  # fetched less than a minute ago: no refetch yet
            await verifier.verify(rotated)
        assert jwks_server.hits == 1
        clock.at += timedelta(seconds=61)
        assert (await verifier.verify(rotated)).user_id == USER
        assert jwks_server.hits == 2
        # A failed refetch keeps the keys we had.
        jwks_server.fail = True
        clock.at += timedelta(seconds=61)
        unknown = jwt.encode(claims(), new_private, algorithm="RS256", headers={"kid": "gone"})
        with pytest.raises(Unauthorized):
            await verifier.verify(unknown)
        assert jwks_server.hits == 3
        assert (await verifier.verify(rotated)).user_id == USER


async def test_keys_never_loaded_means_unavailable(jwks_server: JwksServer) -> None:
    private, _ = rsa_key("r1")
    jwks_server.fail = True
    async with httpx.AsyncClient() as client:
        keys = JwksKeySet(jwks_server.url, http_client=client, clock=FakeClock())
        await keys.load()
        token = jwt.encode(claims(), private, algorithm="RS256", headers={"kid": "r1"})
        with pytest.raises(DependencyUnavailable):
            await JwtVerifier(None, keys).verify(token)
