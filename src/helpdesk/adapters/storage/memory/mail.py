"""In-memory repositories of the e-mail channel (the reference the SQL adapters follow)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from uuid import UUID

from helpdesk.adapters.storage.memory.store import Transaction
from helpdesk.application.ports.storage.mail import DuplicateMessage
from helpdesk.domain.keyset import Position, newest_first_after
from helpdesk.domain.mail.records import (
    InboundOutcome,
    InboundRecord,
    OutboxMail,
    OutboxStatus,
    StoredAttachment,
)
from helpdesk.domain.people import Profile


class MemoryInboundRepository:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    async def record(self, record: InboundRecord) -> None:
        if record.message_id in self._tx.read("inbound"):
            raise DuplicateMessage(record.message_id)
        self._tx.write("inbound")[record.message_id] = record

    async def get(self, message_id: str) -> InboundRecord | None:
        record: InboundRecord | None = self._tx.read("inbound").get(message_id)
        return record

    async def kept(self, *, after: Position | None, limit: int) -> list[InboundRecord]:
        kept = {InboundOutcome.HELD, InboundOutcome.REFUSED}
        rows = [r for r in self._tx.read("inbound").values() if r.outcome in kept]
        return newest_first_after(rows, after)[:limit]

    async def counts(self) -> dict[InboundOutcome, int]:
        counts = dict.fromkeys(InboundOutcome, 0)
        for record in self._tx.read("inbound").values():
            counts[record.outcome] += 1
        return counts

    async def record_poll(self, at: datetime) -> None:
        self._tx.write("mail_state")["last_poll"] = at

    async def last_poll(self) -> datetime | None:
        at: datetime | None = self._tx.read("mail_state").get("last_poll")
        return at


class MemoryOutboxRepository:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    async def add(self, mail: OutboxMail) -> None:
        self._tx.write("outbox")[mail.id] = mail

    async def add_for_recipients(self, mails: list[OutboxMail]) -> None:
        profiles = self._tx.read("profiles")
        for mail in mails:
            profile: Profile | None = profiles.get(mail.user_id)
            if (
                profile is None
                or not profile.is_active
                or not profile.email
                or not profile.email_notifications
            ):
                continue
            self._tx.write("outbox")[mail.id] = replace(
                mail, to_address=profile.email, to_name=profile.full_name
            )

    async def get(self, mail_id: UUID) -> OutboxMail | None:
        mail: OutboxMail | None = self._tx.read("outbox").get(mail_id)
        return mail

    async def claim_due(
        self, now: datetime, *, lease_until: datetime, limit: int
    ) -> list[OutboxMail]:
        due = [
            m
            for m in self._tx.read("outbox").values()
            if m.status is OutboxStatus.PENDING and m.next_attempt_at <= now
        ]
        due.sort(key=lambda m: (m.next_attempt_at, m.created_at, m.id.int))
        claimed = due[:limit]
        rows = self._tx.write("outbox")
        for mail in claimed:
            rows[mail.id] = replace(mail, next_attempt_at=lease_until)
        return claimed

    def _change(self, mail_id: UUID, **values: object) -> None:
        rows = self._tx.write("outbox")
        if mail_id in rows:
            rows[mail_id] = replace(rows[mail_id], **values)

    async def mark_sent(self, mail_id: UUID, at: datetime) -> None:
        self._change(mail_id, status=OutboxStatus.SENT, sent_at=at, last_error="")

    async def mark_retry(
        self, mail_id: UUID, *, attempts: int, next_attempt_at: datetime, error: str
    ) -> None:
        self._change(mail_id, attempts=attempts, next_attempt_at=next_attempt_at, last_error=error)

    async def mark_failed(self, mail_id: UUID, *, attempts: int, error: str) -> None:
        self._change(mail_id, status=OutboxStatus.FAILED, attempts=attempts, last_error=error)

    async def counts(self) -> dict[OutboxStatus, int]:
        counts = dict.fromkeys(OutboxStatus, 0)
        for mail in self._tx.read("outbox").values():
            counts[mail.status] += 1
        return counts


class MemoryAttachmentRepository:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    async def add_all(self, attachments: list[StoredAttachment]) -> None:
        rows = self._tx.write("attachments")
        for attachment in attachments:
            rows[attachment.id] = attachment

    async def for_ticket(self, ticket_id: UUID) -> list[StoredAttachment]:
        rows = [a for a in self._tx.read("attachments").values() if a.ticket_id == ticket_id]
        return sorted(rows, key=lambda a: (a.created_at, a.id.int))
