"""Decoding a text part's bytes when its declared charset is missing, unknown or wrong.

Arabic mail arrives in UTF-8, windows-1256 (Outlook on Arabic Windows) and ISO-8859-6. Some
senders name a charset Python does not know (`iso-8859-6-i`, the MIME name for ISO-8859-6 with
implicit direction) or declare `us-ascii` over 8-bit Arabic; the fallbacks below are what those
messages were written in, in practice.
"""

from __future__ import annotations

import codecs

# MIME charset names Python's codec registry does not know, to the codec that reads them.
ALIASES = {
    "iso-8859-6-i": "iso8859_6",
    "iso-8859-6-e": "iso8859_6",
    "iso-8859-8-i": "iso8859_8",
    "iso-8859-8-e": "iso8859_8",
    "x-mac-arabic": "mac_arabic",
    "windows-1256": "cp1256",
    "x-cp1256": "cp1256",
    "cp-1256": "cp1256",
    "unicode-1-1-utf-8": "utf-8",
    "utf8": "utf-8",
}
# Tried in order on undeclared (or falsely ASCII) 8-bit text: UTF-8 is strict enough to fail on
# anything else; windows-1256 reads every byte, so it comes last.
FALLBACKS = ("utf-8", "cp1256")


def codec_for(charset: str | None) -> str | None:
    """The codec name for a declared charset, or None when Python cannot read it."""
    if not charset:
        return None
    name = charset.strip().strip('"').casefold()
    name = ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_text(data: bytes, charset: str | None) -> tuple[str, str | None]:
    """The text, and what was wrong with its charset declaration (None when nothing was)."""
    codec = codec_for(charset)
    if codec is not None and codec != "ascii":
        return data.decode(codec, errors="replace"), None
    if data.isascii():
        return data.decode("ascii"), None
    if charset and codec is None:
        problem = f"unknown charset {charset!r}"
    elif charset:
        problem = "8-bit text declared as us-ascii"
    else:
        problem = "8-bit text without a charset"
    for fallback in FALLBACKS:
        try:
            return data.decode(fallback), problem
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace"), problem  # cp1256 reads any byte: unreachable
