"""Supabase-compatible bearer tokens, verified locally with PyJWT.

The algorithm comes from an allow-list tied to the key source, never from the token header:
HS256 only with the shared secret, RS256/ES256 only with a JWKS key of the matching type.
"""

from __future__ import annotations

import logging
from typing import Any
from uuid import UUID

import jwt

from helpdesk.adapters.tokens.jwks import JwksKeySet
from helpdesk.application.ports.tokens import TokenClaims
from helpdesk.domain.errors import DependencyUnavailable, Unauthorized

log = logging.getLogger("helpdesk.tokens")
ASYMMETRIC = {"RS256": "RSA", "ES256": "EC"}
LEEWAY_SECONDS = 30


class JwtVerifier:
    def __init__(
        self,
        hs256_secret: str | None,
        jwks: JwksKeySet | None,
        *,
        audience: str = "authenticated",
        issuer: str | None = None,
        leeway: int = LEEWAY_SECONDS,
    ) -> None:
        self._secret = hs256_secret
        self.jwks = jwks
        self._audience = audience
        self._issuer = issuer
        self._leeway = leeway

    async def verify(self, token: str) -> TokenClaims:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise Unauthorized("the token is malformed") from None
        algorithm = header.get("alg")
        key: Any
        if algorithm == "HS256" and self._secret:
            key = self._secret
        elif algorithm in ASYMMETRIC and self.jwks is not None:
            key = await self._public_key(header, algorithm)
        else:
            raise Unauthorized("the token's algorithm is not accepted")
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                audience=self._audience,
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": ["exp", "sub"], "verify_iss": self._issuer is not None},
            )
        except jwt.ExpiredSignatureError:
            raise Unauthorized("the token has expired") from None
        except jwt.PyJWTError as e:
            raise Unauthorized(f"the token is not valid ({type(e).__name__})") from None
        return _claims(claims)

    async def _public_key(self, header: dict[str, Any], algorithm: str) -> Any:
        assert self.jwks is not None
        kid = header.get("kid")
        if not isinstance(kid, str):
            raise Unauthorized("the token names no signing key")
        found = await self.jwks.key(kid)
        if found is None:
            if not self.jwks.loaded:
                raise DependencyUnavailable("signing keys are not available")
            raise Unauthorized("the token's signing key is unknown")
        if found.key_type != ASYMMETRIC[algorithm]:
            raise Unauthorized("the token's algorithm does not match its key")
        return found.key


def _claims(claims: dict[str, Any]) -> TokenClaims:
    try:
        user_id = UUID(str(claims["sub"]))
    except (KeyError, ValueError):
        raise Unauthorized("the token's subject is not a user id") from None
    metadata = claims.get("user_metadata")
    name = metadata.get("full_name") if isinstance(metadata, dict) else None
    email = claims.get("email")
    return TokenClaims(
        user_id=user_id,
        email=email if isinstance(email, str) and email else None,
        full_name=name if isinstance(name, str) and name else None,
    )
