"""Storage port: the e-mail channel: inbound message records, the outbox, kept attachments."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from helpdesk.domain.keyset import Position
from helpdesk.domain.mail.records import (
    InboundOutcome,
    InboundRecord,
    OutboxMail,
    OutboxStatus,
    StoredAttachment,
)


class DuplicateMessage(Exception):
    """A message with this Message-ID was recorded already (taken by an earlier pass)."""


class InboundRepository(Protocol):
    async def record(self, record: InboundRecord) -> None:
        """Insert; DuplicateMessage when its Message-ID is recorded already (a concurrent insert
        of the same id waits for the first transaction, then fails)."""
        ...

    async def get(self, message_id: str) -> InboundRecord | None: ...

    async def kept(self, *, after: Position | None, limit: int) -> list[InboundRecord]:
        """Held and refused messages, newest first (created_at desc, id desc), strictly after
        `after` (for an admin to read)."""
        ...

    async def counts(self) -> dict[InboundOutcome, int]:
        """Recorded messages per outcome (every outcome listed, zero when none)."""
        ...

    async def record_poll(self, at: datetime) -> None:
        """Remember when the mailbox was last read."""
        ...

    async def last_poll(self) -> datetime | None: ...


class OutboxRepository(Protocol):
    async def add(self, mail: OutboxMail) -> None:
        """Queue a mail with its address (a reply to a message)."""
        ...

    async def add_for_recipients(self, mails: list[OutboxMail]) -> None:
        """Queue notification mail: each to its `user_id`'s address and name, and only when that
        profile is active, has an address and has `email_notifications` on (the others are
        skipped)."""
        ...

    async def get(self, mail_id: UUID) -> OutboxMail | None: ...

    async def claim_due(
        self, now: datetime, *, lease_until: datetime, limit: int
    ) -> list[OutboxMail]:
        """Pending mail whose next attempt is due (at or before `now`), oldest first, at most
        `limit`; their next attempt moves to `lease_until`, so that another worker does not take
        them while this one sends."""
        ...

    async def mark_sent(self, mail_id: UUID, at: datetime) -> None: ...

    async def mark_retry(
        self, mail_id: UUID, *, attempts: int, next_attempt_at: datetime, error: str
    ) -> None: ...

    async def mark_failed(self, mail_id: UUID, *, attempts: int, error: str) -> None: ...

    async def counts(self) -> dict[OutboxStatus, int]:
        """Mail per status (every status listed, zero when none)."""
        ...


class AttachmentRepository(Protocol):
    async def add_all(self, attachments: list[StoredAttachment]) -> None: ...

    async def for_ticket(self, ticket_id: UUID) -> list[StoredAttachment]:
        """Oldest first (created_at, then id)."""
        ...
