"""Layered configuration: defaults < .env < environment < CLI flags, with clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpdesk.settings import SettingsError, load_settings, with_development_secret


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
