"""The `helpdesk` command line on a SQLite file."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import jwt
import pytest

from helpdesk.domain.defaults import DEFAULT_DEPARTMENTS

from ..adapters.storage.postgres import (
    create_database,
    database_url,
    drop_database,
    new_database_name,
    require_postgres,
)
from ..processes import clean_environ, free_port

PRODUCTION = {"HELPDESK_ENV": "production", "HELPDESK_JWT_SECRET": "production-secret-" + "7" * 32}


def helpdesk(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    clean = clean_environ()
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "helpdesk.entrypoints.cli", *args],
        check=False,
        cwd=tmp_path,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    """The single line a refused command prints (exit status 2, no traceback)."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("helpdesk: ")
    return lines[0]


def test_users_tokens_and_seed(tmp_path: Path) -> None:
    assert helpdesk(tmp_path, "db", "upgrade").returncode == 0
    seeded = helpdesk(tmp_path, "seed", "--tickets", "5")
    assert seeded.returncode == 0, seeded.stderr
    departments = len(DEFAULT_DEPARTMENTS)
    assert (
        f"seeded {departments} departments, {3 * departments} agents, an admin "
        "(admin@helpdesk.local), an end user (employee@helpdesk.local) and the quick actions; "
        "filed 5 demo tickets"
    ) in seeded.stdout
    again = helpdesk(tmp_path, "seed", "--tickets", "1")
    assert again.returncode == 0, again.stderr
    assert "added none; filed 1 demo ticket" in again.stdout
    created = helpdesk(
        tmp_path,
        "users",
        "create",
        "--email",
        "Agent.New@x.io",
        "--role",
        "agent",
        "--name",
        "وكيل",
        "--department",
        "finance",
        "--password",
        "long-password",
    )
    assert created.returncode == 0, created.stderr
    profile = json.loads(created.stdout)
    assert (profile["email"], profile["role"]) == ("agent.new@x.io", "agent")
    token = helpdesk(tmp_path, "token", "--email", "agent.new@x.io", "--ttl", "120")
    assert token.returncode == 0
    secret = (tmp_path / ".helpdesk" / "jwt-secret").read_text().strip()
    claims = jwt.decode(
        token.stdout.strip(), secret, algorithms=["HS256"], audience="authenticated"
    )
    assert claims["sub"] == profile["id"] and claims["exp"] - claims["iat"] == 120
    missing = helpdesk(tmp_path, "users", "create", "--email", "x@x.io", "--role", "agent")
    assert missing.returncode == 2 and "department" in missing.stderr
    wrong = one_line(
        helpdesk(
            tmp_path,
            "users",
            "create",
            "--email",
            "y@x.io",
            "--role",
            "agent",
            "--department",
            "it",
        )
    )
    assert wrong.startswith("helpdesk: --department: no department with slug 'it'")
    assert all(slug in wrong for slug, *_ in DEFAULT_DEPARTMENTS)
    assert "no user" in helpdesk(tmp_path, "token", "--email", "ghost@x.io").stderr


def test_classify_prints_json(tmp_path: Path) -> None:
    result = helpdesk(tmp_path, "classify", "الطابعة لا تطبع أي مستند")
    assert result.returncode == 0
    assert json.loads(result.stdout)["category"] == "printing"


def test_invalid_settings_stop_with_one_line(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("HELPDESK_CLASSIFIER_TIMEOUT=soon\n")
    result = helpdesk(tmp_path, "classify", "الطابعة لا تطبع")
    assert result.returncode == 2
    assert result.stderr.strip() == "helpdesk: HELPDESK_CLASSIFIER_TIMEOUT: must be a number"


def test_memory_storage_refuses_workers(tmp_path: Path) -> None:
    result = helpdesk(tmp_path, "--database-url", "memory://", "serve", "--workers", "2")
    assert result.returncode == 2 and "--workers" in result.stderr


def test_classifier_eval_on_a_file(tmp_path: Path) -> None:
    data = tmp_path / "labelled.jsonl"
    data.write_text(
        json.dumps(
            {
                "title": "الطابعة لا تطبع",
                "description": "الطابعة في مكتبي لا تطبع",
                "category": "printing",
            },
            ensure_ascii=False,
        )
        + "\n"
        + json.dumps(
            {"title": "طلب إجازة", "description": "أرغب في إجازة سنوية", "category": "hr"},
            ensure_ascii=False,
        )
        + "\n"
    )
    result = helpdesk(tmp_path, "classifier", "eval", "--data", str(data))
    assert result.returncode == 0, result.stderr
    assert "tickets 2   accuracy 1.000" in result.stdout
    (tmp_path / "bad.jsonl").write_text('{"title": "x"}\n')
    bad = helpdesk(tmp_path, "classifier", "eval", "--data", str(tmp_path / "bad.jsonl"))
    assert bad.returncode == 2 and "line 1" in bad.stderr


# --- settings on the command line ---------------------------------------------------------------


def test_flags_go_through_the_same_parsers_as_the_environment(tmp_path: Path) -> None:
    refused = one_line(helpdesk(tmp_path, "--database-url", "mysql://x", "db", "upgrade"))
    assert refused == (
        "helpdesk: --database-url: must be memory://, sqlite+aiosqlite:///… or "
        "postgresql+asyncpg://…"
    )
    assert one_line(helpdesk(tmp_path, "--classifier-timeout", "soon", "classify", "نص")) == (
        "helpdesk: --classifier-timeout: must be a number"
    )
    assert not (tmp_path / "helpdesk.db").exists()


def test_a_plain_postgresql_url_flag_gets_the_asyncpg_driver(tmp_path: Path) -> None:
    require_postgres()
    name = new_database_name("helpdesk_cli")
    create_database(name)
    try:
        plain = database_url(name).replace("postgresql+asyncpg://", "postgresql://", 1)
        result = helpdesk(tmp_path, "--database-url", plain, "db", "upgrade")
        assert result.returncode == 0, result.stderr
        assert "postgresql+asyncpg://" in result.stdout
        assert "migrated from an empty database" in result.stdout
    finally:
        drop_database(name)


def test_a_misspelled_variable_is_a_warning_in_development(tmp_path: Path) -> None:
    result = helpdesk(
        tmp_path, "classify", "الطابعة لا تطبع أي مستند", env={"HELPDESK_DATABSE_URL": "memory://"}
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == (
        "helpdesk: warning: HELPDESK_DATABSE_URL: not a setting; "
        "did you mean HELPDESK_DATABASE_URL?"
    )


# --- production refuses, in one line --------------------------------------------------------------


def test_production_refuses_serve_demo(tmp_path: Path) -> None:
    result = helpdesk(
        tmp_path, "serve", "--demo", "--port", str(free_port()), env=PRODUCTION, timeout=60
    )
    assert one_line(result).startswith("helpdesk: HELPDESK_ENV: production refuses `serve --demo`")
    assert "Demo accounts" not in result.stdout and "TOKEN" not in result.stdout
    assert not (tmp_path / "helpdesk.db").exists()


def test_production_refuses_a_short_secret(tmp_path: Path) -> None:
    result = helpdesk(
        tmp_path,
        "serve",
        "--port",
        str(free_port()),
        env={**PRODUCTION, "HELPDESK_JWT_SECRET": "a"},
        timeout=60,
    )
    assert one_line(result) == (
        "helpdesk: HELPDESK_JWT_SECRET: an HS256 secret needs at least 32 bytes, this one has 1"
    )


@pytest.mark.parametrize("misspelled", ["HELPDESK_DATABSE_URL", "HELPDESK_ENVIRONMENT"])
def test_production_refuses_an_unknown_variable(tmp_path: Path, misspelled: str) -> None:
    result = helpdesk(
        tmp_path,
        "serve",
        "--port",
        str(free_port()),
        env={**PRODUCTION, misspelled: "x"},
        timeout=60,
    )
    assert one_line(result).startswith(f"helpdesk: {misspelled}: not a setting; did you mean")


# --- messages that say what happened ----------------------------------------------------------------


def test_db_upgrade_says_whether_it_migrated(tmp_path: Path) -> None:
    first = helpdesk(tmp_path, "db", "upgrade")
    assert first.returncode == 0, first.stderr
    migrated = re.search(
        r"migrated from an empty database to revision (\w+)$", first.stdout.strip()
    )
    assert migrated, first.stdout
    second = helpdesk(tmp_path, "db", "upgrade")
    assert second.stdout.strip().endswith(
        f"already at revision {migrated.group(1)}, nothing to apply"
    )


def test_production_serve_on_an_unmigrated_database_says_to_upgrade(tmp_path: Path) -> None:
    (tmp_path / "helpdesk.db").touch()  # a database file with no schema
    result = helpdesk(tmp_path, "serve", "--port", str(free_port()), env=PRODUCTION, timeout=60)
    line = one_line(result)
    assert line.startswith("helpdesk: HELPDESK_DATABASE_URL: the database has no schema yet")
    assert "helpdesk db upgrade" in line


def test_an_unmigrated_database_in_production_is_named_by_other_commands(tmp_path: Path) -> None:
    (tmp_path / "helpdesk.db").touch()
    line = one_line(helpdesk(tmp_path, "token", "--email", "x@x.io", env=PRODUCTION))
    assert "run `helpdesk db upgrade`" in line


@pytest.mark.parametrize(
    "command",
    [["db", "upgrade"], ["seed", "--tickets", "1"], ["token", "--email", "x@x.io"]],
    ids=" ".join,
)
def test_a_wrong_postgresql_role_is_one_line(tmp_path: Path, command: list[str]) -> None:
    require_postgres()
    role = f"nobody_{uuid.uuid4().hex[:8]}"
    url = database_url("postgres", user=role)
    line = one_line(helpdesk(tmp_path, "--database-url", url, *command))
    assert line == (
        f'helpdesk: HELPDESK_DATABASE_URL: the database is unavailable (role "{role}" does not exist)'
    )


def test_a_missing_postgresql_database_is_one_line(tmp_path: Path) -> None:
    require_postgres()
    name = new_database_name("helpdesk_absent")
    result = helpdesk(
        tmp_path,
        "--database-url",
        database_url(name),
        "serve",
        "--port",
        str(free_port()),
        env=PRODUCTION,
        timeout=60,
    )
    assert one_line(result).endswith(f'(database "{name}" does not exist)')


def test_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = helpdesk(tmp_path, "serve", "--port", str(port), timeout=60)
    assert one_line(result) == (
        f"helpdesk: --port: 127.0.0.1:{port} is already in use; stop what listens there or "
        "choose another --port"
    )
    assert not (tmp_path / "helpdesk.db").exists()  # refused before anything was done


def test_seed_refuses_a_negative_count(tmp_path: Path) -> None:
    result = helpdesk(tmp_path, "seed", "--tickets", "-3")
    assert result.returncode == 2
    assert "argument --tickets: must be 0 or more, not -3" in result.stderr
    assert not (tmp_path / "helpdesk.db").exists()


def test_workers_get_time_to_start_on_a_busy_machine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """uvicorn's supervisor killed a worker that missed a 5-second health check while it was
    still importing and loading the model: with `--workers 2` on a busy two-core machine the
    workers were killed and restarted in a loop ("Child process died")."""
    import logging

    import uvicorn

    from helpdesk.entrypoints import cli

    environ = clean_environ()
    monkeypatch.setattr(os, "environ", environ)  # serve hands its settings to the workers here
    monkeypatch.chdir(tmp_path)
    started: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.update(options, app=app))
    try:
        cli.main(["serve", "--workers", "2", "--port", str(free_port())])
    finally:
        root = logging.getLogger()
        root.handlers = [h for h in root.handlers if type(h).__name__ != "_OurHandler"]
    assert started["workers"] == 2 and started["factory"] is True
    assert started["timeout_worker_healthcheck"] >= 30  # type: ignore[operator]
    assert started["log_config"] is None  # the workers log through our handler
