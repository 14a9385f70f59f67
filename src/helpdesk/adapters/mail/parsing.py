"""Raw message bytes to an `InboundMessage`, with the standard `email` package.

Never raises: a message whose MIME structure is broken comes back flagged `is_malformed`, with
its defects listed and everything that could be read kept.

The body is the readable text of the message: in a `multipart/alternative`, the `text/plain`
part, else the `text/html` one turned into text; in `multipart/mixed` or `related`, every inline
text part in order (some clients split a body around an inline image). Every other leaf is an
attachment, inline images included (flagged `inline`); an attached message (`message/rfc822`)
is one attachment, not opened.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from email import policy
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesParser
from email.utils import parseaddr, parsedate_to_datetime

from helpdesk.adapters.mail.charsets import decode_text
from helpdesk.adapters.mail.html_text import html_to_text
from helpdesk.domain.mail.automatic import classify
from helpdesk.domain.mail.message import Attachment, InboundMessage, normalize_address
from helpdesk.domain.text import storable

# Defects that mean the structure itself is broken (a body or a part may be missing or cut);
# the others (an odd header, an obsolete syntax) are noted but do not make a message malformed.
STRUCTURAL_DEFECTS = frozenset(
    {
        "StartBoundaryNotFoundDefect",
        "CloseBoundaryNotFoundDefect",
        "NoBoundaryInMultipartDefect",
        "MultipartInvariantViolationDefect",
        "InvalidMultipartContentTransferEncodingDefect",
        "MissingHeaderBodySeparatorDefect",
        "FirstHeaderLineIsContinuationDefect",
        "InvalidBase64PaddingDefect",
        "InvalidBase64CharactersDefect",
        "InvalidBase64LengthDefect",
    }
)
AUTOMATIC_HEADERS = (
    "auto-submitted",
    "x-autoreply",
    "x-autorespond",
    "precedence",
    "return-path",
    "x-failed-recipients",
)
BODY_TYPES = frozenset({"text/plain", "text/html"})
_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
_PARSER = BytesParser(policy=policy.default)


class _Reader:
    """One message's walk: the body pieces, the attachments, and what was wrong."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.attachments: list[Attachment] = []
        self.defects: list[str] = []

    def note(self, defect: str) -> None:
        if defect not in self.defects:
            self.defects.append(defect)

    def note_defects(self, part: Message) -> None:
        for defect in getattr(part, "defects", ()):
            self.note(type(defect).__name__)

    # --- the MIME tree --------------------------------------------------------------------

    def walk(self, part: Message, *, read_text: bool = True) -> None:
        self._walk(part, read_text=read_text)
        # Decoding a payload adds defects (bad base64): note them after reading.
        self.note_defects(part)

    def _walk(self, part: Message, *, read_text: bool) -> None:
        kind = part.get_content_type()
        if part.get_content_maintype() == "message":
            self.attach(part, kind)
        elif part.is_multipart():
            children = list(_children(part))
            if kind == "multipart/alternative":
                chosen = _preferred(children)
                for child in children:
                    self.walk(child, read_text=read_text and child is chosen)
            else:
                for child in children:
                    self.walk(child, read_text=read_text)
        elif _is_body_text(part):
            if read_text:
                self.texts.append(self.text_of(part))
            # An alternative rendition not chosen says the same thing: not an attachment.
        else:
            self.attach(part, kind)

    def text_of(self, part: Message) -> str:
        text, problem = decode_text(_payload(part), part.get_content_charset())
        if problem:
            self.note(problem)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if part.get_content_type() == "text/html":
            return html_to_text(text)
        if str(part.get_param("format") or "").casefold() == "flowed":
            delsp = str(part.get_param("delsp") or "").casefold() == "yes"
            return unflow(text, delsp=delsp)
        return text

    def attach(self, part: Message, kind: str) -> None:
        disposition = part.get_content_disposition()
        content_id = _header(part, "content-id")
        self.attachments.append(
            Attachment(
                filename=_filename(part, kind),
                content_type=kind,
                content=_payload(part),
                inline=disposition == "inline" or (disposition is None and bool(content_id)),
                content_id=content_id.strip().strip("<>") if content_id else None,
            )
        )


def _children(part: Message) -> Iterator[Message]:
    payload = part.get_payload()
    if isinstance(payload, list):
        yield from (child for child in payload if isinstance(child, Message))


def _is_body_text(part: Message) -> bool:
    return (
        part.get_content_type() in BODY_TYPES
        and part.get_content_disposition() != "attachment"
        and not part.get_filename()
    )


def _preferred(children: list[Message]) -> Message | None:
    """Plain text first; else the HTML; else a nested multipart holding the HTML (`related`)."""
    for wanted in ("text/plain", "text/html"):
        for child in children:
            if child.get_content_type() == wanted and _is_body_text(child):
                return child
    for child in children:
        if child.is_multipart() and child.get_content_maintype() == "multipart":
            return child
    return children[0] if children else None


def _payload(part: Message) -> bytes:
    """A leaf's decoded bytes (base64 and quoted-printable undone); an attached message's
    bytes as sent."""
    try:
        if part.get_content_maintype() == "message":
            inner = part.get_payload()
            messages = inner if isinstance(inner, list) else [inner]
            return b"".join(m.as_bytes() if isinstance(m, Message) else b"" for m in messages)
        payload = part.get_payload(decode=True)
    except Exception:  # the email package's own errors on broken parts are not one type
        return b""
    return payload if isinstance(payload, bytes) else b""


def _filename(part: Message, kind: str) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:
        name = ""
    name = _decoded(name)
    if not name and kind == "message/rfc822":
        return "message.eml"
    return name


def _decoded(value: str) -> str:
    """RFC 2047 words that survived (Outlook encodes file names that way, against the RFC), and
    raw 8-bit bytes, which the parser keeps as surrogates."""
    if "=?" in value:
        with contextlib.suppress(Exception):  # not encoded words after all: keep as written
            value = str(make_header(decode_header(value)))
    if any("\udc80" <= ch <= "\udcff" for ch in value):
        value, _ = decode_text(value.encode("utf-8", "surrogateescape"), None)
    return value


def _header(part: Message, name: str) -> str | None:
    """A header's decoded value; a header the registry cannot parse is read raw."""
    try:
        value = part.get(name)
    except Exception:
        value = next((v for k, v in part.raw_items() if k.casefold() == name), None)
    return None if value is None else _decoded(str(value))


def unflow(text: str, *, delsp: bool) -> str:
    """Undo `format=flowed` (RFC 3676): a line ending in a space continues on the next line of
    the same quote depth; one leading space is stuffing."""
    out: list[str] = []
    pending: str | None = None
    pending_depth = 0

    def flush() -> None:
        nonlocal pending
        if pending is not None:
            out.append(("> " * pending_depth) + pending if pending_depth else pending)
            pending = None

    for line in text.split("\n"):
        depth = len(line) - len(line.lstrip(">"))
        content = line[depth:]
        if content.startswith(" "):
            content = content[1:]
        flowed = content.endswith(" ") and content != "-- "
        if flowed and delsp:
            content = content[:-1]
        if pending is not None and depth == pending_depth:
            pending += content
        else:
            flush()
            pending, pending_depth = content, depth
        if not flowed:
            flush()
    flush()
    return "\n".join(out)


def _message_id(value: str | None, raw: bytes) -> str:
    if value:
        found = _MESSAGE_ID.search(value)
        if found:
            return found.group(0)
        if value.strip() and " " not in value.strip():
            return f"<{value.strip()}>"
    return f"<{hashlib.sha256(raw).hexdigest()[:40]}@message-id.invalid>"


def _date(message: Message) -> datetime | None:
    try:
        header = message.get("date")
        value = getattr(header, "datetime", None)
        if value is None and header is not None:
            value = parsedate_to_datetime(str(header))
    except Exception:
        return None
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _sender(message: Message, reader: _Reader) -> tuple[str, str]:
    try:
        header = message.get("from")
        for address in getattr(header, "addresses", ()):
            if address.username and address.domain:
                return normalize_address(address.addr_spec), _decoded(address.display_name)
    except Exception:  # fall back to the raw header below
        pass
    raw = _header(message, "from")
    name, address = parseaddr(raw or "")
    if "@" in address:
        return normalize_address(address), name
    reader.note("no sender address")
    return "", name


def parse_message(
    raw: bytes, *, size: int | None = None, truncated: bool = False
) -> InboundMessage:
    """`truncated`: `raw` is only the header of a message too large to download."""
    try:
        return _readable(_parse(raw, size=len(raw) if size is None else size, truncated=truncated))
    except Exception as error:  # never raise: keep what the bytes say
        text, _ = decode_text(raw, None)
        return _readable(
            InboundMessage(
                message_id=_message_id(None, raw),
                in_reply_to=None,
                references=(),
                subject="",
                sender_address="",
                sender_name="",
                date=None,
                text=text,
                is_malformed=True,
                defects=(f"unreadable: {type(error).__name__}",),
                is_truncated=truncated,
                size=len(raw) if size is None else size,
            )
        )


def _readable(message: InboundMessage) -> InboundMessage:
    """A NUL (`=00` in quoted-printable or an encoded word) or a lone surrogate is no readable
    text, and no storage keeps it (PostgreSQL refuses the row): dropped from every text of the
    message, so a hostile message is taken like any other instead of failing each poll."""
    return replace(
        message,
        message_id=storable(message.message_id),
        in_reply_to=None if message.in_reply_to is None else storable(message.in_reply_to),
        references=tuple(storable(r) for r in message.references),
        subject=storable(message.subject),
        sender_address=storable(message.sender_address),
        sender_name=storable(message.sender_name),
        text=storable(message.text),
        attachments=tuple(
            replace(
                a,
                filename=storable(a.filename),
                content_id=None if a.content_id is None else storable(a.content_id),
            )
            for a in message.attachments
        ),
        defects=tuple(storable(d) for d in message.defects),
    )


def _parse(raw: bytes, *, size: int, truncated: bool) -> InboundMessage:
    message = _PARSER.parsebytes(raw)
    reader = _Reader()
    if truncated:
        reader.note("too large: only the header was read")
        reader.note_defects(message)
    else:
        reader.walk(message)
    sender_address, sender_name = _sender(message, reader)
    in_reply_to_ids = _MESSAGE_ID.findall(_header(message, "in-reply-to") or "")
    references = tuple(_MESSAGE_ID.findall(_header(message, "references") or ""))
    headers = {
        name: value for name in AUTOMATIC_HEADERS if (value := _header(message, name)) is not None
    }
    report_type = message.get_param("report-type")
    automatic = classify(
        headers,
        sender_address=sender_address,
        content_type=message.get_content_type(),
        report_type=report_type if isinstance(report_type, str) else None,
    )
    malformed = bool(STRUCTURAL_DEFECTS.intersection(reader.defects)) or not sender_address
    return InboundMessage(
        message_id=_message_id(_header(message, "message-id"), raw),
        in_reply_to=in_reply_to_ids[0] if in_reply_to_ids else None,
        references=references,
        subject=" ".join((_header(message, "subject") or "").split()),
        sender_address=sender_address,
        sender_name=sender_name.strip(),
        date=_date(message),
        text="\n\n".join(t.strip("\n") for t in reader.texts if t.strip()),
        attachments=tuple(reader.attachments),
        automatic=automatic,
        is_malformed=malformed,
        defects=tuple(reader.defects),
        is_truncated=truncated,
        size=size,
    )
