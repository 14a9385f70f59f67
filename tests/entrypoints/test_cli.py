"""The `helpdesk` command line on a SQLite file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jwt


def helpdesk(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HELPDESK_", "SUPABASE_"))}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "helpdesk.entrypoints.cli", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_users_tokens_and_seed(tmp_path: Path) -> None:
    assert helpdesk(tmp_path, "db", "upgrade").returncode == 0
    seeded = helpdesk(tmp_path, "seed", "--tickets", "5")
    assert seeded.returncode == 0, seeded.stderr
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
