"""What we send: a notification about a ticket, or the answer to a message we could not take.
The wording is Arabic; turning an `OutgoingMail` into MIME is the adapters' work."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from helpdesk.domain.mail.automatic import may_answer
from helpdesk.domain.mail.message import InboundMessage
from helpdesk.domain.mail.subjects import subject_for, title_from_subject
from helpdesk.domain.mail.threads import thread_root_id
from helpdesk.domain.notices import Notice


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
