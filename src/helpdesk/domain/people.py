"""Profiles (helpdesk users) and the caller of a request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from helpdesk.domain.taxonomy import Role


@dataclass(slots=True)
class Profile:
    id: UUID
    email: str
    full_name: str
    role: Role
    department_id: UUID | None
    is_active: bool
    is_available: bool
    max_open_tickets: int | None
    created_at: datetime
    # Any assignment (automatic, manual, override, release) updates it; ties in the
    # assignment policy go to the agent whose last assignment is oldest.
    last_assigned_at: datetime | None = None
    email_notifications: bool = True  # notifications also by e-mail (the person may opt out)


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is calling: a profile, or a valid token with no profile yet (an end user)."""

    id: UUID
    role: Role
    department_id: UUID | None = None
    is_active: bool = True
    email: str | None = None
    full_name: str | None = None
    has_profile: bool = True

    @property
    def is_system(self) -> bool:
        """The command line and the demo seeding act as the system (the nil UUID)."""
        return self.id.int == 0

    def end_user_profile(self, now: datetime) -> Profile:
        """The profile a caller without one gets: an active end user, named as the token says."""
        return Profile(
            id=self.id,
            email=self.email or "",
            full_name=self.full_name or "",
            role=Role.END_USER,
            department_id=None,
            is_active=True,
            is_available=True,
            max_open_tickets=None,
            created_at=now,
        )

    @classmethod
    def of(cls, profile: Profile) -> Actor:
        return cls(
            id=profile.id,
            role=profile.role,
            department_id=profile.department_id,
            is_active=profile.is_active,
            email=profile.email,
            full_name=profile.full_name,
        )


# The command line, the demo seeding and the service's own actions act as this administrator;
# its actions are audited without an actor id.
SYSTEM = Actor(id=UUID(int=0), role=Role.ADMIN, email="system@helpdesk.local")
