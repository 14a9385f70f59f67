"""What we send: a notification about a ticket, or the answer to a message we could not take.
The wording is Arabic; turning an `OutgoingMail` into MIME is the adapters' work."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from helpdesk.domain.mail.automatic import may_answer
from helpdesk.domain.mail.message import InboundMessage
from helpdesk.domain.mail.records import OutboxMail
from helpdesk.domain.mail.subjects import subject_for, title_from_subject
from helpdesk.domain.mail.threads import new_message_id, thread_root_id
from helpdesk.domain.notices import Notice
from helpdesk.domain.records import Notification


@dataclass(frozen=True, slots=True)
class OutgoingMail:
    to_address: str
    to_name: str
    subject: str
    heading: str  # the first line, set apart
    body: str  # paragraphs separated by blank lines
    message_id: str  # "<…@our domain>", fixed when the mail is queued
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()


def notification_mail(
    notice: Notice,
    *,
    ticket_number: int,
    ticket_title: str,
    to_address: str,
    to_name: str,
    message_id: str,
    domain: str,
    in_reply_to: str | None = None,
) -> OutgoingMail:
    """A notice by e-mail. Every mail about a ticket names the ticket's thread root, so they
    group together; `in_reply_to` is the sender's own message when the ticket came by mail."""
    root = thread_root_id(ticket_number, domain)
    references = (in_reply_to, root) if in_reply_to else (root,)
    return OutgoingMail(
        to_address=to_address,
        to_name=to_name,
        subject=subject_for(ticket_title, ticket_number),
        heading=notice.title,
        body=notice.body,
        message_id=message_id,
        in_reply_to=in_reply_to or root,
        references=references,
    )


# Closes every mail we send, so nobody mistakes it for a person's answer.
AUTOMATED_FOOTER = "هذه رسالة آلية من نظام الدعم الفني."
REFUSAL_HEADING = "لم نتمكن من تسجيل رسالتك كتذكرة"
REFUSAL_CLOSING = (
    "يُرجى إرسال رسالة جديدة بعد تصحيح ما سبق، أو التواصل مع فريق الدعم الفني. "
    "رسالتك محفوظة لدينا ولم تُحذف."
)


def refusal_mail(
    message: InboundMessage,
    reasons: Sequence[str],
    *,
    message_id: str,
    own_addresses: Iterable[str],
) -> OutgoingMail | None:
    """The Arabic answer to a message we hold instead of taking, saying why (`reasons`: one
    sentence each, such as the text policy's). None when the sender must not be answered:
    automatic mail, ourselves, or an address nobody reads (automatic.may_answer)."""
    if not may_answer(message, own_addresses):
        return None
    title = title_from_subject(message.subject)
    lines = "\n".join(f"- {reason}" for reason in reasons)
    body = f"لم تُسجَّل رسالتك للأسباب التالية:\n{lines}\n\n{REFUSAL_CLOSING}"
    return OutgoingMail(
        to_address=message.sender_address,
        to_name=message.sender_name,
        subject=f"رد: {title}" if title else "رد: رسالتك إلى الدعم الفني",
        heading=REFUSAL_HEADING,
        body=body,
        message_id=message_id,
        in_reply_to=message.message_id,
        references=(*message.references, message.message_id),
    )


# The notification kinds that also go by e-mail: what matters to a person about a ticket. Queue
# notices (a department's new ticket), internal notes and receipts of one's own actions stay in
# the application.
MAILED_KINDS = frozenset(
    {
        "ticket_created",
        "ticket_assigned",
        "status_changed",
        "comment_added",
        "sla_warning",
        "sla_breach",
    }
)
REFUSAL_KIND = "mail_refusal"


def mailed(notifications: Iterable[Notification]) -> list[Notification]:
    return [n for n in notifications if n.kind in MAILED_KINDS]


def outbox_notification(
    notification: Notification, *, ticket_number: int, ticket_title: str, in_reply_to: str | None
) -> OutboxMail:
    """A notification as outbox mail for its recipient (the address comes from their profile)."""
    return OutboxMail(
        id=notification.id,
        kind=notification.kind,
        subject=subject_for(ticket_title, ticket_number),
        heading=notification.title,
        body=notification.body,
        created_at=notification.created_at,
        next_attempt_at=notification.created_at,
        user_id=notification.user_id,
        ticket_id=notification.ticket_id,
        ticket_number=ticket_number,
        in_reply_to=in_reply_to,
    )


def outbox_reply(mail: OutgoingMail, *, id: UUID, now: datetime) -> OutboxMail:
    """An answer to a message (a refusal) as outbox mail."""
    return OutboxMail(
        id=id,
        kind=REFUSAL_KIND,
        subject=mail.subject,
        heading=mail.heading,
        body=mail.body,
        created_at=now,
        next_attempt_at=now,
        to_address=mail.to_address,
        to_name=mail.to_name,
        in_reply_to=mail.in_reply_to,
        references=mail.references,
    )


def mail_to_send(row: OutboxMail, domain: str) -> OutgoingMail:
    """What is sent for an outbox row. The Message-ID derives from the row's id, so a retried
    send repeats it; mail about a ticket names the ticket's thread root."""
    in_reply_to, references = row.in_reply_to, row.references
    if row.ticket_number is not None:
        root = thread_root_id(row.ticket_number, domain)
        in_reply_to = row.in_reply_to or root
        references = (row.in_reply_to, root) if row.in_reply_to else (root,)
    return OutgoingMail(
        to_address=row.to_address,
        to_name=row.to_name,
        subject=row.subject,
        heading=row.heading,
        body=row.body,
        message_id=new_message_id(row.id, domain, row.ticket_number),
        in_reply_to=in_reply_to,
        references=references,
    )
