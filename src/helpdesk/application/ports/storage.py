"""Storage ports: repositories and the unit of work that makes one use case one transaction.

Every adapter (memory, SQLite, PostgreSQL) implements these and passes the same contract suite
(tests/adapters/storage). Adapters translate; filters, scopes and keyset positions arrive here
already decided by the application.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self
from uuid import UUID

from helpdesk.domain.assignment import AgentLoad
from helpdesk.domain.people import Department, Profile
from helpdesk.domain.permissions import TicketScope
from helpdesk.domain.records import AuditEntry, Comment, Notification, QuickAction
from helpdesk.domain.taxonomy import Category, Priority, Role, RoutingMode, TicketStatus
from helpdesk.domain.ticket import Ticket


class StaleVersion(Exception):
    """The row changed since it was read (optimistic concurrency); the use case maps it."""


class DuplicateIdempotencyKey(Exception):
    """Another request already claimed this submitter's idempotency key."""


class DuplicateKey(Exception):
    """A unique constraint (slug, email, …) refused the row."""


@dataclass(frozen=True, slots=True)
class Position:
    """A keyset position: the sort key of the last row of the previous page."""

    created_at: datetime
    id: UUID


@dataclass(frozen=True, slots=True)
class TicketFilter:
    """Conditions that all hold (None means "any")."""

    statuses: frozenset[TicketStatus] | None = None
    priority: Priority | None = None
    department_id: UUID | None = None
    assignee_id: UUID | None = None
    unassigned: bool = False
    routing_mode: RoutingMode | None = None
    overridden: bool | None = None
    category: Category | None = None
    text: str | None = None  # folded with domain.arabic.fold; matched as a substring
    created_after: datetime | None = None  # inclusive
    created_before: datetime | None = None  # exclusive


@dataclass(frozen=True, slots=True)
class IdempotencyRecord:
    submitter_id: UUID
    key: str
    request_hash: str
    ticket_id: UUID
    created_at: datetime


class TicketRepository(Protocol):
    async def add(self, ticket: Ticket) -> int:
        """Insert a new ticket; returns the number storage gave it (unique, increasing)."""
        ...

    async def get(self, ticket_id: UUID) -> Ticket | None: ...

    async def update(self, ticket: Ticket, *, expected_version: int) -> None:
        """Write `ticket` if the stored version is still `expected_version`, else StaleVersion."""
        ...

    async def search(
        self, scope: TicketScope, where: TicketFilter, after: Position | None, limit: int
    ) -> list[Ticket]:
        """Newest first (created_at desc, id desc), strictly after `after`."""
        ...

    async def active_assigned_to(self, agent_id: UUID) -> list[Ticket]:
        """The agent's tickets whose status is active (for releasing an agent), oldest first."""
        ...

    async def delete_all(self) -> int:
        """Delete every ticket with its comments, audit entries, notifications and idempotency
        keys (the dev reseed utility); returns how many tickets were deleted."""
        ...


class ProfileRepository(Protocol):
    async def get(self, user_id: UUID) -> Profile | None: ...

    async def get_by_email(self, email: str) -> Profile | None: ...

    async def add(self, profile: Profile) -> None:
        """Insert; DuplicateKey when the id or email is taken."""
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


class DepartmentRepository(Protocol):
    async def get(self, department_id: UUID) -> Department | None: ...

    async def all(self) -> list[Department]:
        """All departments, active or not, by slug."""
        ...

    async def add(self, department: Department) -> None:
        """Insert; DuplicateKey when the slug is taken."""
        ...

    async def update(self, department: Department) -> None: ...


class AssignmentRepository(Protocol):
    async def loads(self, department_id: UUID) -> list[AgentLoad]:
        """Serialize assignment choices for the department until the transaction ends, then
        return its agents (role agent) with their loads (tickets assigned to them whose status
        is active). The domain decides who is eligible."""
        ...

    async def load_of(self, agent_id: UUID) -> AgentLoad | None:
        """One profile with its load (None for an unknown id)."""
        ...

    async def mark_assigned(self, agent_id: UUID, at: datetime) -> None:
        """Record an assignment on the agent's profile (the policy's tie-break)."""
        ...


class CommentRepository(Protocol):
    async def add(self, comment: Comment) -> None: ...

    async def list(
        self, ticket_id: UUID, *, include_internal: bool, after: Position | None, limit: int
    ) -> list[Comment]:
        """Oldest first (created_at asc, id asc), strictly after `after`."""
        ...


class AuditRepository(Protocol):
    async def add_all(self, entries: list[AuditEntry]) -> None: ...

    async def for_ticket(
        self, ticket_id: UUID, *, after: Position | None, limit: int
    ) -> list[AuditEntry]:
        """Oldest first (created_at asc, id asc), strictly after `after`."""
        ...

    async def admin_actions(
        self, where: AdminAuditFilter, *, after: Position | None, limit: int
    ) -> list[AuditEntry]:
        """Entries with no ticket (users, departments, quick actions), oldest first."""
        ...


class NotificationRepository(Protocol):
    async def add_all(self, notifications: list[Notification]) -> None: ...

    async def for_user(
        self, user_id: UUID, *, unread_only: bool, after: Position | None, limit: int
    ) -> list[Notification]:
        """Newest first, strictly after `after`."""
        ...

    async def unread_count(self, user_id: UUID) -> int: ...

    async def mark_read(
        self, user_id: UUID, notification_id: UUID, at: datetime
    ) -> Notification | None:
        """Mark one of the user's notifications read (keeping an earlier `read_at`); None when
        the user has no such notification."""
        ...

    async def mark_all_read(self, user_id: UUID, at: datetime) -> int:
        """Mark every unread notification of the user read; returns how many."""
        ...

    async def delete_all(self) -> int: ...


class QuickActionRepository(Protocol):
    async def all(self) -> list[QuickAction]:
        """Ordered by position, then id."""
        ...

    async def get(self, action_id: UUID) -> QuickAction | None: ...

    async def add(self, action: QuickAction) -> None: ...

    async def update(self, action: QuickAction) -> None: ...

    async def delete(self, action_id: UUID) -> bool: ...

    async def replace_all(self, actions: list[QuickAction]) -> None:
        """Delete every quick action and insert these (the dev reseed utility)."""
        ...


class CredentialRepository(Protocol):
    """Password hashes of the local identity provider (unused with Supabase Auth)."""

    async def add(self, credential: Credential) -> None:
        """Insert; DuplicateKey when the email or user id is taken."""
        ...

    async def get_by_email(self, email: str) -> Credential | None:
        """Case-insensitive."""
        ...

    async def get(self, user_id: UUID) -> Credential | None: ...

    async def update(self, credential: Credential) -> None: ...


@dataclass(frozen=True, slots=True)
class Credential:
    user_id: UUID
    email: str
    password_hash: str
    disabled: bool = False


@dataclass(frozen=True, slots=True)
class StatsWindow:
    """Which tickets a report covers: one department (agents) or all, and a created_at range."""

    department_id: UUID | None = None
    created_from: datetime | None = None  # inclusive
    created_to: datetime | None = None  # exclusive


@dataclass(frozen=True, slots=True)
class ModeCounts:
    total: int
    auto: int
    suggested: int
    manual: int
    overridden: int


@dataclass(frozen=True, slots=True)
class DepartmentOverrides:
    department_id: UUID
    name: str
    total: int
    overridden: int


@dataclass(frozen=True, slots=True)
class AgentWorkload:
    agent_id: UUID
    full_name: str
    department_id: UUID | None
    open: int
    in_progress: int
    waiting: int


class StatsRepository(Protocol):
    """Reports computed by the database, each in one query (memory: its own equivalent)."""

    async def routing_modes(self, window: StatsWindow) -> ModeCounts:
        """Counts by the router's own decision (`router_mode`), and overridden tickets."""
        ...

    async def confidence_histogram(self, window: StatsWindow, bins: int) -> tuple[list[int], int]:
        """Counts per bin of `routing_confidence` (c rounded to 6 decimals falls in bin
        min(floor(c × bins), bins − 1)), and the count of tickets without a confidence."""
        ...

    async def taxonomy(self, window: StatsWindow) -> tuple[dict[Category, int], int]:
        """Tickets per classified category (categories with none left out), and unclassified."""
        ...

    async def override_rate(self, window: StatsWindow) -> list[DepartmentOverrides]:
        """Per current department (every department, zero when empty), by name."""
        ...

    async def agent_workload(self, department_id: UUID | None) -> list[AgentWorkload]:
        """Active tickets per status for every active agent (of the department), by name."""
        ...


@dataclass(frozen=True, slots=True)
class AdminAuditFilter:
    entity_type: str | None = None
    entity_id: UUID | None = None
    actor_id: UUID | None = None
    created_from: datetime | None = None  # inclusive
    created_to: datetime | None = None  # exclusive


class IdempotencyRepository(Protocol):
    async def get(
        self, submitter_id: UUID, key: str, *, since: datetime
    ) -> IdempotencyRecord | None:
        """The record for this key if it was made at or after `since` (keys last 24 hours)."""
        ...

    async def claim(self, record: IdempotencyRecord, *, since: datetime) -> None:
        """Store the key, replacing a record older than `since`; DuplicateIdempotencyKey when
        a live record holds it. A concurrent claim of the same key waits for the first
        transaction to end."""
        ...


class UnitOfWork(Protocol):
    """One transaction. Nothing is visible to others before `commit`; leaving the block
    without committing rolls everything back."""

    tickets: TicketRepository
    profiles: ProfileRepository
    departments: DepartmentRepository
    assignment: AssignmentRepository
    comments: CommentRepository
    audit: AuditRepository
    notifications: NotificationRepository
    idempotency: IdempotencyRepository
    quick_actions: QuickActionRepository
    credentials: CredentialRepository
    stats: StatsRepository

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
