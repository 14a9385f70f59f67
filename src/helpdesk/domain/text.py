"""Text any field may hold: what no storage can keep is refused wherever text comes in.

PostgreSQL's text types cannot hold a NUL character, and a lone UTF-16 surrogate cannot be
encoded as UTF-8 at all; either would fail deep in an adapter. Every text a client sends is
checked against this one rule at the edge (the HTTP request's body and query, a token's claims),
so that no use case, adapter or new field has to remember it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from helpdesk.domain.errors import FieldError, ValidationFailed

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

NUL_MESSAGE = "must not contain a NUL character (U+0000)"
SURROGATE_MESSAGE = "must not contain a lone surrogate (U+D800–U+DFFF)"


def unstorable(text: str) -> str | None:
    """Why `text` cannot be stored, or None when it can."""
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    return NUL_MESSAGE if found.group() == "\x00" else SURROGATE_MESSAGE


def storable(text: str) -> str:
    """`text` without what no storage keeps: NUL characters dropped, lone surrogates replaced by
    U+FFFD (for text nobody typed into our forms and that must be kept anyway, such as the
    decoded parts of an e-mail)."""
    return _UNSTORABLE.sub(lambda m: "" if m.group() == "\x00" else "\ufffd", text)


def storable_or_none(text: str | None) -> str | None:
    """`text` when it can be stored; None otherwise (for values nobody typed into a form, such as
    a token's claims, which are then treated as absent)."""
    if text is None or unstorable(text) is not None:
        return None
    return text


def _problems(value: Any, path: str) -> Iterator[FieldError]:
    # A loop, not recursion: a JSON document may nest as deep as its decoder allows.
    pending: list[tuple[Any, str]] = [(value, path)]
    while pending:
        item, where = pending.pop()
        if isinstance(item, str):
            reason = unstorable(item)
            if reason is not None:
                yield FieldError(where, reason)
        elif isinstance(item, dict):
            for key, inner in reversed(item.items()):
                name = str(key)
                reason = unstorable(name)
                if reason is not None:
                    yield FieldError(where, f"a key {reason}")
                else:
                    pending.append((inner, _member(where, name)))
        elif isinstance(item, list):
            pending.extend((inner, f"{where}[{i}]") for i, inner in reversed(list(enumerate(item))))


def _member(where: str, name: str) -> str:
    # A field is always named: a key that is the empty string is written `[""]`.
    if not name:
        return f'{where}[""]'
    return name if where == "body" else f"{where}.{name}"


def check_storable(value: Any, path: str = "body") -> None:
    """Refuse a decoded JSON document (or one string) holding unstorable text anywhere, naming
    each field: top-level keys by name, nested ones as `a.b` and `a[0]`."""
    errors = list(_problems(value, path))
    if errors:
        raise ValidationFailed(errors)
