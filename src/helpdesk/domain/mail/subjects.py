"""From a subject line to a ticket title, and the ticket tag our own subjects carry.

Reply and forward prefixes are the ones mail clients in the organizations we serve write: English
(`RE:`, `FW:`, `Fwd:`), French Outlook's forward (`TR:`), and Arabic (`رد:`, `إعادة توجيه:`,
`تحويل:`), in any case, repeated and mixed (`RE: Fwd: رد: …`), with a counter (`RE[2]:`) or a
space before the colon. Security gateways prepend a tag such as `[EXTERNAL]` or `[خارجي]`; the
listed ones go too, since a Latin tag alone would make an Arabic title fail the text policy.
"""

from __future__ import annotations

import re
import unicodedata

_PREFIXES = ("re", "fw", "fwd", "tr", "رد", "إعادة توجيه", "اعادة توجيه", "تحويل")
_GATEWAY_TAGS = (
    "external",
    "external email",
    "ext",
    "spam",
    "suspected spam",
    "خارجي",
    "بريد خارجي",
    "رسالة خارجية",
)

_PREFIX = re.compile(
    r"^(?:" + "|".join(re.escape(p) for p in _PREFIXES) + r")\s*(?:\[\d+\]|\(\d+\))?\s*:\s*",
    re.IGNORECASE,
)
_GATEWAY_TAG = re.compile(
    r"^[\[(]\s*(?:" + "|".join(re.escape(t) for t in _GATEWAY_TAGS) + r")\s*[\])]\s*:?\s*",
    re.IGNORECASE,
)
# [#1234]; \d also matches Arabic-Indic digits, which int() reads.
_TICKET_TAG = re.compile(r"\[\s*#\s*(\d{1,12})\s*\]")
_SPACES = re.compile(r"\s+")


def _tidy(subject: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", subject)).strip()


def title_from_subject(subject: str) -> str:
    """The subject without reply/forward prefixes, gateway tags and ticket tags; "" if nothing
    is left."""
    title = _TICKET_TAG.sub(" ", _tidy(subject))
    title = _tidy(title)
    while True:
        stripped = _GATEWAY_TAG.sub("", _PREFIX.sub("", title, count=1), count=1).strip()
        if stripped == title:
            break
        title = stripped
    # A client may put its own prefix after a gateway tag or a trailing tag after the title.
    return _tidy(title).strip(" -–—:|")


def ticket_number_from_subject(subject: str) -> int | None:
    """The number of the last `[#n]` tag (ours are appended at the end), or None."""
    numbers = _TICKET_TAG.findall(unicodedata.normalize("NFKC", subject))
    return int(numbers[-1]) if numbers else None


def subject_for(title: str, ticket_number: int) -> str:
    """The subject of every mail about a ticket: `<title> [#<number>]`."""
    return f"{_tidy(title)} [#{ticket_number}]"
