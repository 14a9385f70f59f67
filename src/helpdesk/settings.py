"""Configuration: defaults < `.env` file < environment < CLI flags, into one validated object.

Invalid settings raise `SettingsError` whose message is one line naming the variable; the CLI
prints it and stops.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from dotenv import dotenv_values

from helpdesk.domain.arabic import TextPolicy
from helpdesk.domain.errors import ValidationFailed
from helpdesk.domain.routing import Thresholds

Environment = Literal["development", "test", "production"]
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./helpdesk.db"
SECRET_FIELDS = frozenset({"jwt_secret", "supabase_service_role_key"})


class SettingsError(Exception):
    """One clear line naming the variable that is wrong."""


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    database_pooler: Literal["transaction"] | None = None
    jwt_secret: str | None = None
    jwks_url: str | None = None
    jwt_audience: str = "authenticated"
    jwt_issuer: str | None = None
    classifier_url: str | None = None
    classifier_timeout: float = 2.0
    classifier_model: str | None = None
    routing_auto_threshold: float = 0.80
    routing_suggest_threshold: float = 0.55
    routing_min_margin: float = 0.10
    supabase_url: str | None = None
    supabase_service_role_key: str | None = None
    text_policy: TextPolicy = TextPolicy.ARABIC_ONLY
    rate_limit: int = 120
    redis_url: str | None = None
    env: Environment = "development"
    dev_utilities: bool = True

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
        )

    @property
    def dev_utilities_enabled(self) -> bool:
        return self.dev_utilities and self.env != "production"

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
        """Every setting, with secrets (and passwords inside URLs) masked."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in SECRET_FIELDS and value:
                value = "********"
            elif isinstance(value, str) and "://" in value:
                value = _mask_url(value)
            out[f.name] = value
        out["dev_utilities"] = self.dev_utilities_enabled
        return out


def _mask_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":********@")
        return parts._replace(netloc=netloc).geturl()
    return url


# variable names (first wins) for each field
_SOURCES: dict[str, tuple[str, ...]] = {
    "database_url": ("HELPDESK_DATABASE_URL", "DATABASE_URL"),
    "database_pooler": ("HELPDESK_DATABASE_POOLER",),
    "jwt_secret": ("HELPDESK_JWT_SECRET", "SUPABASE_JWT_SECRET"),
    "jwks_url": ("HELPDESK_JWKS_URL",),
    "jwt_audience": ("HELPDESK_JWT_AUDIENCE",),
    "jwt_issuer": ("HELPDESK_JWT_ISSUER",),
    "classifier_url": ("HELPDESK_CLASSIFIER_URL",),
    "classifier_timeout": ("HELPDESK_CLASSIFIER_TIMEOUT",),
    "classifier_model": ("HELPDESK_CLASSIFIER_MODEL",),
    "routing_auto_threshold": ("HELPDESK_ROUTING_AUTO_THRESHOLD",),
    "routing_suggest_threshold": ("HELPDESK_ROUTING_SUGGEST_THRESHOLD",),
    "routing_min_margin": ("HELPDESK_ROUTING_MIN_MARGIN",),
    "supabase_url": ("HELPDESK_SUPABASE_URL", "SUPABASE_URL"),
    "supabase_service_role_key": (
        "HELPDESK_SUPABASE_SERVICE_ROLE_KEY",
        "SUPABASE_SERVICE_ROLE_KEY",
    ),
    "text_policy": ("HELPDESK_TEXT_POLICY",),
    "rate_limit": ("HELPDESK_RATE_LIMIT",),
    "redis_url": ("HELPDESK_REDIS_URL",),
    "env": ("HELPDESK_ENV",),
    "dev_utilities": ("HELPDESK_DEV_UTILITIES",),
}


def _number(
    kind: type[float] | type[int], low: float | None, high: float | None
) -> Callable[[str], Any]:
    def parse(raw: str) -> Any:
        try:
            value = kind(raw)
        except ValueError:
            raise ValueError(f"must be a {'whole number' if kind is int else 'number'}") from None
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValueError(f"must be between {low} and {high}")
        return value

    return parse


def _boolean(raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError("must be one of on/off, true/false, 1/0")


def _choice(*allowed: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if raw not in allowed:
            raise ValueError(f"must be one of {', '.join(allowed)}")
        return raw

    return parse


def _database_url(raw: str) -> str:
    scheme = urlsplit(raw).scheme
    if scheme not in {"memory", "sqlite+aiosqlite", "postgresql+asyncpg", "postgresql", "postgres"}:
        raise ValueError("must be memory://, sqlite+aiosqlite:///… or postgresql+asyncpg://…")
    if scheme in {"postgresql", "postgres"}:  # Supabase shows plain postgresql:// strings
        return "postgresql+asyncpg://" + raw.split("://", 1)[1]
    return raw


def _http_url(raw: str) -> str:
    if urlsplit(raw).scheme not in {"http", "https"} or not urlsplit(raw).netloc:
        raise ValueError("must be an http(s) URL")
    return raw.rstrip("/")


def _directory(raw: str) -> str:
    if not Path(raw).expanduser().is_dir():
        raise ValueError(f"no model folder at {raw}")
    return str(Path(raw).expanduser().resolve())


def _text(raw: str) -> str:
    if not raw.strip():
        raise ValueError("must not be empty")
    return raw


_PARSERS: dict[str, Callable[[str], Any]] = {
    "database_url": _database_url,
    "database_pooler": _choice("transaction"),
    "jwt_secret": _text,
    "jwks_url": _http_url,
    "jwt_audience": _text,
    "jwt_issuer": _text,
    "classifier_url": _http_url,
    "classifier_timeout": _number(float, 0.05, 60.0),
    "classifier_model": _directory,
    "routing_auto_threshold": _number(float, 0.0, 1.0),
    "routing_suggest_threshold": _number(float, 0.0, 1.0),
    "routing_min_margin": _number(float, 0.0, 1.0),
    "supabase_url": _http_url,
    "supabase_service_role_key": _text,
    "text_policy": lambda raw: TextPolicy(_choice(*TextPolicy)(raw)),
    "rate_limit": _number(int, 0, 1_000_000),
    "redis_url": _text,
    "env": _choice("development", "test", "production"),
    "dev_utilities": _boolean,
}


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    env_file: str | Path | None = ".env",
) -> Settings:
    """Read settings from the layers; `overrides` are CLI flags (field names, typed values)."""
    environ = os.environ if environ is None else environ
    file_values = {
        k: v
        for k, v in (
            dotenv_values(env_file) if env_file and Path(env_file).exists() else {}
        ).items()
        if v is not None
    }
    values: dict[str, Any] = {}
    for name, variables in _SOURCES.items():
        for layer in (file_values, environ):
            for variable in variables:
                raw = layer.get(variable)
                if raw is not None and raw != "":
                    try:
                        values[name] = _PARSERS[name](raw)
                    except ValueError as e:
                        raise SettingsError(f"{variable}: {e}") from None
                    break
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    settings = Settings(**values)
    _check(settings)
    return settings


def _check(settings: Settings) -> None:
    try:
        settings.thresholds  # noqa: B018 - validates the three routing settings together
    except ValidationFailed as e:
        raise SettingsError(
            f"HELPDESK_ROUTING_{e.errors[0].field.upper()}: {e.errors[0].message}"
        ) from None
    if settings.env == "production" and not (settings.jwt_secret or settings.jwks_url):
        raise SettingsError(
            "HELPDESK_JWT_SECRET: production needs a configured secret or HELPDESK_JWKS_URL"
        )
    if bool(settings.supabase_url) != bool(settings.supabase_service_role_key):
        raise SettingsError(
            "HELPDESK_SUPABASE_SERVICE_ROLE_KEY: set it together with HELPDESK_SUPABASE_URL"
        )


def with_development_secret(settings: Settings) -> Settings:
    """Outside production, a missing HS256 secret is generated once and kept in
    `<state_dir>/jwt-secret`, so tokens survive restarts and every worker agrees on it."""
    if settings.jwt_secret or settings.env == "production":
        return settings
    path = settings.state_dir / "jwt-secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first: use theirs
            pass
        else:
            with os.fdopen(fd, "w") as file:
                file.write(secrets.token_urlsafe(48))
    return replace(settings, jwt_secret=path.read_text().strip())
