"""`helpdesk serve --workers 2`: whichever worker answers `/metrics`, it reports the requests
and tickets of both (prometheus-client's multi-process mode)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from helpdesk.entrypoints.cli import _metrics_shared_by_workers
from helpdesk.settings import load_settings

from ..processes import clean_environ, free_port, wait_until_answering

PRINTER = {
    "title": "الطابعة لا تطبع",
    "description": "الطابعة في الطابق الثاني لا تطبع أي مستند وتظهر رسالة انحشار الورق",
}


def _totals(text: str) -> tuple[float, float]:
    created = requests = 0.0
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == "helpdesk_tickets_created_total":
                created += s.value
            if s.name == "helpdesk_http_requests_total" and s.labels["status"] == "201":
                requests += s.value
    return created, requests


@pytest.mark.slow
def test_every_worker_reports_the_figures_of_all(tmp_path: Path) -> None:
    port = free_port()
    folder = tmp_path / "metrics"
    folder.mkdir()
    env = clean_environ()
    env.pop("DATABASE_URL", None)
    env |= {"PROMETHEUS_MULTIPROC_DIR": str(folder), "HELPDESK_RATE_LIMIT": "0"}
    command = [sys.executable, "-m", "helpdesk.entrypoints.cli", "serve", "--demo"]
    process = subprocess.Popen(
        [*command, "--workers", "2", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        assert process.stdout is not None
        token = None
        deadline = time.monotonic() + 90
        while token is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            assert line, "serve stopped before printing the demo tokens"
            if found := re.match(r"\s*export USER_TOKEN=(\S+)", line):
                token = found.group(1)
        wait_until_answering(f"{base}/health/ready", deadline - time.monotonic())
        headers = {"Authorization": f"Bearer {token}"}
        before = _totals(httpx.get(f"{base}/metrics", timeout=10).text)
        for _ in range(12):  # a new connection each: the kernel spreads them over the workers
            response = httpx.post(
                f"{base}/api/v1/tickets", json=PRINTER, headers=headers, timeout=30
            )
            assert response.status_code == 201, response.text
        for _ in range(6):
            after = _totals(httpx.get(f"{base}/metrics", timeout=10).text)
            assert (after[0] - before[0], after[1] - before[1]) == (12, 12)
        # Both workers write there (each its own files, named by process id).
        pids = {re.sub(r"\D", "", f.name) for f in folder.iterdir()}
        assert len(pids) >= 2, sorted(f.name for f in folder.iterdir())
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_serve_shares_a_fresh_folder_and_removes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    settings = load_settings({"database_url": "memory://"}, environ={}, env_file=None)
    with _metrics_shared_by_workers(settings):
        folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
        assert folder.is_dir() and not any(folder.iterdir())
    assert "PROMETHEUS_MULTIPROC_DIR" not in os.environ
    assert not folder.exists()
    off = load_settings({"database_url": "memory://", "metrics": False}, environ={}, env_file=None)
    with _metrics_shared_by_workers(off):
        assert "PROMETHEUS_MULTIPROC_DIR" not in os.environ
