"""For tests that start processes of their own (`helpdesk serve`, a mail or pool server): a free
port, an environment without the caller's settings, and waiting until a server answers."""

from __future__ import annotations

import os
import socket
import time

import httpx

# Settings of the shell that runs the tests must not leak into the processes they start.
SETTING_PREFIXES = ("HELPDESK_", "SUPABASE_")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def clean_environ() -> dict[str, str]:
    """This process's environment without any HELPDESK_* or SUPABASE_* variable."""
    return {k: v for k, v in os.environ.items() if not k.startswith(SETTING_PREFIXES)}


def wait_until_answering(url: str, seconds: float = 60) -> None:
    """Return once `url` answers 200, or when `seconds` have passed (the caller's next request
    then says what is wrong)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
