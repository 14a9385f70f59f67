"""SQL repositories of the e-mail channel: inbound message records, the outbox, attachments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, func, insert, select, union_all, update
from sqlalchemy.sql.dml import UpdateBase

from helpdesk.adapters.storage.sql import rows
from helpdesk.adapters.storage.sql.repositories import _after, _Repository
from helpdesk.adapters.storage.sql.tables import (
    inbound_messages,
    mail_outbox,
    mail_state,
    profiles,
    ticket_attachments,
)
from helpdesk.application.ports.storage.mail import DuplicateMessage
from helpdesk.domain.keyset import Position
from helpdesk.domain.mail.records import (
    InboundOutcome,
    InboundRecord,
    OutboxMail,
    OutboxStatus,
    StoredAttachment,
)

KEPT = (str(InboundOutcome.HELD), str(InboundOutcome.REFUSED))
LAST_POLL = "last_poll"


class SqlInboundRepository(_Repository):
    async def record(self, record: InboundRecord) -> None:
        if not await self._insert_new(inbound_messages, rows.inbound_values(record)):
            raise DuplicateMessage(record.message_id)

    async def get(self, message_id: str) -> InboundRecord | None:
        query = select(inbound_messages).where(inbound_messages.c.message_id == message_id)
        row = (await self._conn.execute(query)).first()
        return rows.inbound_from(row._mapping) if row else None

    async def kept(self, *, after: Position | None, limit: int) -> list[InboundRecord]:
        c = inbound_messages.c
        query = (
            select(inbound_messages)
            .where(c.outcome.in_(KEPT), _after(inbound_messages, after, newest_first=True))
            .order_by(c.created_at.desc(), c.id.desc())
            .limit(limit)
        )
        return [rows.inbound_from(r._mapping) for r in await self._conn.execute(query)]

    async def counts(self) -> dict[InboundOutcome, int]:
        c = inbound_messages.c
        query = select(c.outcome, func.count()).group_by(c.outcome)
        counts = dict.fromkeys(InboundOutcome, 0)
        for outcome, count in await self._conn.execute(query):
            counts[InboundOutcome(outcome)] = int(count)
        return counts

    async def record_poll(self, at: datetime) -> None:
        upsert = self._dialect_insert(mail_state).values(name=LAST_POLL, at=at)
        await self._conn.execute(
            upsert.on_conflict_do_update(index_elements=["name"], set_={"at": at})
        )

    async def last_poll(self) -> datetime | None:
        query = select(mail_state.c.at).where(mail_state.c.name == LAST_POLL)
        at: datetime | None = (await self._conn.execute(query)).scalar_one_or_none()
        return at


@dataclass(frozen=True)
class _OutboxForRecipients:
    """The outbox rows of `count` mails, each addressed from its recipient's profile (built
    once per count: building it anew for every ticket cost more than running it)."""

    count: int

    def build(self, prefix: str) -> UpdateBase:
        columns = [c.name for c in mail_outbox.columns]
        p = profiles.c
        selects = []
        for i in range(self.count):

            def bound(name: str, i: int = i) -> Any:
                return bindparam(f"{prefix}m{i}_{name}", type_=mail_outbox.c[name].type)

            picked = [
                p.email.label(name)
                if name == "to_address"
                else p.full_name.label(name)
                if name == "to_name"
                else bound(name).label(name)
                for name in columns
            ]
            selects.append(
                select(*picked).where(
                    p.id == bound("user_id"),
                    p.is_active.is_(True),
                    p.email_notifications.is_(True),
                    p.email != "",
                )
            )
        source = selects[0] if len(selects) == 1 else union_all(*selects)
        return insert(mail_outbox).from_select(columns, source)


class SqlOutboxRepository(_Repository):
    async def add(self, mail: OutboxMail) -> None:
        await self._conn.execute(insert(mail_outbox).values(rows.outbox_values(mail)))

    async def add_for_recipients(self, mails: list[OutboxMail]) -> None:
        """One INSERT … SELECT: each mail takes its recipient's address and name from the
        profile, and a profile that may not be mailed yields no row."""
        if not mails:
            return
        values: dict[str, Any] = {}
        for i, mail in enumerate(mails):
            row = rows.outbox_values(mail)
            del row["to_address"], row["to_name"]  # the profile's, at the moment of insert
            values |= {f"m{i}_{k}": v for k, v in row.items()}
        await self._conn.write(_OutboxForRecipients(len(mails)), values)

    async def get(self, mail_id: UUID) -> OutboxMail | None:
        row = (
            await self._conn.execute(select(mail_outbox).where(mail_outbox.c.id == mail_id))
        ).first()
        return rows.outbox_from(row._mapping) if row else None

    async def claim_due(
        self, now: datetime, *, lease_until: datetime, limit: int
    ) -> list[OutboxMail]:
        c = mail_outbox.c
        # On PostgreSQL, rows another worker is claiming are skipped rather than waited for;
        # SQLite's write transactions are serialized already.
        query = (
            select(mail_outbox)
            .where(c.status == str(OutboxStatus.PENDING), c.next_attempt_at <= now)
            .order_by(c.next_attempt_at, c.created_at, c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        claimed = [rows.outbox_from(r._mapping) for r in await self._conn.execute(query)]
        if claimed:
            await self._conn.execute(
                update(mail_outbox)
                .where(c.id.in_([m.id for m in claimed]))
                .values(next_attempt_at=lease_until)
            )
        return claimed

    async def _change(self, mail_id: UUID, **values: Any) -> None:
        await self._conn.execute(
            update(mail_outbox).where(mail_outbox.c.id == mail_id).values(**values)
        )

    async def mark_sent(self, mail_id: UUID, at: datetime) -> None:
        await self._change(mail_id, status=str(OutboxStatus.SENT), sent_at=at, last_error="")

    async def mark_retry(
        self, mail_id: UUID, *, attempts: int, next_attempt_at: datetime, error: str
    ) -> None:
        await self._change(
            mail_id, attempts=attempts, next_attempt_at=next_attempt_at, last_error=error
        )

    async def mark_failed(self, mail_id: UUID, *, attempts: int, error: str) -> None:
        await self._change(
            mail_id, status=str(OutboxStatus.FAILED), attempts=attempts, last_error=error
        )

    async def counts(self) -> dict[OutboxStatus, int]:
        c = mail_outbox.c
        counts = dict.fromkeys(OutboxStatus, 0)
        for status, count in await self._conn.execute(
            select(c.status, func.count()).group_by(c.status)
        ):
            counts[OutboxStatus(status)] = int(count)
        return counts


class SqlAttachmentRepository(_Repository):
    async def add_all(self, attachments: list[StoredAttachment]) -> None:
        if attachments:
            await self._conn.execute(
                insert(ticket_attachments), [rows.attachment_values(a) for a in attachments]
            )

    async def for_ticket(self, ticket_id: UUID) -> list[StoredAttachment]:
        c = ticket_attachments.c
        query = (
            select(ticket_attachments).where(c.ticket_id == ticket_id).order_by(c.created_at, c.id)
        )
        return [rows.attachment_from(r._mapping) for r in await self._conn.execute(query)]
