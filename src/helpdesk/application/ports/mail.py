"""The mail ports: a mailbox messages are taken from, and a sender for what we mail out.

A handled message is moved out of the mailbox only after its ticket or comment is committed, so
a crash in between leaves it unseen in place to be taken again (the database's record of its
Message-ID keeps that second take from duplicating anything).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from helpdesk.domain.mail.message import InboundMessage
from helpdesk.domain.mail.outgoing import OutgoingMail


class MailboxUnavailable(Exception):
    """The mail server could not be reached, refused us, timed out or broke off. The pass ends;
    nothing was moved that had not been handled, so the next pass starts over safely."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class RawMessage:
    uid: int
    data: bytes  # the whole message, or only its header when `truncated`
    size: int  # the message's size on the server
    truncated: bool = False  # larger than the adapter downloads: `data` is the header


class Mailbox(Protocol):
    async def unseen(self) -> list[int]:
        """The UIDs of the messages waiting, oldest first. Connects when needed."""
        ...

    async def fetch(self, uid: int) -> RawMessage | None:
        """The message, without marking it seen; None when it is gone (another worker moved it)."""
        ...

    async def move_to_done(self, uid: int) -> None:
        """Move a handled message to the done folder. Moving one that is gone is not an error."""
        ...

    async def close(self) -> None:
        """Log out; never raises. The next call connects again."""
        ...


class DeliveryFailed(Exception):
    """The mail was not sent. `temporary`: try again later (the server is down or busy, a 4xx
    answer); otherwise the server refused this mail for good (a 5xx answer).

    `this_mail_only`: the server answered about this mail — its recipient or its content — and
    is taking mail, so the next mail may go; otherwise the server itself (down, cut off, our
    login or sender refused) keeps any mail from going now."""

    def __init__(self, reason: str, *, temporary: bool, this_mail_only: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.temporary = temporary
        self.this_mail_only = this_mail_only or not temporary


class MailSender(Protocol):
    async def send(self, mail: OutgoingMail) -> None:
        """Hand the mail to the SMTP server, or raise DeliveryFailed."""
        ...


class MessageReader(Protocol):
    async def read(self, raw: RawMessage) -> InboundMessage:
        """The decoded message; never raises (a broken one comes back `is_malformed`)."""
        ...


class AttachmentStore(Protocol):
    """Where the bytes of kept attachments live (the database keeps their names and keys)."""

    async def put(self, key: str, content: bytes) -> None:
        """Store under `key`, replacing what a crashed earlier try left there."""
        ...

    async def get(self, key: str) -> bytes | None: ...
