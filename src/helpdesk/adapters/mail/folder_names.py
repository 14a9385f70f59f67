"""IMAP folder names on the wire: "modified UTF-7" (RFC 3501, 5.1.3), so a done folder may have
an Arabic name (`تمت المعالجة`). Printable ASCII stands for itself, `&` is written `&-`, and any
run of other characters is UTF-16 in base64 (with `,` for `/`) between `&` and `-`."""

from __future__ import annotations

import base64


def _shifted(run: str) -> str:
    encoded = base64.b64encode(run.encode("utf-16-be")).decode("ascii").rstrip("=")
    return "&" + encoded.replace("/", ",") + "-"


def encode_folder(name: str) -> str:
    out: list[str] = []
    run: list[str] = []
    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            if run:
                out.append(_shifted("".join(run)))
                run = []
            out.append("&-" if ch == "&" else ch)
        else:
            run.append(ch)
    if run:
        out.append(_shifted("".join(run)))
    return "".join(out)


def decode_folder(name: str) -> str:
    out: list[str] = []
    rest = name
    while "&" in rest:
        before, _, after = rest.partition("&")
        out.append(before)
        encoded, _, rest = after.partition("-")
        if not encoded:
            out.append("&")
            continue
        padded = encoded.replace(",", "/") + "=" * (-len(encoded) % 4)
        out.append(base64.b64decode(padded).decode("utf-16-be"))
    out.append(rest)
    return "".join(out)


def quote(name: str) -> str:
    """A folder name as an IMAP quoted string."""
    encoded = encode_folder(name)
    return '"' + encoded.replace("\\", "\\\\").replace('"', '\\"') + '"'
