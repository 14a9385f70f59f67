"""Storage port: profiles, their logins (local identity) and their assignment loads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from helpdesk.domain.assignment import AgentLoad
from helpdesk.domain.keyset import Position
from helpdesk.domain.people import Profile
from helpdesk.domain.taxonomy import Role


class ProfileRepository(Protocol):
    async def get(self, user_id: UUID) -> Profile | None: ...

    async def get_by_email(self, email: str) -> Profile | None:
        """Exact match on the normalized address (`domain.users.normalize_email`); never a
        profile for the empty address (tokens without one)."""
        ...

    async def add(self, profile: Profile) -> None:
        """Insert; DuplicateKey when the id or (non-empty) email is taken."""
        ...

    async def update(self, profile: Profile) -> None: ...

    async def active_agents(self, department_id: UUID) -> list[Profile]:
        """Profiles with role agent, is_active, in the department (available or not)."""
        ...

    async def active_admins(self) -> list[Profile]: ...

    async def search(
        self,
        *,
        role: Role | None,
        department_id: UUID | None,
        text: str | None,
        after: Position | None,
        limit: int,
    ) -> list[Profile]:
        """Newest first (created_at desc, id desc). `text` matches email or full name,
        case-insensitively, as a substring."""
        ...


class ProfileCache(Protocol):
    """Recent callers' profiles, kept a short while so that a request need not read its
    caller's profile in a transaction of its own. The storage forgets a profile when a
    transaction that wrote it commits (in every worker where it can tell them)."""

    def get(self, user_id: UUID) -> Profile | None:
        """The kept profile, or None when there is none fresh enough."""
        ...

    def version(self) -> int:
        """Changes whenever a profile is forgotten; read it before loading one to `put`."""
        ...

    def put(self, profile: Profile, version: int) -> None:
        """Keep `profile`, unless a profile was forgotten since `version` was read (what was
        loaded may already be stale)."""
        ...


class AssignmentRepository(Protocol):
    async def loads(self, department_id: UUID, *, at: datetime | None = None) -> list[AgentLoad]:
        """Serialize assignment choices for the department until the transaction ends, then
        return its agents (role agent) with their loads (tickets assigned to them whose status
        is active) and, given `at`, how many of those are at risk of missing their service
        level at that instant (else 0). The domain decides who is eligible."""
        ...

    async def load_of(self, agent_id: UUID) -> AgentLoad | None:
        """One profile with its load (None for an unknown id)."""
        ...

    async def mark_assigned(self, agent_id: UUID, at: datetime) -> None:
        """Record an assignment on the agent's profile (the policy's tie-break)."""
        ...


class CredentialRepository(Protocol):
    """Password hashes of the local identity provider (unused with Supabase Auth)."""

    async def add(self, credential: Credential) -> None:
        """Insert; DuplicateKey when the email or user id is taken."""
        ...

    async def get_by_email(self, email: str) -> Credential | None:
        """Exact match on the normalized address (`domain.users.normalize_email`)."""
        ...

    async def get(self, user_id: UUID) -> Credential | None: ...

    async def update(self, credential: Credential) -> None: ...

    async def count_failure(self, user_id: UUID) -> int:
        """Add one to the consecutive wrong passwords, atomically; returns the new count."""
        ...


@dataclass(frozen=True, slots=True)
class Credential:
    user_id: UUID
    email: str
    password_hash: str
    disabled: bool = False
    failed_logins: int = 0  # consecutive wrong passwords
    locked_until: datetime | None = None
