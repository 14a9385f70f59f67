"""HS256 tokens for the local login and `helpdesk token`, shaped like Supabase's so that the one
verifier accepts both."""

from __future__ import annotations

from uuid import UUID

import jwt

from helpdesk.application.ports.clock import Clock
from helpdesk.application.ports.tokens import IssuedToken


class Hs256TokenIssuer:
    def __init__(
        self,
        secret: str,
        clock: Clock,
        audience: str = "authenticated",
        issuer: str | None = None,
    ) -> None:
        if not secret:
            raise ValueError("an HS256 issuer needs a secret")
        self._secret = secret
        self._clock = clock
        self._audience = audience
        self._issuer = issuer or None

    def issue(self, user_id: UUID, *, email: str | None, ttl_seconds: int) -> IssuedToken:
        if ttl_seconds <= 0:
            raise ValueError("a token's lifetime must be positive")
        now = int(self._clock.now().timestamp())
        claims: dict[str, object] = {
            "sub": str(user_id),
            "aud": self._audience,
            "iat": now,
            "exp": now + ttl_seconds,
            "role": "authenticated",  # the Postgres role, as Supabase sets it; not a helpdesk role
        }
        if email:
            claims["email"] = email
        if self._issuer:
            claims["iss"] = self._issuer
        return IssuedToken(jwt.encode(claims, self._secret, algorithm="HS256"), ttl_seconds)

    def __repr__(self) -> str:  # never print the secret
        return f"Hs256TokenIssuer(audience={self._audience!r}, issuer={self._issuer!r})"
