"""The in-memory unit of work: all or nothing, and nothing visible before commit."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from types import TracebackType
from typing import Self

from helpdesk.adapters.storage.job_locks import ProcessJobLocks
from helpdesk.adapters.storage.memory.mail import (
    MemoryAttachmentRepository,
    MemoryInboundRepository,
    MemoryOutboxRepository,
)
from helpdesk.adapters.storage.memory.repositories import (
    MemoryAssignmentRepository,
    MemoryAuditRepository,
    MemoryCommentRepository,
    MemoryCredentialRepository,
    MemoryDepartmentRepository,
    MemoryIdempotencyRepository,
    MemoryNotificationRepository,
    MemoryProfileRepository,
    MemoryQuickActionRepository,
    MemoryRoutingThresholdRepository,
    MemoryTicketRepository,
)
from helpdesk.adapters.storage.memory.sla import MemorySlaRepository
from helpdesk.adapters.storage.memory.stats import MemoryStatsRepository
from helpdesk.adapters.storage.memory.store import MemoryStore, Transaction


class MemoryUnitOfWork:
    tickets: MemoryTicketRepository
    profiles: MemoryProfileRepository
    departments: MemoryDepartmentRepository
    assignment: MemoryAssignmentRepository
    comments: MemoryCommentRepository
    audit: MemoryAuditRepository
    notifications: MemoryNotificationRepository
    idempotency: MemoryIdempotencyRepository
    quick_actions: MemoryQuickActionRepository
    credentials: MemoryCredentialRepository
    stats: MemoryStatsRepository
    sla: MemorySlaRepository
    inbound: MemoryInboundRepository
    outbox: MemoryOutboxRepository
    attachments: MemoryAttachmentRepository
    routing_thresholds: MemoryRoutingThresholdRepository

    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    async def __aenter__(self) -> Self:
        await self._store.lock.acquire()
        self._tx = tx = Transaction(self._store)
        self.tickets = MemoryTicketRepository(tx)
        self.profiles = MemoryProfileRepository(tx)
        self.departments = MemoryDepartmentRepository(tx)
        self.assignment = MemoryAssignmentRepository(tx)
        self.comments = MemoryCommentRepository(tx)
        self.audit = MemoryAuditRepository(tx)
        self.notifications = MemoryNotificationRepository(tx)
        self.idempotency = MemoryIdempotencyRepository(tx)
        self.quick_actions = MemoryQuickActionRepository(tx)
        self.credentials = MemoryCredentialRepository(tx)
        self.stats = MemoryStatsRepository(tx)
        self.sla = MemorySlaRepository(tx)
        self.inbound = MemoryInboundRepository(tx)
        self.outbox = MemoryOutboxRepository(tx)
        self.attachments = MemoryAttachmentRepository(tx)
        self.routing_thresholds = MemoryRoutingThresholdRepository(tx)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Whatever was not committed is dropped with the transaction object.
        self._store.lock.release()

    async def commit(self) -> None:
        self._tx.commit()


class MemoryStorage:
    """The adapter's entry: one store, a fresh unit of work per use case."""

    def __init__(self) -> None:
        self.store = MemoryStore()
        self._job_locks = ProcessJobLocks()

    def exclusive(self, name: str) -> AbstractAsyncContextManager[bool]:
        """The periodic job `name`'s lock (`JobLocks`): memory lives in one process."""
        return self._job_locks.exclusive(name)

    def unit_of_work(self, *, read_only: bool = False) -> MemoryUnitOfWork:
        """One writer at a time, readers included: memory has no snapshots to read from."""
        return MemoryUnitOfWork(self.store)

    async def ping(self) -> None:
        """Memory is always up."""
