"""Reading the settings: defaults < `.env` file < environment < command-line flags, every layer
through the same parsers, then the checks that look at several settings at once, and the
refusals of production."""

from __future__ import annotations

import difflib
import os
import secrets
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from dotenv import dotenv_values

from helpdesk.domain.errors import ValidationFailed
from helpdesk.settings.table import BY_NAME, ROWS, Settings
from helpdesk.settings.values import show

PREFIX = "HELPDESK_"
# Read by the test suite, never by the service: not a misspelled setting.
NOT_SETTINGS_PREFIX = "HELPDESK_TEST_"
MIN_HS256_SECRET_BYTES = 32  # RFC 7518: an HMAC key at least as long as the hash output

Warn = Callable[[str], None]


class SettingsError(Exception):
    """One clear line naming the variable (or flag) that is wrong."""


def print_warning(line: str) -> None:
    print(f"helpdesk: warning: {line}", file=sys.stderr)


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    env_file: str | Path | None = ".env",
    warn: Warn = print_warning,
) -> Settings:
    """Read settings from the layers. `overrides` (field name → value) are the command-line
    flags, or values set in code: text is parsed like the environment's, other values are
    written as text first and parsed the same way, so every layer meets the same rules."""
    environ = os.environ if environ is None else environ
    file_values = _read_env_file(env_file)
    values: dict[str, Any] = {}
    given_as: dict[str, str] = {}  # field → the variable or flag its value came from
    for row in ROWS:
        for layer in (file_values, environ):
            for variable in row.variables:
                raw = layer.get(variable)
                if raw is not None and raw != "":
                    values[row.name] = _parse(row.name, raw, variable)
                    given_as[row.name] = variable
                    break
    for name, value in (overrides or {}).items():
        if name not in BY_NAME:
            raise TypeError(f"no setting named {name!r}")
        if value is None:
            continue
        row = BY_NAME[name]
        raw = value if isinstance(value, str) else show(row.entry.kind, value)
        values[name] = _parse(name, raw, row.source_name())
        given_as[name] = row.source_name()
    settings = Settings(**values)
    _check(settings, given_as, warn)
    _check_unknown(settings, [*file_values, *environ], warn)
    return settings


def _read_env_file(env_file: str | Path | None) -> dict[str, str]:
    if not env_file or not Path(env_file).exists():
        return {}
    return {k: v for k, v in dotenv_values(env_file).items() if v is not None}


def _parse(name: str, raw: str, given_as: str) -> Any:
    try:
        return BY_NAME[name].entry.kind.parse(raw)
    except ValueError as e:
        raise SettingsError(f"{given_as}: {e}") from None


def _check(settings: Settings, given_as: Mapping[str, str], warn: Warn) -> None:
    def name_of(field: str) -> str:
        return given_as.get(field, BY_NAME[field].entry.variable)

    try:
        settings.thresholds  # noqa: B018 - validates the three routing settings together
    except ValidationFailed as e:
        field = f"routing_{e.errors[0].field}"
        raise SettingsError(f"{name_of(field)}: {e.errors[0].message}") from None
    production = settings.env == "production"
    if production and not (settings.jwt_secret or settings.jwks_url):
        raise SettingsError(
            "HELPDESK_JWT_SECRET: production needs a configured secret or HELPDESK_JWKS_URL"
        )
    if settings.jwt_secret is not None:
        size = len(settings.jwt_secret.encode())
        if size < MIN_HS256_SECRET_BYTES:
            line = (
                f"{name_of('jwt_secret')}: an HS256 secret needs at least "
                f"{MIN_HS256_SECRET_BYTES} bytes, this one has {size}"
            )
            if production:
                raise SettingsError(line)
            warn(line + " (refused in production)")
    if bool(settings.supabase_url) != bool(settings.supabase_service_role_key):
        raise SettingsError(
            "HELPDESK_SUPABASE_SERVICE_ROLE_KEY: set it together with HELPDESK_SUPABASE_URL"
        )


KNOWN_VARIABLES = frozenset(
    variable for row in ROWS for variable in row.variables if variable.startswith(PREFIX)
)


def unknown_variables(names: Iterable[str]) -> list[str]:
    """`HELPDESK_*` names that are no setting, each with a "did you mean" when one is close."""
    lines = []
    for name in sorted(set(names)):
        if not name.startswith(PREFIX) or name.startswith(NOT_SETTINGS_PREFIX):
            continue
        if name in KNOWN_VARIABLES:
            continue
        close = _closest(name)
        hint = f"; did you mean {close}?" if close else ""
        lines.append(f"{name}: not a setting{hint}")
    return lines


def _closest(name: str) -> str | None:
    # Compared without the prefix every name shares, which would make all of them look alike.
    wanted = name.removeprefix(PREFIX)
    known = {variable.removeprefix(PREFIX): variable for variable in KNOWN_VARIABLES}
    close = difflib.get_close_matches(wanted, known, n=1, cutoff=0.7)
    if close:
        return known[close[0]]
    # A name written out longer or shorter: HELPDESK_ENVIRONMENT for HELPDESK_ENV.
    extends = [k for k in known if wanted.startswith(k) or k.startswith(wanted)]
    return known[extends[0]] if len(extends) == 1 and len(wanted) >= 3 else None


def _check_unknown(settings: Settings, names: Iterable[str], warn: Warn) -> None:
    """A misspelled variable would leave its setting at the default without a word: production
    refuses it, development and test say so."""
    lines = unknown_variables(names)
    if lines and settings.env == "production":
        raise SettingsError(lines[0] + " (production refuses unknown HELPDESK_* variables)")
    for line in lines:
        warn(line)


def environment_of(settings: Settings) -> dict[str, str]:
    """The variables that reproduce `settings` in another process that reads the same `.env`
    file, e.g. the workers of `helpdesk serve --workers N` (a setting that is unset here is
    unset in both the file and the environment, so it stays unset there too)."""
    return {
        row.entry.variable: show(row.entry.kind, getattr(settings, row.name))
        for row in ROWS
        if getattr(settings, row.name) is not None
    }


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
