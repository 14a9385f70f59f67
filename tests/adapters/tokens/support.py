"""Keys, tokens, a pinned clock and a real JWKS server for the token tests."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

# 64 bytes: PyJWT warns about shorter HMAC keys for the HS512 case.
SECRET = "a-test-secret-that-is-long-enough-for-every-hmac-0123456789abcdef"
USER = uuid.UUID("6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b")


class FakeClock:
    def __init__(self) -> None:
        self.at = datetime(2026, 1, 1, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at


class JwksServer:
    """A real HTTP server on 127.0.0.1 whose key set a test can change and whose hits it counts."""

    def __init__(self) -> None:
        self.keys: list[dict[str, Any]] = []
        self.body: bytes | None = None  # when set, served instead of the key set
        self.status = 200
        self.delay = 0.0
        self.hits = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.hits += 1
                time.sleep(outer.delay)
                body = outer.body
                if body is None:
                    body = json.dumps({"keys": outer.keys}).encode()
                self.send_response(outer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/auth/v1/.well-known/jwks.json"
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)


def rsa_key(kid: str, alg: str | None = "RS256") -> tuple[rsa.RSAPrivateKey, dict[str, Any]]:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(RSAAlgorithm.to_jwk(private.public_key()))
    return private, _published(public, kid, alg)


def ec_key(
    kid: str, alg: str | None = "ES256", curve: ec.EllipticCurve | None = None
) -> tuple[ec.EllipticCurvePrivateKey, dict[str, Any]]:
    private = ec.generate_private_key(curve or ec.SECP256R1())
    public = json.loads(ECAlgorithm.to_jwk(private.public_key()))
    return private, _published(public, kid, alg)


def _published(public: dict[str, Any], kid: str, alg: str | None) -> dict[str, Any]:
    jwk = {**public, "kid": kid, "use": "sig"}
    if alg is not None:
        jwk["alg"] = alg
    return jwk


def claims(**overrides: Any) -> dict[str, Any]:
    """Supabase-like claims; an override of None drops the claim."""
    now = int(time.time())
    base: dict[str, Any] = {
        "sub": str(USER),
        "aud": "authenticated",
        "iat": now,
        "exp": now + 600,
        "role": "authenticated",
        "email": "user@example.com",
        "user_metadata": {"full_name": "مستخدم تجريبي"},
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def hs(payload: dict[str, Any], secret: str = SECRET) -> str:
    return jwt.encode(payload, secret, algorithm="HS256")


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned(header: dict[str, Any], payload: dict[str, Any], signature: bytes = b"") -> str:
    """A token built by hand, for headers PyJWT would not write."""
    return f"{_signing_input(header, payload)}.{b64(signature)}"


def signed_as(header: dict[str, Any], payload: dict[str, Any], algorithm: str, key: Any) -> str:
    """Signed with `algorithm` whatever the header says, for tokens that lie about their alg."""
    signing_input = _signing_input(header, payload)
    signature = jwt.get_algorithm_by_name(algorithm).sign(signing_input.encode(), key)
    return f"{signing_input}.{b64(signature)}"


def hmac_signed(header: dict[str, Any], payload: dict[str, Any], secret: bytes) -> str:
    """HS256 by hand: PyJWT refuses a PEM as an HMAC secret, an attacker does not."""
    signing_input = _signing_input(header, payload)
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(signature)}"


def _signing_input(header: dict[str, Any], payload: dict[str, Any]) -> str:
    return f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}"
