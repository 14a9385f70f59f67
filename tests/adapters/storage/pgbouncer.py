"""pgbouncer in transaction mode in front of the local PostgreSQL, run by the tests themselves.

Debian's package (`apt-get install -y pgbouncer`); its service stays off. pgbouncer refuses to
run as root, so as root it runs as the `postgres` user, from a temporary directory holding its
configuration, log and pid file, on a free port of 127.0.0.1.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from ...processes import free_port
from .postgres import server_address

CANDIDATES = ("/usr/sbin/pgbouncer", "/usr/bin/pgbouncer")


def find_binary() -> str | None:
    found = shutil.which("pgbouncer")
    return found or next((c for c in CANDIDATES if Path(c).exists()), None)


def _backend() -> str:
    address = server_address()
    if isinstance(address, str):  # a unix socket: pgbouncer wants its directory
        return f"host={Path(address).parent} port={address.rsplit('.', 1)[1]}"
    host, port = address
    return f"host={host} port={port}"


class PgBouncer:
    def __init__(self, binary: str) -> None:
        self.binary = binary
        self.port = free_port()
        self.workdir = Path(tempfile.mkdtemp(prefix="helpdesk-pgbouncer-"))
        self.process: subprocess.Popen[bytes] | None = None

    def _configure(self) -> None:
        (self.workdir / "users.txt").write_text('"postgres" ""\n')
        (self.workdir / "pgbouncer.ini").write_text(
            "[databases]\n"
            f"* = {_backend()}\n"  # any database name, as the client asks
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {self.port}\nunix_socket_dir =\n"
            "auth_type = trust\nauth_file = users.txt\n"
            "pool_mode = transaction\n"
            # Few server connections for many clients: transactions of different clients
            # really do share backends, as behind Supabase's pooler.
            "max_client_conn = 500\ndefault_pool_size = 5\n"
            f"logfile = {self.workdir}/pgbouncer.log\npidfile = {self.workdir}/pgbouncer.pid\n"
            "ignore_startup_parameters = extra_float_digits\n"
        )
        if os.geteuid() == 0:
            for path in (self.workdir, *self.workdir.iterdir()):
                shutil.chown(path, "postgres")

    def start(self) -> None:
        self._configure()
        command = [self.binary, str(self.workdir / "pgbouncer.ini")]
        if os.geteuid() == 0:  # "PgBouncer should not run as root"
            command = ["runuser", "-u", "postgres", "--", *command]
        self.process = subprocess.Popen(
            command, cwd=self.workdir, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        self.stop()
        pytest.fail(f"pgbouncer did not start:\n{self.log()}")

    def log(self) -> str:
        path = self.workdir / "pgbouncer.log"
        return path.read_text() if path.exists() else "(no log)"

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        shutil.rmtree(self.workdir, ignore_errors=True)


def require_pgbouncer() -> str:
    binary = find_binary()
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail(
                "pgbouncer is not installed (apt-get install -y pgbouncer), and CI needs it"
            )
        pytest.skip("pgbouncer is not installed (apt-get install -y pgbouncer)")
    return binary
