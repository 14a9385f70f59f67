"""The identity provider: where logins live (local Argon2 store, or Supabase Auth)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID


@dataclass(frozen=True, slots=True)
class NewIdentity:
    email: str
    full_name: str
    password: str | None = None
    user_id: UUID | None = None  # a fixed id (CLI --id); the provider picks one otherwise


class IdentityProvider(Protocol):
    async def create(self, identity: NewIdentity) -> UUID:
        """Create the login and return its user id. Raises Conflict for a taken email,
        DependencyUnavailable when the provider cannot be reached."""
        ...

    async def disable(self, user_id: UUID) -> None:
        """Stop the identity from logging in (soft delete of a user)."""
        ...

    async def authenticate(self, email: str, password: str) -> UUID | None:
        """The user id for a right email/password pair; None otherwise (local provider only)."""
        ...

    @property
    def supports_password_login(self) -> bool: ...
