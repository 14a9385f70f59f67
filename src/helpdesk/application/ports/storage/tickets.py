"""Storage port: the ticket aggregate: tickets, their comments, audit trail and idempotency keys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, Protocol
from uuid import UUID

from helpdesk.domain.keyset import Position
from helpdesk.domain.permissions import TicketScope
from helpdesk.domain.records import AuditEntry, Comment
from helpdesk.domain.taxonomy import Category, Priority, RoutingMode, TicketStatus
from helpdesk.domain.ticket import Ticket


class StaleVersion(Exception):
    """The row changed since it was read (optimistic concurrency); the use case maps it."""


class DuplicateIdempotencyKey(Exception):
    """Another request already claimed this submitter's idempotency key."""


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
    # The SLA state at `sla_at` (the request's instant): at risk, or breached.
    sla: Literal["at_risk", "breached"] | None = None
    sla_at: datetime | None = None


# `created`: newest first (created_at desc, id desc). `resolution_due`: soonest resolution due
# time first (then id), tickets without one last; the keyset position then carries the due
# time (FAR_FUTURE for none) in its `created_at`.
TicketOrder = Literal["created", "resolution_due"]
FAR_FUTURE = datetime(9999, 12, 31, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class LabelledText:
    """A ticket's text and the category a human gave it (for training)."""

    title: str
    description: str
    category: Category


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

    async def get_by_number(self, number: int) -> Ticket | None:
        """The ticket with this number (a reply by e-mail names it), read like `get`."""
        ...

    async def update(self, ticket: Ticket, *, expected_version: int) -> None:
        """Write `ticket` if the stored version is still `expected_version`, else StaleVersion."""
        ...

    async def search(
        self,
        scope: TicketScope,
        where: TicketFilter,
        after: Position | None,
        limit: int,
        *,
        order: TicketOrder = "created",
    ) -> list[Ticket]:
        """In `order` (newest first by default), strictly after `after`."""
        ...

    async def active_assigned_to(self, agent_id: UUID) -> list[Ticket]:
        """The agent's tickets whose status is active (for releasing an agent), oldest first."""
        ...

    async def human_labelled(self) -> list[LabelledText]:
        """Every ticket with a human category, oldest first (created_at, id)."""
        ...

    async def delete_all(self) -> int:
        """Delete every ticket with its comments, audit entries, notifications and idempotency
        keys (the dev reseed utility); returns how many tickets were deleted."""
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
