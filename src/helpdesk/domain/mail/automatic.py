"""Mail no person wrote: auto-replies and bounces never become tickets or comments and are never
answered, which is what keeps two automatic responders from mailing each other forever.

The signals (RFC 3834 and what servers actually send):

- bounce: a delivery status notification (`multipart/report; report-type=delivery-status`), a
  sender whose local part is `mailer-daemon` or `postmaster`, or an `X-Failed-Recipients` header
  (Exim's bounces);
- auto-reply: `Auto-Submitted` with any value but `no`, `X-Autoreply` or `X-Autorespond`,
  `Precedence: bulk | auto_reply | junk`, any other `multipart/report` (read receipts), or an
  empty return path (`Return-Path: <>`, which only automatic mail uses).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from email.utils import parseaddr

from helpdesk.domain.mail.message import Automatic, InboundMessage, local_part, normalize_address

BOUNCE_SENDERS = frozenset({"mailer-daemon", "postmaster"})
AUTOMATIC_PRECEDENCE = frozenset({"bulk", "auto_reply", "junk"})
# Answering these reaches nobody: they are read by no one, or by a machine that answers back.
UNANSWERED_SENDERS = BOUNCE_SENDERS | frozenset(
    {"noreply", "no-reply", "do-not-reply", "donotreply"}
)
_NEGATIVE = frozenset({"", "no", "false", "0"})


def _token(value: str | None) -> str:
    """The first token of a header value, case folded: `auto-replied; owner-email=…` gives
    `auto-replied`."""
    return (value or "").split(";", 1)[0].strip().casefold()


def classify(
    headers: Mapping[str, str],
    *,
    sender_address: str,
    content_type: str,
    report_type: str | None,
) -> Automatic:
    """`headers`: lower-case names to values (the first of each). `content_type` and
    `report_type` are the top-level part's."""
    content_type = content_type.casefold()
    is_report = content_type == "multipart/report"
    if (
        (is_report and _token(report_type) == "delivery-status")
        or content_type == "message/delivery-status"
        or local_part(normalize_address(sender_address)) in BOUNCE_SENDERS
        or headers.get("x-failed-recipients", "").strip()
    ):
        return Automatic.BOUNCE
    if (
        _token(headers.get("auto-submitted", "no")) != "no"
        or _token(headers.get("x-autoreply")) not in _NEGATIVE
        or _token(headers.get("x-autorespond")) not in _NEGATIVE
        or _token(headers.get("precedence")) in AUTOMATIC_PRECEDENCE
        or is_report
        or headers.get("return-path", "").strip() == "<>"
    ):
        return Automatic.AUTO_REPLY
    return Automatic.NONE


def may_answer(message: InboundMessage, own_addresses: Iterable[str]) -> bool:
    """Whether an automatic answer (a refusal) may be sent to this message's sender: never to
    automatic mail, to ourselves, to a sender we could not read, or to an address nobody reads.
    `own_addresses` may carry display names (`"الدعم الفني <support@…>"`)."""
    sender = normalize_address(message.sender_address)
    if message.automatic is not Automatic.NONE or "@" not in sender:
        return False
    if sender in {normalize_address(parseaddr(a)[1]) for a in own_addresses}:
        return False
    return local_part(sender) not in UNANSWERED_SENDERS
