"""`X-Forwarded-For` moves the client's address only behind a trusted proxy: a local client that
rotates it does not get past the per-address limit of the anonymous login."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from helpdesk.entrypoints.cli import server_options
from helpdesk.settings import load_settings

from ..processes import clean_environ, free_port, wait_until_answering


def test_no_proxy_is_trusted_unless_configured() -> None:
    plain = server_options(load_settings(environ={}, env_file=None))
    assert plain["proxy_headers"] is False and plain["forwarded_allow_ips"] == ""
    behind = server_options(
        load_settings(environ={"HELPDESK_TRUSTED_PROXIES": "10.0.0.0/8"}, env_file=None)
    )
    assert behind["proxy_headers"] is True and "10.0.0.0/8" in behind["forwarded_allow_ips"]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    env = clean_environ()
    env |= {"HELPDESK_DATABASE_URL": "memory://", "HELPDESK_RATE_LIMIT": "3"}
    process = subprocess.Popen(
        [sys.executable, "-m", "helpdesk.entrypoints.cli", "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(f"{base}/health")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.slow
def test_a_rotated_forwarded_for_does_not_reset_the_limit(served: str) -> None:
    body = {"email": "nobody@example.com", "password": "wrong-password"}
    codes = [
        httpx.post(
            f"{served}/api/v1/auth/token",
            json=body,
            headers={"X-Forwarded-For": f"203.0.113.{n}"},
            timeout=10,
        ).status_code
        for n in range(5)
    ]
    assert codes[:3] == [401, 401, 401] and codes[3:] == [429, 429], codes
