"""A newcomer's first run: `helpdesk serve --demo`, then a ticket filed with the printed token
is routed to a demo agent, whose token shows it in `queue=mine`."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ..processes import clean_environ, free_port, wait_until_answering


@pytest.fixture
def demo_server(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    port = free_port()
    env = clean_environ()
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "helpdesk.entrypoints.cli", "serve", "--demo", "--port", str(port)],
        cwd=tmp_path,  # the default SQLite file and the development secret land here
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    tokens: dict[str, str] = {}
    deadline = time.monotonic() + 60
    try:
        assert process.stdout is not None
        while time.monotonic() < deadline and len(tokens) < 2:
            line = process.stdout.readline()
            if not line:
                break
            output.append(line)
            found = re.match(r"\s*export (USER|AGENT)_TOKEN=(\S+)", line)
            if found:
                tokens[found.group(1)] = found.group(2)
        assert len(tokens) == 2, "".join(output)
        base = f"http://127.0.0.1:{port}"
        wait_until_answering(f"{base}/health", deadline - time.monotonic())
        yield base, tokens
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.slow
def test_a_ticket_from_the_printed_token_reaches_a_demo_agent(
    demo_server: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    base, tokens = demo_server
    user = {"Authorization": f"Bearer {tokens['USER']}"}
    agent = {"Authorization": f"Bearer {tokens['AGENT']}"}
    created = httpx.post(
        f"{base}/api/v1/tickets",
        json={
            "title": "الطابعة لا تطبع",
            "description": "الطابعة في الطابق الثاني لا تطبع أي مستند وتظهر رسالة انحشار الورق",
        },
        headers=user,
        timeout=10,
    )
    assert created.status_code == 201, created.text
    ticket = created.json()
    assert ticket["routing_mode"] == "auto"
    assert ticket["status"] == "open"
    assert ticket["assigned_agent_id"] is not None

    me = httpx.get(f"{base}/api/v1/users/me", headers=agent, timeout=10).json()
    assert me["role"] == "agent"
    assert ticket["assigned_agent_id"] == me["id"]  # the printed agent is next in line for IT
    mine = httpx.get(f"{base}/api/v1/tickets", params={"queue": "mine"}, headers=agent, timeout=10)
    assert mine.status_code == 200
    assert ticket["id"] in {t["id"] for t in mine.json()["items"]}
    assert all(t["assigned_agent_id"] == me["id"] for t in mine.json()["items"])
    assert (tmp_path / ".helpdesk" / "jwt-secret").exists()
