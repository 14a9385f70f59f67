"""A real IMAP server for the tests: Debian's dovecot-imapd with a throwaway configuration.

Everything lives in one temporary folder (configuration, maildirs, runtime sockets, log, TLS
files); the server listens on free ports of 127.0.0.1 and is stopped and the folder removed
afterwards. It never runs as root: as root the tests start it as `nobody`, otherwise as the
current user; either way dovecot's internal and login users are that same account, so it needs
no privilege at all. Accounts live in a plain-text passwd-file written before the start (dovecot
notices changes to it by modification time, at one-second resolution, which is too coarse for
tests that add a user each): each test takes an unused one and so starts with an empty mailbox.

Messages are delivered and inspected with the standard library's imaplib, not with the adapter
under test.

Without dovecot installed these tests skip — except under CI=true, where they fail.
"""

from __future__ import annotations

import grp
import imaplib
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from ...processes import free_port
from .certificates import Certificates, make_certificates

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
START_TIMEOUT = 10.0
ACCOUNTS = 200


def require_dovecot() -> str:
    if Path(DOVECOT).exists() and os.access(DOVECOT, os.X_OK):
        return DOVECOT
    reason = "dovecot is not installed (apt-get install dovecot-imapd)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}, and under CI the mail suites must run")
    pytest.skip(reason)


@dataclass(frozen=True)
class Account:
    user: str
    password: str


class Dovecot:
    def __init__(self, *, capabilities: str | None = None) -> None:
        """`capabilities`: replaces what the server advertises after login (to test the
        fallback a server without MOVE needs)."""
        self.binary = require_dovecot()
        self.folder = Path(tempfile.mkdtemp(prefix="helpdesk-dovecot-"))
        self.imap_port = free_port()
        self.imaps_port = free_port()
        self.capabilities = capabilities
        self.process: subprocess.Popen[bytes] | None = None
        # Never root: as root, run as nobody; otherwise as whoever runs the tests.
        root = os.geteuid() == 0
        account = pwd.getpwnam("nobody") if root else pwd.getpwuid(os.geteuid())
        self.uid, self.gid = account.pw_uid, account.pw_gid
        self.user_name = account.pw_name
        self.group_name = grp.getgrgid(account.pw_gid).gr_name
        self.certificates: Certificates = make_certificates(self.folder)
        self.startup_seconds = 0.0
        self._accounts: list[Account] = []

    # --- life cycle -------------------------------------------------------------------------

    def start(self) -> Dovecot:
        for sub in ("run", "state", "mail"):
            (self.folder / sub).mkdir()
        self._accounts = [
            Account(f"user{n:03}", f"pw-{uuid.uuid4().hex[:12]}") for n in range(ACCOUNTS)
        ]
        (self.folder / "passwd").write_text(
            "".join(f"{a.user}:{{PLAIN}}{a.password}::::::\n" for a in self._accounts)
        )
        (self.folder / "dovecot.conf").write_text(self._configuration())
        if os.geteuid() == 0:
            for path in [self.folder, *self.folder.rglob("*")]:
                os.chown(path, self.uid, self.gid)
        self.folder.chmod(0o700)
        started = time.monotonic()
        as_user = (
            {"user": self.uid, "group": self.gid, "extra_groups": []} if os.geteuid() == 0 else {}
        )
        with (self.folder / "stdout.log").open("wb") as output:
            self.process = subprocess.Popen(
                [self.binary, "-F", "-c", str(self.folder / "dovecot.conf")],
                stdout=output,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                **as_user,  # type: ignore[arg-type]
            )
        self._wait_ready()
        self.startup_seconds = time.monotonic() - started
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        shutil.rmtree(self.folder, ignore_errors=True)

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot exited at start:\n{self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.imap_port), timeout=1) as s:
                    if s.recv(100).startswith(b"* OK"):
                        return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError(f"dovecot did not answer within {START_TIMEOUT} s:\n{self.log()}")

    def log(self) -> str:
        parts = []
        for name in ("stdout.log", "dovecot.log"):
            path = self.folder / name
            if path.exists():
                parts.append(path.read_text(errors="replace"))
        return "\n".join(parts)

    def _configuration(self) -> str:
        folder = self.folder
        dh = "/usr/share/dovecot/dh.pem"
        capability = f"imap_capability = {self.capabilities}\n" if self.capabilities else ""
        return f"""# Written by the helpdesk tests; removed with its folder.
protocols = imap
listen = 127.0.0.1
base_dir = {folder}/run
state_dir = {folder}/state
instance_name = helpdesk-test-{uuid.uuid4().hex[:8]}
default_internal_user = {self.user_name}
default_internal_group = {self.group_name}
default_login_user = {self.user_name}
log_path = {folder}/dovecot.log
ssl = yes
ssl_cert = <{self.certificates.cert}
ssl_key = <{self.certificates.key}
{f"ssl_dh = <{dh}" if Path(dh).exists() else ""}
disable_plaintext_auth = no
auth_failure_delay = 0
auth_mechanisms = plain login
mail_location = maildir:{folder}/mail/%u
{capability}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {folder}/passwd
}}
userdb {{
  driver = static
  args = uid={self.uid} gid={self.gid} home={folder}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.imaps_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
"""

    # --- accounts and messages (through the standard library's imaplib) ----------------------

    def new_account(self) -> Account:
        """An account nobody has used yet on this server."""
        return self._accounts.pop()

    def url(self, account: Account, *, scheme: str = "imap", folder: str = "INBOX") -> str:
        port = self.imaps_port if scheme == "imaps" else self.imap_port
        return f"{scheme}://{account.user}:{account.password}@127.0.0.1:{port}/{folder}"

    def session(self, account: Account) -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.imap_port, timeout=10)
        client.login(account.user, account.password)
        return client

    def deliver(self, account: Account, raw: bytes, folder: str = "INBOX") -> None:
        """APPEND a message, with CRLF line ends as IMAP wants them."""
        data = re.sub(rb"\r?\n", b"\r\n", raw)
        client = self.session(account)
        try:
            status, answer = client.append(f'"{folder}"', "", None, data)
            assert status == "OK", answer
        finally:
            client.logout()

    def contents(self, account: Account, folder: str) -> list[tuple[bytes, set[str]]]:
        """Each message in `folder` (as named on the wire): its bytes and flags, read without
        changing them."""
        client = self.session(account)
        try:
            status, _ = client.select(f'"{folder}"', readonly=True)
            if status != "OK":
                return []
            status, data = client.uid("SEARCH", "ALL")
            found = []
            for uid in data[0].split():
                status, parts = client.uid("FETCH", uid, "(FLAGS BODY.PEEK[])")
                head, body = parts[0]  # type: ignore[misc]
                flags = re.search(rb"FLAGS \(([^)]*)\)", head)
                found.append((body, set(flags[1].decode().split()) if flags else set()))
            return found
        finally:
            client.logout()

    def folders(self, account: Account) -> list[str]:
        client = self.session(account)
        try:
            _, data = client.list()
            names = []
            for line in data:
                listed = re.match(rb'^\([^)]*\) (?:"[^"]*"|NIL) (.+)$', line or b"")  # type: ignore[arg-type]
                if listed:
                    names.append(listed[1].decode().strip('"'))
            return names
        finally:
            client.logout()
