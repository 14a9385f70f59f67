"""HTTP shapes (msgspec Structs): the e-mail channel's status."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec

from helpdesk.domain.mail.records import InboundOutcome, InboundRecord, MailCounts


class MailStatusOut(msgspec.Struct):
    last_poll_at: datetime | None
    taken: int
    tickets: int
    comments: int
    held: int
    refused: int
    ignored: int
    outbox_pending: int
    outbox_failed: int


def mail_status_out(c: MailCounts) -> MailStatusOut:
    return MailStatusOut(
        last_poll_at=c.last_poll_at,
        taken=c.taken,
        tickets=c.tickets,
        comments=c.comments,
        held=c.held,
        refused=c.refused,
        ignored=c.ignored,
        outbox_pending=c.outbox_pending,
        outbox_failed=c.outbox_failed,
    )


class HeldMailOut(msgspec.Struct):
    id: UUID
    message_id: str
    outcome: InboundOutcome  # held or refused
    sender_address: str
    subject: str
    reason: str
    body: str
    created_at: datetime


class HeldMailList(msgspec.Struct):
    items: list[HeldMailOut]
    next_cursor: str | None


def held_mail_out(r: InboundRecord) -> HeldMailOut:
    return HeldMailOut(
        id=r.id,
        message_id=r.message_id,
        outcome=r.outcome,
        sender_address=r.sender_address,
        subject=r.subject,
        reason=r.reason,
        body=r.body,
        created_at=r.created_at,
    )
