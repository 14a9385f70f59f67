"""What the e-mail channel keeps: a record of every inbound message taken (unique on its
Message-ID, written in the same transaction as what it became), the outbox of mail to send, the
attachments kept with a ticket, and the back-off between two tries of one mail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID


class InboundOutcome(StrEnum):
    """What became of an inbound message."""

    TICKET = "ticket"  # a new ticket
    COMMENT = "comment"  # a public comment on an existing ticket
    HELD = "held"  # kept for an admin: not allowed, or refused by the text policy
    REFUSED = "refused"  # an unknown sender while HELPDESK_MAIL_UNKNOWN_SENDERS=refuse
    IGNORED = "ignored"  # an auto-reply or a bounce


@dataclass(frozen=True, slots=True)
class InboundRecord:
    id: UUID
    message_id: str  # unique: a message is taken once
    outcome: InboundOutcome
    sender_address: str
    subject: str
    created_at: datetime  # when we took it (the keyset of the held list)
    ticket_id: UUID | None = None
    comment_id: UUID | None = None
    reason: str = ""  # why it was held, refused or ignored
    body: str = ""  # held and refused messages keep their text for an admin to read


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # refused for good, or out of tries


@dataclass(frozen=True, slots=True)
class OutboxMail:
    """One mail to send. Notification mail names its recipient by `user_id` and gets the
    address from the profile when it is queued; a reply to a message names the address."""

    id: UUID
    kind: str  # the notification kind, or "mail_refusal"
    subject: str
    heading: str
    body: str
    created_at: datetime
    next_attempt_at: datetime
    to_address: str = ""
    to_name: str = ""
    user_id: UUID | None = None
    ticket_id: UUID | None = None
    ticket_number: int | None = None
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    status: OutboxStatus = OutboxStatus.PENDING
    attempts: int = 0
    last_error: str = ""
    sent_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class StoredAttachment:
    """An attachment kept with a ticket: its bytes are in the attachment store under `key`."""

    id: UUID
    ticket_id: UUID
    filename: str
    content_type: str
    size: int
    key: str
    created_at: datetime
    comment_id: UUID | None = None


@dataclass(frozen=True, slots=True)
class MailCounts:
    """What GET /api/v1/mail/status shows."""

    last_poll_at: datetime | None
    taken: int
    tickets: int
    comments: int
    held: int
    refused: int
    ignored: int
    outbox_pending: int
    outbox_failed: int


# Waits before the 2nd, 3rd, … try of one mail; after the last one the mail is failed.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(hours=6),
    timedelta(hours=12),
    timedelta(hours=24),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# How long a worker holds the mail it is sending before another may take it (a crash between
# sending and recording it sends it once more, with the same Message-ID).
SEND_LEASE = timedelta(minutes=5)


def next_attempt(attempts: int, now: datetime) -> datetime | None:
    """When to try again after `attempts` failed tries, or None: give up."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return now + RETRY_DELAYS[max(attempts, 1) - 1]
