"""Bearer tokens: verified locally (no network call per request), and issued for local logins."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID


@dataclass(frozen=True, slots=True)
class TokenClaims:
    """What the helpdesk takes from a verified token; the role never comes from here."""

    user_id: UUID
    email: str | None = None
    full_name: str | None = None


class TokenVerifier(Protocol):
    async def verify(self, token: str) -> TokenClaims:
        """Return the claims of a valid token.

        Raises `Unauthorized` for any invalid token, `DependencyUnavailable` when the keys
        needed to check it were never loaded.
        """
        ...


@dataclass(frozen=True, slots=True)
class IssuedToken:
    access_token: str
    expires_in: int  # whole seconds


class TokenIssuer(Protocol):
    def issue(self, user_id: UUID, *, email: str | None, ttl_seconds: int) -> IssuedToken: ...
