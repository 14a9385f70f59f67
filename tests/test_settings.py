"""Layered configuration: defaults < .env < environment < CLI flags, with clear errors."""

from __future__ import annotations

import json
from ipaddress import IPv4Address
from pathlib import Path
from typing import Any

import pytest

from helpdesk.domain.taxonomy import Category
from helpdesk.settings import (
    ROWS,
    SettingsError,
    environment_of,
    load_settings,
    unknown_variables,
    with_development_secret,
)
from helpdesk.settings.docs import END, START, regenerate, render_table, with_table
from helpdesk.settings.masking import mask_url
from helpdesk.settings.table import Row, setting
from helpdesk.settings.values import TEXT


def test_defaults_follow_the_contract() -> None:
    s = load_settings(environ={}, env_file=None)
    assert s.database_url == "sqlite+aiosqlite:///./helpdesk.db"
    assert (s.routing_auto_threshold, s.routing_suggest_threshold, s.routing_min_margin) == (
        0.80,
        0.55,
        0.10,
    )
    assert s.classifier_timeout == 2.0
    assert s.rate_limit == 120
    assert s.jwt_audience == "authenticated"
    assert s.env == "development"
    assert s.dev_utilities_enabled


def test_layers_override_in_order(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("HELPDESK_RATE_LIMIT=10\nHELPDESK_CLASSIFIER_TIMEOUT=3\n")
    s = load_settings(
        {"classifier_timeout": 4.0},
        environ={"HELPDESK_CLASSIFIER_TIMEOUT": "5"},
        env_file=env_file,
    )
    assert s.rate_limit == 10  # from the file
    assert s.classifier_timeout == 4.0  # the flag beats the environment, which beats the file


def test_aliases_are_read() -> None:
    s = load_settings(
        environ={
            "DATABASE_URL": "postgresql://u:p@db.example:6543/postgres",
            "SUPABASE_JWT_SECRET": "x" * 40,
            "SUPABASE_URL": "https://project.supabase.co",
            "SUPABASE_SERVICE_ROLE_KEY": "service",
        },
        env_file=None,
    )
    assert s.database_url == "postgresql+asyncpg://u:p@db.example:6543/postgres"
    assert s.jwt_secret == "x" * 40
    assert s.uses_supabase_identity


def test_the_prefixed_name_wins_over_its_alias() -> None:
    s = load_settings(
        environ={"DATABASE_URL": "memory://", "HELPDESK_DATABASE_URL": "sqlite+aiosqlite:///x.db"},
        env_file=None,
    )
    assert s.database_url == "sqlite+aiosqlite:///x.db"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("HELPDESK_CLASSIFIER_TIMEOUT", "soon"),
        ("HELPDESK_ROUTING_AUTO_THRESHOLD", "1.5"),
        ("HELPDESK_RATE_LIMIT", "-1"),
        ("HELPDESK_TEXT_POLICY", "latin"),
        ("HELPDESK_DATABASE_URL", "mysql://x"),
        ("HELPDESK_ENV", "staging"),
        ("HELPDESK_DEV_UTILITIES", "perhaps"),
        ("HELPDESK_CLASSIFIER_URL", "ftp://x"),
    ],
)
def test_an_invalid_setting_names_its_variable(variable: str, value: str) -> None:
    with pytest.raises(SettingsError) as error:
        load_settings(environ={variable: value}, env_file=None)
    assert str(error.value).startswith(f"{variable}: ")
    assert "\n" not in str(error.value)


def test_suggest_above_auto_is_refused() -> None:
    with pytest.raises(SettingsError, match="HELPDESK_ROUTING_SUGGEST_THRESHOLD"):
        load_settings(
            environ={
                "HELPDESK_ROUTING_AUTO_THRESHOLD": "0.6",
                "HELPDESK_ROUTING_SUGGEST_THRESHOLD": "0.7",
            },
            env_file=None,
        )


def test_production_needs_a_secret_and_turns_dev_utilities_off() -> None:
    with pytest.raises(SettingsError, match="HELPDESK_JWT_SECRET"):
        load_settings(environ={"HELPDESK_ENV": "production"}, env_file=None)
    s = load_settings(
        environ={
            "HELPDESK_ENV": "production",
            "HELPDESK_JWT_SECRET": "s" * 40,
            "HELPDESK_DEV_UTILITIES": "on",
        },
        env_file=None,
    )
    assert not s.dev_utilities_enabled


def test_development_secret_is_made_once_beside_the_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/data/helpdesk.db"
    first = with_development_secret(load_settings({"database_url": url}, environ={}, env_file=None))
    again = with_development_secret(load_settings({"database_url": url}, environ={}, env_file=None))
    secret_file = tmp_path / "data" / ".helpdesk" / "jwt-secret"
    assert secret_file.exists()
    assert first.jwt_secret == again.jwt_secret == secret_file.read_text().strip()
    assert len(first.jwt_secret or "") >= 32


def test_masked_hides_secrets_and_url_passwords() -> None:
    s = load_settings(
        environ={
            "HELPDESK_DATABASE_URL": "postgresql+asyncpg://app:hunter2@db:5432/helpdesk",
            "HELPDESK_JWT_SECRET": "very-secret-value-0123456789abcdef",
        },
        env_file=None,
    )
    text = str(s.masked())
    assert "hunter2" not in text
    assert "very-secret-value" not in text


# --- every layer through the same parsers -----------------------------------------------------

# A valid text for every setting that may be a flag; a new flag needs an example here.
EXAMPLES = {
    "database_url": "postgresql://app@db.example:5432/helpdesk",
    "database_pooler": "transaction",
    "database_connections": "7",
    "jwks_url": "https://project.supabase.co/auth/v1/.well-known/jwks.json",
    "jwt_audience": "helpdesk",
    "jwt_issuer": "https://project.supabase.co/auth/v1",
    "classifier_url": "http://classifier.internal:8100/",
    "classifier_timeout": "3.5",
    "classifier_model": "~/models/acme",
    "routing_auto_threshold": "0.9",
    "routing_suggest_threshold": "0.6",
    "routing_min_margin": "0.2",
    "routing_shadow": "printing, email",
    "supabase_url": "https://project.supabase.co",
    "text_policy": "arabic_majority",
    "rate_limit": "30",
    "trusted_proxies": "10.0.0.0/8, 192.0.2.7",
    "metrics": "off",
    "profile_cache_seconds": "2.5",
    "env": "test",
    "dev_utilities": "off",
    "scheduler": "off",
    "sla_interval": "15",
    "mail_poll_interval": "120",
    "mail_done_folder": "Done",
    "mail_unknown_senders": "refuse",
    "mail_attachments_dir": "/var/lib/helpdesk/attachments",
    "mail_from": "Helpdesk <helpdesk@example.org>",
    "log_format": "json",
    "log_level": "debug",
}


def _flag_rows() -> list[Row]:
    return [row for row in ROWS if row.entry.flag]


def test_every_flag_has_an_example() -> None:
    assert {row.name for row in _flag_rows()} == set(EXAMPLES)


@pytest.mark.parametrize("row", _flag_rows(), ids=lambda row: row.flag)
def test_a_flag_is_parsed_like_its_variable(row: Row) -> None:
    raw = EXAMPLES[row.name]
    # The Supabase URL comes with its key, a secret (never a flag).
    base = {"HELPDESK_SUPABASE_SERVICE_ROLE_KEY": "key"} if row.name == "supabase_url" else {}
    from_flag = load_settings({row.name: raw}, environ=base, env_file=None)
    from_environment = load_settings(environ={**base, row.entry.variable: raw}, env_file=None)
    assert getattr(from_flag, row.name) == getattr(from_environment, row.name)
    assert getattr(from_flag, row.name) != row.default


def test_a_plain_postgresql_url_gets_the_asyncpg_driver_from_a_flag() -> None:
    s = load_settings({"database_url": "postgresql://u@db:5432/x"}, environ={}, env_file=None)
    assert s.database_url == "postgresql+asyncpg://u@db:5432/x"
    assert s.storage_kind == "postgresql"


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("database_url", "mysql://x"),
        ("classifier_timeout", "soon"),
        ("rate_limit", "-1"),
        ("text_policy", "latin"),
        ("routing_shadow", "printers"),
        ("classifier_url", "ftp://x"),
    ],
)
def test_a_flag_is_refused_like_its_variable_and_named(name: str, raw: str) -> None:
    flag = "--" + name.replace("_", "-")
    with pytest.raises(SettingsError) as refused:
        load_settings({name: raw}, environ={}, env_file=None)
    assert str(refused.value).startswith(f"{flag}: ")
    assert "\n" not in str(refused.value)


def test_typed_values_set_in_code_meet_the_same_rules() -> None:
    s = load_settings(
        {"rate_limit": 0, "dev_utilities": False, "classifier_timeout": 4.25},
        environ={},
        env_file=None,
    )
    assert (s.rate_limit, s.dev_utilities, s.classifier_timeout) == (0, False, 4.25)
    with pytest.raises(SettingsError, match="--rate-limit: must be between 0 and"):
        load_settings({"rate_limit": -5}, environ={}, env_file=None)


def test_no_secret_is_a_flag() -> None:
    assert {row.name for row in ROWS if row.entry.secret} == {
        "jwt_secret",
        "supabase_service_role_key",
    }
    assert not [row for row in ROWS if row.entry.secret and row.entry.flag]
    with pytest.raises(ValueError, match="cannot be a command-line flag"):
        setting("HELPDESK_X", TEXT, None, "x", secret=True, flag=True)


def test_the_cli_offers_a_flag_for_every_flag_row_and_none_for_secrets() -> None:
    from helpdesk.entrypoints.cli import build_parser

    options = set(build_parser()._option_string_actions)
    assert {row.flag for row in _flag_rows()} <= options
    assert "--jwt-secret" not in options
    assert "--supabase-service-role-key" not in options


def test_settings_survive_the_trip_to_a_worker_process() -> None:
    """`serve --workers N` hands its settings to workers through their environment."""
    original = load_settings(
        {name: raw for name, raw in EXAMPLES.items() if name != "env"},
        environ={
            "HELPDESK_JWT_SECRET": "w" * 40,
            "HELPDESK_SUPABASE_SERVICE_ROLE_KEY": "service-key",
            "HELPDESK_MAIL_IMAP_URL": "imaps://desk:pw@mail.example.org/INBOX",
            "HELPDESK_ROUTING_SHADOW": "all",
        },
        env_file=None,
    )
    assert load_settings(environ=environment_of(original), env_file=None) == original


# --- the settings the contract lists ------------------------------------------------------------


def test_new_settings_have_the_contracts_defaults() -> None:
    s = load_settings(environ={}, env_file=None)
    assert s.classifier_model is None
    assert (s.scheduler, s.sla_interval, s.mail_poll_interval) == ("inline", 30, 60)
    assert (s.mail_done_folder, s.mail_unknown_senders) == ("Processed", "create")
    assert (s.mail_imap_url, s.mail_smtp_url, s.mail_from) == (None, None, None)
    assert s.routing_shadow == () and s.trusted_proxies == ()
    assert (s.log_format, s.log_level) == ("text", "info")


def test_new_settings_are_parsed() -> None:
    s = load_settings(
        environ={
            "HELPDESK_CLASSIFIER_MODEL": "/srv/models/acme",
            "HELPDESK_ROUTING_SHADOW": "email,printing,email",
            "HELPDESK_TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.7,::1",
            "HELPDESK_MAIL_IMAP_URL": "imaps://desk:pw@mail.example.org:993/INBOX",
            "HELPDESK_MAIL_SMTP_URL": "smtp://desk:pw@mail.example.org:587?starttls=true",
            "HELPDESK_MAIL_FROM": "help@example.org",
        },
        env_file=None,
    )
    assert s.classifier_model == Path("/srv/models/acme")
    assert s.routing_shadow == (Category.EMAIL, Category.PRINTING)  # taxonomy order, once
    assert s.trusted_proxies == ("10.0.0.0/8", "192.0.2.7/32", "::1/128")
    assert IPv4Address("192.0.2.7") in s.trusted_networks[1]
    assert s.mail_imap_url == "imaps://desk:pw@mail.example.org:993/INBOX"
    assert s.mail_from == "help@example.org"
    everything = load_settings(environ={"HELPDESK_ROUTING_SHADOW": "all"}, env_file=None)
    assert everything.routing_shadow == tuple(Category)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("HELPDESK_SCHEDULER", "cron"),
        ("HELPDESK_SLA_INTERVAL", "0"),
        ("HELPDESK_SLA_INTERVAL", "soon"),
        ("HELPDESK_MAIL_POLL_INTERVAL", "-60"),
        ("HELPDESK_MAIL_IMAP_URL", "https://mail.example.org"),
        ("HELPDESK_MAIL_IMAP_URL", "imaps://"),
        ("HELPDESK_MAIL_IMAP_URL", "imaps://mail.example.org/INBOX"),  # no one to log in as
        ("HELPDESK_MAIL_SMTP_URL", "smtps://mail.example.org?starttls=true"),
        ("HELPDESK_MAIL_SMTP_URL", "imap://mail.example.org"),
        ("HELPDESK_MAIL_SMTP_URL", "smtp://mail.example.org:port"),
        ("HELPDESK_MAIL_FROM", "helpdesk"),
        ("HELPDESK_MAIL_FROM", "help desk@example.org"),
        ("HELPDESK_MAIL_UNKNOWN_SENDERS", "ignore"),
        ("HELPDESK_ROUTING_SHADOW", "printing,printers"),
        ("HELPDESK_TRUSTED_PROXIES", "10.0.0.300"),
        ("HELPDESK_LOG_FORMAT", "xml"),
        ("HELPDESK_LOG_LEVEL", "loud"),
        ("HELPDESK_REDIS_URL", "localhost:6379"),
    ],
)
def test_an_invalid_new_setting_names_its_variable(variable: str, value: str) -> None:
    with pytest.raises(SettingsError) as error:
        load_settings(environ={variable: value}, env_file=None)
    assert str(error.value).startswith(f"{variable}: ")
    assert "\n" not in str(error.value)


# --- production refusals -------------------------------------------------------------------------


def test_production_refuses_a_short_hs256_secret() -> None:
    with pytest.raises(SettingsError) as refused:
        load_settings(
            environ={"HELPDESK_ENV": "production", "HELPDESK_JWT_SECRET": "a"}, env_file=None
        )
    assert str(refused.value).startswith("HELPDESK_JWT_SECRET: ")
    assert "32 bytes" in str(refused.value)
    # The name the operator used is the one named.
    with pytest.raises(SettingsError, match=r"^SUPABASE_JWT_SECRET: "):
        load_settings(
            environ={"HELPDESK_ENV": "production", "SUPABASE_JWT_SECRET": "x" * 31},
            env_file=None,
        )
    # Bytes, not characters: 16 Arabic letters are 32 bytes.
    s = load_settings(
        environ={"HELPDESK_ENV": "production", "HELPDESK_JWT_SECRET": "س" * 16}, env_file=None
    )
    assert s.jwt_secret == "س" * 16


def test_a_short_secret_outside_production_is_a_warning() -> None:
    warnings: list[str] = []
    s = load_settings(environ={"HELPDESK_JWT_SECRET": "short"}, env_file=None, warn=warnings.append)
    assert s.jwt_secret == "short"
    assert len(warnings) == 1 and warnings[0].startswith("HELPDESK_JWT_SECRET: ")


@pytest.mark.parametrize(
    ("misspelled", "meant"),
    [
        ("HELPDESK_DATABSE_URL", "HELPDESK_DATABASE_URL"),
        ("HELPDESK_ENVIRONMENT", "HELPDESK_ENV"),
        ("HELPDESK_RATELIMIT", "HELPDESK_RATE_LIMIT"),
        ("HELPDESK_CLASIFIER_URL", "HELPDESK_CLASSIFIER_URL"),
    ],
)
def test_a_misspelled_variable_is_a_warning_with_a_suggestion(misspelled: str, meant: str) -> None:
    warnings: list[str] = []
    load_settings(environ={misspelled: "x"}, env_file=None, warn=warnings.append)
    assert warnings == [f"{misspelled}: not a setting; did you mean {meant}?"]


def test_production_refuses_an_unknown_variable(tmp_path: Path) -> None:
    secret = {"HELPDESK_ENV": "production", "HELPDESK_JWT_SECRET": "p" * 40}
    with pytest.raises(SettingsError) as refused:
        load_settings(environ={**secret, "HELPDESK_DATABSE_URL": "x"}, env_file=None)
    assert str(refused.value).startswith(
        "HELPDESK_DATABSE_URL: not a setting; did you mean HELPDESK_DATABASE_URL?"
    )
    env_file = tmp_path / ".env"
    env_file.write_text("HELPDESK_ENVIRONMENT=production\n")
    with pytest.raises(SettingsError, match=r"^HELPDESK_ENVIRONMENT: "):
        load_settings(environ=secret, env_file=env_file)


def test_known_names_aliases_and_test_variables_raise_no_warning() -> None:
    warnings: list[str] = []
    load_settings(
        environ={
            "HELPDESK_RATE_LIMIT": "10",
            "DATABASE_URL": "memory://",
            "SUPABASE_JWT_SECRET": "z" * 40,
            "HELPDESK_TEST_POSTGRES_URL": "postgresql+asyncpg://postgres@127.0.0.1/postgres",
            "PATH": "/usr/bin",
        },
        env_file=None,
        warn=warnings.append,
    )
    assert warnings == []
    assert unknown_variables(["HELPDESK_NOTHING_LIKE_IT"]) == [
        "HELPDESK_NOTHING_LIKE_IT: not a setting"
    ]


# --- masking ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "postgresql+asyncpg://app:hunter2@db:5432/helpdesk",
            "postgresql+asyncpg://app:********@db:5432/helpdesk",
        ),
        (
            "postgresql+asyncpg://app@db/helpdesk?password=hunter2&sslmode=require",
            "postgresql+asyncpg://app@db/helpdesk?password=********&sslmode=require",
        ),
        (
            "postgresql+asyncpg://app@db/helpdesk?sslpassword=hunter2&SSLKEY=/k.pem",
            "postgresql+asyncpg://app@db/helpdesk?sslpassword=********&SSLKEY=********",
        ),
        (
            "https://classifier.internal/?api_key=hunter2&mode=fast",
            "https://classifier.internal/?api_key=********&mode=fast",
        ),
        ("https://c.internal/?Token=hunter2", "https://c.internal/?Token=********"),
        ("https://c.internal/?client_secret=hunter2", "https://c.internal/?client_secret=********"),
        ("https://c.internal/?PASSWD=hunter2", "https://c.internal/?PASSWD=********"),
        (
            "imaps://desk:hunter2@mail.example.org:993/INBOX",
            "imaps://desk:********@mail.example.org:993/INBOX",
        ),
        (
            "smtp://desk:hunter2@mail.example.org:587?starttls=true",
            "smtp://desk:********@mail.example.org:587?starttls=true",
        ),
        ("redis://:hunter2@cache:6379/0", "redis://:********@cache:6379/0"),
        ("sqlite+aiosqlite:///./helpdesk.db", "sqlite+aiosqlite:///./helpdesk.db"),
        ("memory://", "memory://"),
    ],
)
def test_masked_hides_credentials_in_urls(url: str, shown: str) -> None:
    assert mask_url(url) == shown


def test_masked_covers_every_url_setting_and_every_secret() -> None:
    s = load_settings(
        environ={
            "HELPDESK_DATABASE_URL": "postgresql://app@db/helpdesk?password=pw-database",
            "HELPDESK_JWT_SECRET": "pw-jwt-" + "0" * 40,
            "HELPDESK_CLASSIFIER_URL": "https://classifier.internal/?api_key=pw-classifier",
            "HELPDESK_SUPABASE_URL": "https://project.supabase.co",
            "HELPDESK_SUPABASE_SERVICE_ROLE_KEY": "pw-service",
            "HELPDESK_REDIS_URL": "redis://default:pw-redis@cache:6379/0",
            "HELPDESK_MAIL_IMAP_URL": "imaps://desk:pw-imap@mail.example.org/INBOX",
            "HELPDESK_MAIL_SMTP_URL": "smtps://desk:pw-smtp@mail.example.org",
        },
        env_file=None,
    )
    shown = s.masked()
    assert "pw-" not in json.dumps(shown)
    assert shown["jwt_secret"] == shown["supabase_service_role_key"] == "********"
    assert shown["mail_imap_url"] == "imaps://desk:********@mail.example.org/INBOX"
    assert set(shown) == {row.name for row in ROWS}


# --- the generated documentation -------------------------------------------------------------------

DOC = Path(__file__).parent.parent / "docs" / "configuration.md"


def test_the_documented_table_is_the_rendered_one() -> None:
    """Regenerate with `python -m helpdesk.settings docs/configuration.md`."""
    committed = DOC.read_text(encoding="utf-8")
    assert with_table(committed) == committed
    for row in ROWS:
        assert f"`{row.entry.variable}`" in committed


def test_the_table_documents_every_setting_once() -> None:
    table = render_table().splitlines()[2:]
    assert len(table) == len(ROWS)
    assert all(
        line.startswith(f"| `{row.entry.variable}`") for line, row in zip(table, ROWS, strict=True)
    )
    secret_lines = [line for line in table if "secret: masked, no flag" in line]
    assert len(secret_lines) == 2


def test_regenerating_rewrites_only_the_table(tmp_path: Path) -> None:
    doc = tmp_path / "configuration.md"
    doc.write_text(f"# Prose before\n\n{START}\n| stale |\n{END}\n\nProse after.\n")
    assert regenerate(doc)
    text = doc.read_text()
    assert text.startswith("# Prose before\n\n") and text.endswith("\n\nProse after.\n")
    assert render_table() in text and "| stale |" not in text
    assert not regenerate(doc)


def test_metrics_are_on_by_default_except_in_production() -> None:
    def settings(**given: Any) -> Any:
        return load_settings({"database_url": "memory://", **given}, environ={}, env_file=None)

    assert settings().metrics_enabled
    assert not settings(env="production", jwt_secret="x" * 40).metrics_enabled
    assert settings(env="production", jwt_secret="x" * 40, metrics=True).metrics_enabled
    assert not settings(metrics=False).metrics_enabled
