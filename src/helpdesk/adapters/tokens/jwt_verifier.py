"""Supabase-compatible bearer tokens, verified locally with PyJWT.

The algorithm comes from an allow-list tied to the key source, never from the token header alone:
HS256 only with the shared secret, RS256/ES256 only with the JWKS key the token's `kid` names, and
only when that key was published for that algorithm. Every rejection is an `Unauthorized` with a
short message that is safe to show a client.
"""

from __future__ import annotations

import time
from typing import Any
from uuid import UUID

import jwt

from helpdesk.adapters.tokens.jwks import JwksKeySet
from helpdesk.application.ports.tokens import TokenClaims
from helpdesk.domain.errors import DependencyUnavailable, Unauthorized

SYMMETRIC = "HS256"
ASYMMETRIC = frozenset({"RS256", "ES256"})
LEEWAY_SECONDS = 30
# A verified token is remembered this long (never past its expiry), and at most this many.
REMEMBER_SECONDS = 60.0
REMEMBER_TOKENS = 10_000

# Most specific first: the first matching class names the reason given to the client.
_REASONS: tuple[tuple[type[jwt.PyJWTError], str], ...] = (
    (jwt.ExpiredSignatureError, "the token has expired"),
    (jwt.ImmatureSignatureError, "the token is not valid yet"),
    (jwt.InvalidAudienceError, "the token is for another audience"),
    (jwt.InvalidIssuerError, "the token is from another issuer"),
    (jwt.InvalidSignatureError, "the token's signature is not valid"),
    (jwt.DecodeError, "the token is malformed"),
)


class JwtVerifier:
    def __init__(
        self,
        hs256_secret: str | None,
        jwks: JwksKeySet | None,
        audience: str = "authenticated",
        issuer: str | None = None,
        leeway: int = LEEWAY_SECONDS,
    ) -> None:
        self._secret = hs256_secret or None  # an empty secret would accept tokens signed with ""
        # Public: the app's lifespan loads these keys at start and closes their HTTP client.
        self.jwks = jwks
        self._audience = audience
        self._issuer = issuer or None
        self._leeway = leeway
        # token → (until when it counts as verified, its claims)
        self._verified: dict[str, tuple[float, TokenClaims]] = {}

    async def verify(self, token: str) -> TokenClaims:
        """The token's claims. A token verified in the last `REMEMBER_SECONDS` (and not expired
        since) is not verified again: a client sends the same token with every request, and
        the signature check and JSON decoding were a large part of a short read's cost."""
        now = time.time()
        kept = self._verified.get(token)
        if kept is not None and now < kept[0]:
            return kept[1]
        claims, expires = await self._verify(token)
        if len(self._verified) >= REMEMBER_TOKENS:
            self._verified.clear()  # simplest bound: clients re-verify once
        self._verified[token] = (min(expires + self._leeway, now + REMEMBER_SECONDS), claims)
        return claims

    async def _verify(self, token: str) -> tuple[TokenClaims, float]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise Unauthorized("the token is malformed") from None
        algorithm = header.get("alg")
        if not isinstance(algorithm, str):  # the header is attacker-written JSON: any type at all
            raise Unauthorized("the token's algorithm is not accepted")
        key = await self._key_for(algorithm, header.get("kid"))
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                audience=self._audience,
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": ["exp", "sub", "aud"]},
            )
        except jwt.MissingRequiredClaimError as e:
            raise Unauthorized(f"the token has no {e.claim} claim") from None
        except jwt.PyJWTError as e:
            raise Unauthorized(_reason(e)) from None
        return _claims(claims), float(claims["exp"])

    async def _key_for(self, algorithm: str, kid: Any) -> Any:
        if algorithm == SYMMETRIC and self._secret is not None:
            return self._secret
        if algorithm in ASYMMETRIC and self.jwks is not None:
            return await self._public_key(algorithm, kid)
        raise Unauthorized("the token's algorithm is not accepted")

    async def _public_key(self, algorithm: str, kid: Any) -> Any:
        assert self.jwks is not None
        if not isinstance(kid, str) or not kid:
            raise Unauthorized("the token names no signing key")
        found = await self.jwks.key(kid)
        if found is None:
            if not self.jwks.loaded:
                raise DependencyUnavailable("signing keys are not available")
            raise Unauthorized("the token's signing key is unknown")
        # PyJWK's algorithm is the JWK's `alg`, or else follows from its kty and curve: an RSA key
        # cannot check ES256, nor a P-384 key ES256, whatever the header claims.
        if found.algorithm_name != algorithm:
            raise Unauthorized("the token's algorithm does not match its signing key")
        return found.key


def _reason(error: jwt.PyJWTError) -> str:
    for kind, reason in _REASONS:
        if isinstance(error, kind):
            return reason
    return "the token is not valid"


def _claims(claims: dict[str, Any]) -> TokenClaims:
    try:
        user_id = UUID(claims["sub"])
    except (KeyError, TypeError, ValueError):
        raise Unauthorized("the token's subject is not a user id") from None
    metadata = claims.get("user_metadata")
    name = metadata.get("full_name") if isinstance(metadata, dict) else None
    return TokenClaims(user_id=user_id, email=_text(claims.get("email")), full_name=_text(name))


def _text(value: Any) -> str | None:
    """A non-blank string, or None: Supabase sends "" for users without an email."""
    return value.strip() if isinstance(value, str) and value.strip() else None
