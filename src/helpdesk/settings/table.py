"""The settings table: one field of `Settings` per setting, declaring its variable and aliases,
type, default, kind of value (the parser), whether it is a secret, whether it may be given as a
command-line flag, and what it means.

Loading, the global flags of `helpdesk`, the masking of `/dev/config` and the table in
docs/configuration.md are all derived from these declarations (`ROWS`); a new setting is one
new field here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from helpdesk.domain.arabic import TextPolicy
from helpdesk.domain.routing import Thresholds
from helpdesk.domain.taxonomy import Category
from helpdesk.settings import values as v
from helpdesk.settings.masking import MASK, mask_text

Environment = Literal["development", "test", "production"]
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./helpdesk.db"


@dataclass(frozen=True, slots=True)
class Entry:
    variable: str
    kind: v.Kind
    meaning: str
    aliases: tuple[str, ...] = ()
    secret: bool = False  # masked whole in /dev/config, never a flag
    flag: bool = False  # may be given as `helpdesk --<name> VALUE`
    default_text: str | None = None  # the default as the docs say it, when not a plain value


def setting(
    variable: str,
    kind: v.Kind,
    default: Any,
    meaning: str,
    *,
    aliases: tuple[str, ...] = (),
    secret: bool = False,
    flag: bool = False,
    default_text: str | None = None,
) -> Any:
    if secret and flag:
        # A flag shows in the process list and the shell history.
        raise ValueError(f"{variable}: a secret cannot be a command-line flag")
    entry = Entry(variable, kind, meaning, aliases, secret, flag, default_text)
    return field(default=default, metadata={"entry": entry})


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str = setting(
        "HELPDESK_DATABASE_URL",
        v.DATABASE_URL,
        DEFAULT_DATABASE_URL,
        "where tickets live: memory (one process, forgets on exit), a SQLite file, or "
        "PostgreSQL (Supabase's included)",
        aliases=("DATABASE_URL",),
        flag=True,
    )
    database_pooler: Literal["transaction"] | None = setting(
        "HELPDESK_DATABASE_POOLER",
        v.choice("transaction"),
        None,
        "`transaction` when the URL points at a transaction-mode pooler (Supabase on port "
        "6543, pgbouncer): no prepared statement outlives a transaction",
        flag=True,
    )
    database_connections: int | None = setting(
        "HELPDESK_DATABASE_CONNECTIONS",
        v.whole(1, 1000),
        None,
        "database connections each server worker (and each command) may open, kept open once "
        "opened; a request that finds them all busy waits for one",
        flag=True,
        default_text="20 on PostgreSQL, 10 on SQLite",
    )
    jwt_secret: str | None = setting(
        "HELPDESK_JWT_SECRET",
        v.TEXT,
        None,
        "HS256 secret for access tokens; production needs at least 32 bytes",
        aliases=("SUPABASE_JWT_SECRET",),
        secret=True,
        default_text="outside production: generated once, kept in `.helpdesk/jwt-secret` "
        "beside the SQLite file (or in the working directory)",
    )
    jwks_url: str | None = setting(
        "HELPDESK_JWKS_URL",
        v.url("http", "https", strip_slash=True),
        None,
        "JWKS for ES256/RS256 tokens (Supabase's asymmetric keys)",
        flag=True,
    )
    jwt_audience: str = setting(
        "HELPDESK_JWT_AUDIENCE", v.TEXT, "authenticated", "required `aud` claim", flag=True
    )
    jwt_issuer: str | None = setting(
        "HELPDESK_JWT_ISSUER", v.TEXT, None, "required `iss` claim, when set", flag=True
    )
    classifier_url: str | None = setting(
        "HELPDESK_CLASSIFIER_URL",
        v.url("http", "https", strip_slash=True),
        None,
        "an external classifier service; without it the embedded model runs in-process",
        flag=True,
    )
    classifier_timeout: float = setting(
        "HELPDESK_CLASSIFIER_TIMEOUT",
        v.number(0.05, 60.0, "seconds"),
        2.0,
        "budget of one classification call to the external classifier, retry included",
        flag=True,
    )
    classifier_model: Path | None = setting(
        "HELPDESK_CLASSIFIER_MODEL",
        v.PATH,
        None,
        "a model folder made by `helpdesk classifier train`, for the embedded classifier "
        "(checked when the model is loaded)",
        flag=True,
        default_text="the shipped model",
    )
    routing_auto_threshold: float = setting(
        "HELPDESK_ROUTING_AUTO_THRESHOLD",
        v.number(0.0, 1.0),
        0.80,
        "confidence from which a ticket is routed automatically",
        flag=True,
    )
    routing_suggest_threshold: float = setting(
        "HELPDESK_ROUTING_SUGGEST_THRESHOLD",
        v.number(0.0, 1.0),
        0.55,
        "confidence from which a department is suggested; not above the auto threshold",
        flag=True,
    )
    routing_min_margin: float = setting(
        "HELPDESK_ROUTING_MIN_MARGIN",
        v.number(0.0, 1.0),
        0.10,
        "lead the top category needs over the second for automatic routing",
        flag=True,
    )
    routing_shadow: tuple[Category, ...] = setting(
        "HELPDESK_ROUTING_SHADOW",
        v.CATEGORIES,
        (),
        "categories in shadow mode: what auto-routing would have done is recorded, the "
        "ticket goes to triage with the suggestion",
        flag=True,
        default_text="none",
    )
    supabase_url: str | None = setting(
        "HELPDESK_SUPABASE_URL",
        v.url("http", "https", strip_slash=True),
        None,
        "with the service role key: identities are managed through Supabase Auth (and the "
        "local login endpoint is absent)",
        aliases=("SUPABASE_URL",),
        flag=True,
    )
    supabase_service_role_key: str | None = setting(
        "HELPDESK_SUPABASE_SERVICE_ROLE_KEY",
        v.TEXT,
        None,
        "Supabase's service role key; set together with the Supabase URL",
        aliases=("SUPABASE_SERVICE_ROLE_KEY",),
        secret=True,
    )
    text_policy: TextPolicy = setting(
        "HELPDESK_TEXT_POLICY",
        v.enumeration(TextPolicy),
        TextPolicy.ARABIC_ONLY,
        "how much non-Arabic text a ticket may hold",
        flag=True,
    )
    rate_limit: int = setting(
        "HELPDESK_RATE_LIMIT",
        v.whole(0, 1_000_000),
        120,
        "requests per minute per user on `/api/v1/*`; `0` turns it off",
        flag=True,
    )
    redis_url: str | None = setting(
        "HELPDESK_REDIS_URL",
        v.url("redis", "rediss", "unix"),
        None,
        "shared rate-limit counters; without it each worker counts on its own, so with "
        "N workers a user may make up to N times the limit",
    )
    trusted_proxies: tuple[str, ...] = setting(
        "HELPDESK_TRUSTED_PROXIES",
        v.NETWORKS,
        (),
        "proxies whose forwarded-for headers are believed; from anyone else they are ignored",
        flag=True,
        default_text="none",
    )
    metrics: bool | None = setting(
        "HELPDESK_METRICS",
        v.BOOLEAN,
        None,
        "Prometheus metrics at `/metrics` (no token, not rate-limited: restrict it at the "
        "proxy or network where it is on in production)",
        flag=True,
        default_text="on, except in production",
    )
    profile_cache_seconds: float = setting(
        "HELPDESK_PROFILE_CACHE_SECONDS",
        v.number(0, 60, "seconds"),
        5.0,
        "how long a worker reuses a caller's profile (role, department, active) and the "
        "reference data every create reads (departments, SLA policies, department calendars) "
        "without reading them again; a change made through this service is seen at once by "
        "every worker on PostgreSQL and by the worker that made it on SQLite (others within "
        "this time); `0` reads them on every request",
        flag=True,
    )
    env: Environment = setting(
        "HELPDESK_ENV",
        v.choice("development", "test", "production"),
        "development",
        "production refuses unsafe set-ups (see below), never generates a secret, never "
        "migrates on `serve`, and turns the dev utilities off",
        flag=True,
    )
    dev_utilities: bool = setting(
        "HELPDESK_DEV_UTILITIES",
        v.BOOLEAN,
        True,
        "the `/api/v1/stats/dev/*` endpoints (never in production)",
        flag=True,
    )
    scheduler: Literal["inline", "off"] = setting(
        "HELPDESK_SCHEDULER",
        v.choice("inline", "off"),
        "inline",
        "`inline`: `helpdesk serve` also runs the periodic work (one process at a time); "
        "`off`: only `helpdesk worker` does",
        flag=True,
    )
    sla_interval: float = setting(
        "HELPDESK_SLA_INTERVAL",
        v.number(0.1, 86_400, "seconds"),
        30.0,
        "time between two SLA passes",
        flag=True,
    )
    mail_poll_interval: float = setting(
        "HELPDESK_MAIL_POLL_INTERVAL",
        v.number(0.1, 86_400, "seconds"),
        60.0,
        "time between two inbound mail passes",
        flag=True,
    )
    mail_imap_url: str | None = setting(
        "HELPDESK_MAIL_IMAP_URL",
        v.IMAP_URL,
        None,
        "the mailbox polled for tickets: `imaps://user:password@host:port/FOLDER` (INBOX "
        "when no folder is named)",
    )
    mail_done_folder: str = setting(
        "HELPDESK_MAIL_DONE_FOLDER",
        v.TEXT,
        "Processed",
        "where a handled message is moved",
        flag=True,
    )
    mail_unknown_senders: Literal["create", "refuse"] = setting(
        "HELPDESK_MAIL_UNKNOWN_SENDERS",
        v.choice("create", "refuse"),
        "create",
        "a message from an address with no profile: create an end user, or reply with a refusal",
        flag=True,
    )
    mail_attachments_dir: Path = setting(
        "HELPDESK_MAIL_ATTACHMENTS_DIR",
        v.PATH,
        Path("helpdesk-attachments"),
        "the folder where attachments of mailed tickets are kept (created when needed; "
        "relative to the working directory unless absolute)",
        flag=True,
    )
    mail_smtp_url: str | None = setting(
        "HELPDESK_MAIL_SMTP_URL",
        v.SMTP_URL,
        None,
        "the server outbound mail is sent through: `smtps://user:password@host:port`",
    )
    mail_from: str | None = setting(
        "HELPDESK_MAIL_FROM",
        v.ADDRESS,
        None,
        "the sender of outbound mail",
        flag=True,
    )
    log_format: Literal["text", "json"] = setting(
        "HELPDESK_LOG_FORMAT",
        v.choice("text", "json"),
        "text",
        "`json`: one JSON object a line, for log collectors",
        flag=True,
    )
    log_level: Literal["debug", "info", "warning", "error"] = setting(
        "HELPDESK_LOG_LEVEL",
        v.choice("debug", "info", "warning", "error"),
        "info",
        "the least severe log records written",
        flag=True,
    )

    @property
    def storage_kind(self) -> Literal["memory", "sqlite", "postgresql"]:
        scheme = urlsplit(self.database_url).scheme
        if scheme == "memory":
            return "memory"
        if scheme.startswith("sqlite"):
            return "sqlite"
        return "postgresql"

    @property
    def thresholds(self) -> Thresholds:
        return Thresholds(
            auto=self.routing_auto_threshold,
            suggest=self.routing_suggest_threshold,
            min_margin=self.routing_min_margin,
            shadow=frozenset(self.routing_shadow),
        )

    @property
    def dev_utilities_enabled(self) -> bool:
        return self.dev_utilities and self.env != "production"

    @property
    def metrics_enabled(self) -> bool:
        return self.metrics if self.metrics is not None else self.env != "production"

    @property
    def trusted_networks(self) -> tuple[IPv4Network | IPv6Network, ...]:
        return tuple(ip_network(cidr) for cidr in self.trusted_proxies)

    @property
    def uses_supabase_identity(self) -> bool:
        return bool(self.supabase_url and self.supabase_service_role_key)

    @property
    def state_dir(self) -> Path:
        """Where development state (the generated secret) lives: beside the SQLite file, or in
        the working directory for other databases. Always absolute."""
        if self.storage_kind == "sqlite":
            path = self.database_url.split("///", 1)[-1].split("?", 1)[0]
            if path and path != ":memory:":
                return Path(path).expanduser().resolve().parent / ".helpdesk"
        return Path.cwd().resolve() / ".helpdesk"

    def masked(self) -> dict[str, Any]:
        """Every setting as JSON-ready values: secrets masked whole, and passwords, keys and
        tokens inside URLs masked (the `user:password@` part and the query string)."""
        out: dict[str, Any] = {}
        for row in ROWS:
            value = getattr(self, row.name)
            if value is None:
                out[row.name] = None
            elif row.entry.secret:
                out[row.name] = MASK
            elif isinstance(value, bool | int | float):
                out[row.name] = value
            elif isinstance(value, tuple):
                out[row.name] = [str(item) for item in value]
            else:
                out[row.name] = mask_text(str(value))
        out["dev_utilities"] = self.dev_utilities_enabled
        return out


@dataclass(frozen=True, slots=True)
class Row:
    """One setting: its field name, default and declaration."""

    name: str
    default: Any
    entry: Entry

    @property
    def variables(self) -> tuple[str, ...]:
        """The names it is read from, the first winning over its aliases."""
        return (self.entry.variable, *self.entry.aliases)

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    def source_name(self) -> str:
        """How an error names a value given directly (a flag, or a field set in code)."""
        return self.flag if self.entry.flag else self.entry.variable


ROWS: tuple[Row, ...] = tuple(Row(f.name, f.default, f.metadata["entry"]) for f in fields(Settings))
BY_NAME: dict[str, Row] = {row.name: row for row in ROWS}
