"""Identities: where logins live.

With the local identity, logins are credentials in the helpdesk's own database (written through
the unit of work, in the same transaction as the profile) and passwords are hashed by a
`PasswordHasher`. With Supabase Auth, an `IdentityProvider` manages them in that second system;
the use cases order the two writes and compensate in one place (users/create.py).
"""

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
    """An external identity system (Supabase Auth)."""

    async def create(self, identity: NewIdentity) -> UUID:
        """Create the login and return its user id. Raises Conflict for a taken email,
        DependencyUnavailable when the provider cannot be reached."""
        ...

    async def delete(self, user_id: UUID) -> None:
        """Undo `create` (the profile could not be written); an unknown id is no error."""
        ...

    async def disable(self, user_id: UUID) -> None:
        """Stop the identity from logging in (soft delete of a user)."""
        ...


class PasswordHasher(Protocol):
    """Slow by design (Argon2): implementations run off the event loop, a few at a time."""

    async def hash(self, password: str) -> str: ...

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """False for a wrong password; with no hash (unknown e-mail) it still takes as long,
        so that a wrong e-mail cannot be told from a wrong password by timing."""
        ...
