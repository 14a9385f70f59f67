"""An inbound message, as the parser hands it to the use cases: decoded, never raw MIME."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Automatic(StrEnum):
    """Whether a person wrote the message or a machine did (automatic.py decides)."""

    NONE = "none"
    AUTO_REPLY = "auto_reply"
    BOUNCE = "bounce"


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str  # decoded; "" when the part names none
    content_type: str  # lower-case "type/subtype"
    content: bytes
    inline: bool = False  # shown in the body (an image in the HTML), not offered as a file
    content_id: str | None = None

    @property
    def size(self) -> int:
        return len(self.content)


@dataclass(frozen=True, slots=True)
class InboundMessage:
    # "<id@host>"; derived from a digest of the raw bytes when the header is missing, so the same
    # message always carries the same id (idempotency rests on it).
    message_id: str
    in_reply_to: str | None
    references: tuple[str, ...]
    subject: str
    sender_address: str  # normalize_address(); "" when the From header gives no usable address
    sender_name: str
    date: datetime | None  # timezone-aware
    text: str  # the readable body: text/plain, or text/html turned into text
    attachments: tuple[Attachment, ...] = ()
    automatic: Automatic = Automatic.NONE
    is_malformed: bool = False  # the MIME structure is broken; what could be read is kept
    defects: tuple[str, ...] = ()  # what the parser noticed, for an admin to read
    is_truncated: bool = False  # too large to download: only the header was read
    size: int = 0  # bytes on the server

    @property
    def is_auto_reply(self) -> bool:
        return self.automatic is Automatic.AUTO_REPLY

    @property
    def is_bounce(self) -> bool:
        return self.automatic is Automatic.BOUNCE

    @property
    def thread_ids(self) -> tuple[str, ...]:
        """The ids this message answers, nearest first: In-Reply-To, then References newest
        first (a client lists References oldest first)."""
        ids = [self.in_reply_to] if self.in_reply_to else []
        ids.extend(reversed(self.references))
        return tuple(dict.fromkeys(ids))


def normalize_address(address: str) -> str:
    """The form addresses are compared in: NFKC (full-width and compatibility forms folded),
    case folded, surrounding white space and angle brackets removed."""
    return unicodedata.normalize("NFKC", address).strip().strip("<>").strip().casefold()


def local_part(address: str) -> str:
    return address.rpartition("@")[0] if "@" in address else address


def domain_part(address: str) -> str:
    return address.rpartition("@")[2] if "@" in address else ""
