"""Message ids on our domain, and finding the ticket a reply belongs to.

Every mail about ticket N carries `Message-ID: <helpdesk.N.<26 letters and digits>@<our domain>>`
(the outbox row's UUID in base32, short enough that the header rarely needs folding) and names
`<helpdesk.N@<our domain>>` (the ticket's thread root) in `References`, so mail clients show one
thread per ticket and a reply names the ticket in `In-Reply-To`/`References` even when its
subject was edited. The ticket number is read back only from ids on our own domain. An id is as
easy to forge as a `[#N]` subject tag: whoever answers still needs the right to comment.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from email.utils import parseaddr
from uuid import UUID

from helpdesk.domain.mail.message import InboundMessage, domain_part, normalize_address
from helpdesk.domain.mail.subjects import ticket_number_from_subject

_OURS = re.compile(r"^<helpdesk\.(\d{1,12})(?:\.[a-z2-7]{26})?@([^<>@\s]+)>$", re.IGNORECASE)


def mail_domain(from_address: str) -> str:
    """The domain of `HELPDESK_MAIL_FROM` (`"الدعم الفني <support@example.org>"` works)."""
    domain = domain_part(normalize_address(parseaddr(from_address)[1]))
    if not domain:
        raise ValueError(f"no domain in the sender address {from_address!r}")
    return domain


def new_message_id(unique: UUID, domain: str, ticket_number: int | None = None) -> str:
    """A Message-ID for one outgoing mail; `unique` comes from the outbox row, so a retried send
    carries the same id and a receiving server can drop the duplicate."""
    token = base64.b32encode(unique.bytes).decode("ascii").rstrip("=").lower()
    if ticket_number is None:
        return f"<helpdesk.{token}@{domain}>"
    return f"<helpdesk.{ticket_number}.{token}@{domain}>"


def thread_root_id(ticket_number: int, domain: str) -> str:
    return f"<helpdesk.{ticket_number}@{domain}>"


def ticket_number_from_ids(ids: Iterable[str], domain: str) -> int | None:
    """The ticket named by the first of `ids` minted on `domain`, or None."""
    for message_id in ids:
        match = _OURS.match(message_id.strip())
        if match and match.group(2).casefold() == domain.casefold():
            return int(match.group(1))
    return None


def ticket_number_of(message: InboundMessage, domain: str) -> int | None:
    """Which ticket a reply answers: our ids in In-Reply-To/References first (a client keeps
    them even when the subject is rewritten), else a `[#N]` tag in the subject."""
    number = ticket_number_from_ids(message.thread_ids, domain)
    return number if number is not None else ticket_number_from_subject(message.subject)
