"""HTTP shapes (msgspec Structs): the e-mail channel's status."""

from __future__ import annotations

from datetime import datetime

import msgspec

from helpdesk.domain.mail.records import MailCounts


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
