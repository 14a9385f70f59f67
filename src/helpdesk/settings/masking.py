"""Masking what must not be shown: the password in a URL's `user:password@`, and query
parameters that carry credentials (`?password=`, `?sslpassword=`, `?api_key=`, `?token=`, …).

Connection strings put credentials in both places (asyncpg and libpq read `password` and
`sslpassword` from the query; services take `api_key` or `token`), so both are masked.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

MASK = "********"

# A query parameter whose name contains one of these carries a credential. Matching on a part
# of the name errs towards masking (`sslkey`, a file path, is masked too): harmless.
_CREDENTIAL_NAME = re.compile(r"pass|pwd|secret|token|key|auth|credential|signature", re.I)


def mask_url(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:  # not parseable as a URL: show nothing of it that could be a secret
        return MASK
    netloc = parts.netloc
    userinfo, at, host = netloc.rpartition("@")
    if at:
        user, colon, password = userinfo.partition(":")
        if colon and password:
            netloc = f"{user}:{MASK}@{host}"
    query = "&".join(_mask_parameter(p) for p in parts.query.split("&"))
    if (netloc, query) == (parts.netloc, parts.query):
        return url
    # Rebuilt by hand: urlunsplit drops the `//` of schemes it does not know (sqlite+aiosqlite).
    rebuilt = f"{parts.scheme}://{netloc}{parts.path}"
    rebuilt += f"?{query}" if query else ""
    return rebuilt + (f"#{parts.fragment}" if parts.fragment else "")


def _mask_parameter(parameter: str) -> str:
    name, equals, value = parameter.partition("=")
    if equals and value and _CREDENTIAL_NAME.search(unquote(name)):
        return f"{name}={MASK}"
    return parameter


def mask_text(text: str) -> str:
    """A setting's text with any credentials in it masked (only URLs carry them)."""
    return mask_url(text) if "://" in text else text
