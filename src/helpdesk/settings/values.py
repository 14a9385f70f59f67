"""The kinds of value a setting holds: how its text is parsed, what it accepts (for errors and
the docs), and how a value is written back as text (for defaults in the docs and for handing
settings to worker processes).

Parsers raise ValueError with a short phrase ("must be a number"); the loader puts the name of
the variable or flag in front of it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from helpdesk.domain.taxonomy import Category


@dataclass(frozen=True, slots=True)
class Kind:
    parse: Callable[[str], Any]
    accepts: str  # how the docs describe the values it takes
    show: Callable[[Any], str] = str


def number(low: float, high: float, unit: str = "") -> Kind:
    def parse(raw: str) -> float:
        try:
            value = float(raw)
        except ValueError:
            raise ValueError("must be a number") from None
        if not low <= value <= high:  # NaN fails this too
            raise ValueError(f"must be between {low:g} and {high:g}")
        return value

    suffix = f" {unit}" if unit else ""
    return Kind(parse, f"a number from {low:g} to {high:g}{suffix}", repr)


def whole(low: int, high: int) -> Kind:
    def parse(raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            raise ValueError("must be a whole number") from None
        if not low <= value <= high:
            raise ValueError(f"must be between {low} and {high}")
        return value

    return Kind(parse, f"a whole number from {low} to {high:,}")


def _boolean(raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError("must be one of on/off, true/false, 1/0")


BOOLEAN = Kind(
    _boolean, "`on`/`off` (also `true`/`false`, `1`/`0`)", lambda v: "on" if v else "off"
)


def choice(*allowed: str) -> Kind:
    def parse(raw: str) -> str:
        if raw not in allowed:
            raise ValueError(f"must be one of {', '.join(allowed)}")
        return raw

    return Kind(parse, _either(f"`{a}`" for a in allowed))


def _either(items: Iterable[str]) -> str:
    listed = list(items)
    return listed[0] if len(listed) == 1 else f"{', '.join(listed[:-1])} or {listed[-1]}"


def enumeration(kind: type[StrEnum]) -> Kind:
    names = tuple(member.value for member in kind)
    pick = choice(*names).parse
    return Kind(lambda raw: kind(pick(raw)), choice(*names).accepts, lambda v: str(v.value))


def _text(raw: str) -> str:
    if not raw.strip():
        raise ValueError("must not be empty")
    return raw


TEXT = Kind(_text, "text")


def _path(raw: str) -> Path:
    # Whether the folder exists and holds a model is for the code that loads it to say.
    return Path(_text(raw)).expanduser()


PATH = Kind(_path, "a folder path")

_DATABASE_SCHEMES = {"memory", "sqlite+aiosqlite", "postgresql+asyncpg", "postgresql", "postgres"}


def _database_url(raw: str) -> str:
    scheme = urlsplit(raw).scheme
    if scheme not in _DATABASE_SCHEMES:
        raise ValueError("must be memory://, sqlite+aiosqlite:///… or postgresql+asyncpg://…")
    if scheme in {"postgresql", "postgres"}:  # Supabase shows plain postgresql:// strings
        return "postgresql+asyncpg://" + raw.split("://", 1)[1]
    return raw


DATABASE_URL = Kind(
    _database_url,
    "`memory://`, `sqlite+aiosqlite:///path`, `postgresql+asyncpg://…` "
    "(a plain `postgresql://` is given the asyncpg driver)",
)


def url(*schemes: str, strip_slash: bool = False) -> Kind:
    listed = _either(f"{s}://" for s in schemes)

    def parse(raw: str) -> str:
        try:
            parts = urlsplit(raw)
            parts.port  # noqa: B018 - a port that is not a number raises here
        except ValueError:
            raise ValueError(f"must be a URL starting with {listed}") from None
        if parts.scheme not in schemes or not (parts.netloc or parts.path):
            raise ValueError(f"must be a URL starting with {listed}")
        if parts.scheme != "unix" and not parts.hostname:
            raise ValueError(f"must be a URL starting with {listed}, with a host")
        return raw.rstrip("/") if strip_slash else raw

    return Kind(parse, f"{_either(f'`{s}://`' for s in schemes)} URL")


def _mail_server(scheme: str) -> Kind:
    """IMAP or SMTP URLs, checked by the mail adapter's own parser at start-up, so that a URL
    the mail channel would refuse later is refused now, naming the variable."""

    def parse(raw: str) -> str:
        from helpdesk.adapters.mail.endpoints import parse_imap_url, parse_smtp_url

        endpoint = parse_imap_url if scheme == "imap" else parse_smtp_url
        marker = "\0"  # the adapter names what it parses first: the loader names it instead
        try:
            endpoint(raw, marker)
        except ValueError as e:
            raise ValueError(str(e).removeprefix(f"{marker}: ")) from None
        return raw

    return Kind(
        parse, f"`{scheme}://` or `{scheme}s://` URL (`?starttls=true` upgrades `{scheme}://`)"
    )


IMAP_URL = _mail_server("imap")
SMTP_URL = _mail_server("smtp")


def _address(raw: str) -> str:
    """An e-mail address, bare or with a display name (`Helpdesk <help@example.org>`)."""
    from email.utils import parseaddr

    _, address = parseaddr(raw)
    local, at, domain = address.rpartition("@")
    if not (at and local and "." in domain) or any(c.isspace() for c in address):
        raise ValueError("must be an e-mail address, e.g. helpdesk@example.org")
    return raw.strip()


ADDRESS = Kind(_address, "an e-mail address, optionally with a name: `Helpdesk <help@…>`")


def _categories(raw: str) -> tuple[Category, ...]:
    words = [word.strip() for word in raw.split(",") if word.strip()]
    if words == ["all"]:
        return tuple(Category)
    known = {c.value for c in Category}
    wrong = [w for w in words if w not in known]
    if wrong:
        raise ValueError(
            f"unknown category {wrong[0]!r}: use all, or some of {', '.join(sorted(known))}"
        )
    return tuple(c for c in Category if c.value in words)  # taxonomy order, no repeats


CATEGORIES = Kind(
    _categories,
    "empty (off), `all`, or categories separated by commas",
    lambda v: ",".join(c.value for c in v),
)


def _networks(raw: str) -> tuple[str, ...]:
    """Kept as normalized CIDR text (`192.0.2.7` → `192.0.2.7/32`): the settings object stays
    plain data that any serializer can describe; `Settings.trusted_networks` parses them."""
    found = []
    for word in (w.strip() for w in raw.split(",")):
        if not word:
            continue
        try:
            found.append(str(ipaddress.ip_network(word, strict=False)))
        except ValueError:
            raise ValueError(f"{word!r} is not an IP address or CIDR block") from None
    return tuple(found)


NETWORKS = Kind(
    _networks,
    "IP addresses or CIDR blocks separated by commas",
    ",".join,
)


def show(kind: Kind, value: Any) -> str:
    """A value as the text a variable would hold ("" for none)."""
    return "" if value is None else kind.show(value)
