"""Storage port: the unit of work that makes one use case one transaction."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from helpdesk.application.ports.storage.departments import DepartmentRepository
from helpdesk.application.ports.storage.mail import (
    AttachmentRepository,
    InboundRepository,
    OutboxRepository,
)
from helpdesk.application.ports.storage.notifications import NotificationRepository
from helpdesk.application.ports.storage.people import (
    AssignmentRepository,
    CredentialRepository,
    ProfileRepository,
)
from helpdesk.application.ports.storage.quick_actions import QuickActionRepository
from helpdesk.application.ports.storage.routing import RoutingThresholdRepository
from helpdesk.application.ports.storage.sla import SlaRepository
from helpdesk.application.ports.storage.stats import StatsRepository
from helpdesk.application.ports.storage.tickets import (
    AuditRepository,
    CommentRepository,
    IdempotencyRepository,
    TicketRepository,
)


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
    sla: SlaRepository
    inbound: InboundRepository
    outbox: OutboxRepository
    attachments: AttachmentRepository
    routing_thresholds: RoutingThresholdRepository

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self, *, read_only: bool = False) -> UnitOfWork:
        """A fresh unit of work. `read_only=True` for a use case (or a step) that only reads:
        it locks no rows and, on SQLite, does not take the write lock, so reads run beside a
        writer; it must not write."""
        ...
