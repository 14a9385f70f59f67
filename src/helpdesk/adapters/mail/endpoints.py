"""Mail server URLs: `imap://user:password@host:port/FOLDER`, `imaps://…`, `smtp://…`, `smtps://…`,
with `?starttls=true` to upgrade a plain connection. User, password and folder are
percent-decoded (a password with `@` or `/` is written `%40`, `%2F`). A bad URL raises
ValueError with one line naming what is wrong, never the password.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import parse_qs, unquote, urlsplit

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}
_DEFAULT_PORTS = {"imap": 143, "imaps": 993, "smtp": 25, "smtps": 465}


@dataclass(frozen=True, slots=True)
class Endpoint:
    scheme: str
    host: str
    port: int
    username: str | None
    password: str | None = field(repr=False)
    implicit_tls: bool  # imaps/smtps: TLS from the first byte
    starttls: bool  # upgrade a plain connection before logging in
    folder: str = ""  # IMAP: the folder taken from (INBOX when the URL names none)

    @property
    def secure(self) -> bool:
        return self.implicit_tls or self.starttls

    def __str__(self) -> str:
        """For logs and errors: no password."""
        user = f"{self.username}@" if self.username else ""
        path = f"/{self.folder}" if self.scheme.startswith("imap") else ""
        return f"{self.scheme}://{user}{self.host}:{self.port}{path}"


def _parse(url: str, schemes: tuple[str, str], what: str) -> Endpoint:
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise ValueError(f"{what}: not a valid URL ({error})") from None
    scheme = parts.scheme.casefold()
    if scheme not in schemes:
        raise ValueError(f"{what}: the scheme must be {' or '.join(schemes)}, not {scheme!r}")
    if not parts.hostname:
        raise ValueError(f"{what}: no host")
    query = parse_qs(parts.query, keep_blank_values=True)
    unknown = set(query) - {"starttls"}
    if unknown:
        raise ValueError(f"{what}: unknown parameter {sorted(unknown)[0]!r} (only starttls)")
    raw = (query.get("starttls") or ["false"])[-1].casefold()
    if raw not in _TRUE | _FALSE:
        raise ValueError(f"{what}: starttls must be true or false, not {raw!r}")
    implicit_tls = scheme == schemes[1]
    starttls = raw in _TRUE
    if implicit_tls and starttls:
        raise ValueError(
            f"{what}: {scheme}:// is TLS already; starttls=true is for {schemes[0]}://"
        )
    return Endpoint(
        scheme=scheme,
        host=parts.hostname,
        port=port or _DEFAULT_PORTS[scheme],
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
        implicit_tls=implicit_tls,
        starttls=starttls,
        folder=unquote(parts.path.strip("/")),
    )


def parse_imap_url(url: str, what: str = "HELPDESK_MAIL_IMAP_URL") -> Endpoint:
    endpoint = _parse(url, ("imap", "imaps"), what)
    if not endpoint.username or endpoint.password is None:
        raise ValueError(f"{what}: the URL must carry the user and password to log in with")
    return replace(endpoint, folder=endpoint.folder or "INBOX")


def parse_smtp_url(url: str, what: str = "HELPDESK_MAIL_SMTP_URL") -> Endpoint:
    endpoint = _parse(url, ("smtp", "smtps"), what)
    if endpoint.folder:
        raise ValueError(f"{what}: an SMTP URL has no path")
    if endpoint.username and endpoint.password is None:
        raise ValueError(f"{what}: a user without a password")
    return endpoint
