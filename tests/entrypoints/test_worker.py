"""`helpdesk worker`: runs the periodic work until SIGTERM or SIGINT, then exits cleanly."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from ..processes import clean_environ
from .test_cli import helpdesk, one_line


def start_worker(tmp_path: Path) -> subprocess.Popen[str]:
    clean = clean_environ()
    clean.pop("DATABASE_URL", None)
    return subprocess.Popen(
        [sys.executable, "-m", "helpdesk.entrypoints.cli", "worker"],
        cwd=tmp_path,
        env={**clean, "HELPDESK_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/helpdesk.db"},
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_the_worker_runs_until_stopped(tmp_path: Path, signum: int) -> None:
    worker = start_worker(tmp_path)
    try:
        assert worker.stderr is not None
        for line in worker.stderr:  # the runner says what it runs once it is up
            if "periodic jobs" in line:
                break
        else:
            raise AssertionError(f"the worker ended early: {worker.wait()}")
        worker.send_signal(signum)
        assert worker.wait(timeout=30) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert (tmp_path / "helpdesk.db").exists()  # migrated before it started, like serve


def test_the_worker_refuses_memory_storage(tmp_path: Path) -> None:
    result = helpdesk(tmp_path, "worker", env={"HELPDESK_DATABASE_URL": "memory://"})
    assert "memory://" in one_line(result)


def test_sla_run_once_prints_what_it_did(tmp_path: Path) -> None:
    db = {"HELPDESK_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/helpdesk.db"}
    result = helpdesk(tmp_path, "sla", "run-once", env=db)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"warned": 0, "breached": 0, "escalated": 0}
    refused = helpdesk(tmp_path, "sla", "run-once", env={"HELPDESK_DATABASE_URL": "memory://"})
    assert "memory://" in one_line(refused)
