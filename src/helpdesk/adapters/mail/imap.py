"""The `Mailbox` port over IMAP, with aioimaplib.

One connection at a time, opened by the first call and reused until `close()` or an error. Any
failure (refused, TLS, login, timeout, a dropped connection, a `NO`/`BAD` answer) raises
`MailboxUnavailable` and drops the connection; the next call connects again.

Messages are read with `BODY.PEEK[]`, which leaves `\\Seen` alone: a message not yet handled
stays unseen and is taken again on the next pass. A handled one is moved to the done folder
with `UID MOVE` when the server offers MOVE, else copied there, flagged `\\Deleted` and expunged
(`UID EXPUNGE` with UIDPLUS, so only that message goes; plain `EXPUNGE` without it, which also
removes any message someone else flagged `\\Deleted` in that folder).

aioimaplib has no STARTTLS of its own: after the server's OK to `STARTTLS`, the connection is
upgraded in place with asyncio's `loop.start_tls`, and the capabilities are asked again, as
RFC 3501 requires.
"""

from __future__ import annotations

import asyncio
import re
import ssl
from collections.abc import Awaitable
from typing import Any, TypeVar

import aioimaplib

from helpdesk.adapters.mail.endpoints import Endpoint
from helpdesk.adapters.mail.folder_names import quote
from helpdesk.application.ports.mail import MailboxUnavailable, RawMessage

T = TypeVar("T")

DEFAULT_TIMEOUT = 30.0
# Larger messages are not downloaded: the header is enough to answer or hold them.
DEFAULT_MAX_MESSAGE_BYTES = 40 * 1024 * 1024
_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")
_UID = re.compile(rb"UID (\d+)")


class ImapMailbox:
    """One pass at a time: the calls of a pass are sequential (one connection, one selected
    folder); two workers use two instances."""

    def __init__(
        self,
        endpoint: Endpoint,
        *,
        done_folder: str = "Processed",
        timeout: float = DEFAULT_TIMEOUT,
        ssl_context: ssl.SSLContext | None = None,
        max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES,
    ) -> None:
        """`ssl_context`: for a server whose certificate the system does not trust (a private
        CA); by default certificates and host names are verified."""
        if done_folder.casefold() == endpoint.folder.casefold():
            raise ValueError(f"the done folder must differ from the folder read ({done_folder!r})")
        self._endpoint = endpoint
        self._done = done_folder
        self._timeout = timeout
        self._ssl = ssl_context
        self._max_bytes = max_message_bytes
        self._client: aioimaplib.IMAP4 | None = None
        self._lost: asyncio.Future[Any] | None = None

    # --- the port ---------------------------------------------------------------------------

    async def unseen(self) -> list[int]:
        client = await self._connected()
        response = await self._ok(client.uid_search("UNSEEN", charset=None), "UID SEARCH")
        uids = {int(n) for line in response.lines[:-1] for n in bytes(line).split() if n.isdigit()}
        return sorted(uids)

    async def fetch(self, uid: int) -> RawMessage | None:
        client = await self._connected()
        sized = await self._ok(client.uid("fetch", str(uid), "(RFC822.SIZE)"), "UID FETCH")
        size = _size_of(sized.lines, uid)
        if size is None:
            return None
        truncated = size > self._max_bytes
        part = "BODY.PEEK[HEADER]" if truncated else "BODY.PEEK[]"
        # No overall timeout: aioimaplib's own restarts with every chunk of a large message.
        response = await self._ok(
            client.uid("fetch", str(uid), f"(UID {part})"), "UID FETCH", unbounded=True
        )
        data = _literal_of(response.lines, uid)
        if data is None:
            return None
        return RawMessage(uid=uid, data=data, size=size, truncated=truncated)

    async def move_to_done(self, uid: int) -> None:
        client = await self._connected()
        folder = quote(self._done)
        if client.has_capability("MOVE"):
            await self._ok(client.uid("move", str(uid), folder), "UID MOVE")
            return
        await self._ok(client.uid("copy", str(uid), folder), "UID COPY")
        await self._ok(client.uid("store", str(uid), "+FLAGS.SILENT", r"(\Deleted)"), "UID STORE")
        if client.has_capability("UIDPLUS"):
            await self._ok(client.uid("expunge", str(uid)), "UID EXPUNGE")
        else:
            await self._ok(client.expunge(), "EXPUNGE")

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        try:
            if self._lost is None or not self._lost.done():
                await asyncio.wait_for(client.logout(), min(self._timeout, 5.0))
        except Exception:  # closing is best effort: the server may be gone already
            pass
        finally:
            _drop(client)

    # --- the connection ---------------------------------------------------------------------

    async def _connected(self) -> aioimaplib.IMAP4:
        if self._client is None:
            self._client = await self._connect()
        return self._client

    async def _connect(self) -> aioimaplib.IMAP4:
        endpoint = self._endpoint
        loop = asyncio.get_running_loop()
        self._lost = lost = loop.create_future()

        def on_lost(error: Exception | None) -> None:
            if not lost.done():
                lost.set_result(error)

        context = self._context() if endpoint.implicit_tls else None
        client = aioimaplib.IMAP4(
            host=endpoint.host,
            port=endpoint.port,
            timeout=self._timeout,
            conn_lost_cb=on_lost,
            ssl_context=context,
        )
        self._client = client
        try:
            await self._call(client.wait_hello_from_server(), "connect")
            if endpoint.starttls:
                await self._starttls(client)
            elif not endpoint.secure and "LOGINDISABLED" in client.protocol.capabilities:
                raise MailboxUnavailable(
                    f"{endpoint}: the server refuses to log in without TLS (add ?starttls=true)"
                )
            login = client.login(_quoted(endpoint.username or ""), endpoint.password or "")
            await self._ok(login, "LOGIN")
            await self._ok(client.select(quote(endpoint.folder)), f"SELECT {endpoint.folder}")
            await self._ensure_folder(client, self._done)
        except BaseException:
            self._client = None
            _drop(client)
            raise
        return client

    async def _starttls(self, client: aioimaplib.IMAP4) -> None:
        protocol = client.protocol
        if "STARTTLS" not in protocol.capabilities:
            raise MailboxUnavailable(f"{self._endpoint}: the server does not offer STARTTLS")
        command = aioimaplib.Command("STARTTLS", protocol.new_tag(), loop=protocol.loop)
        await self._ok(protocol.execute(command), "STARTTLS")
        loop = asyncio.get_running_loop()
        transport = await self._call(
            loop.start_tls(
                protocol.transport, protocol, self._context(), server_hostname=self._endpoint.host
            ),
            "STARTTLS handshake",
        )
        protocol.transport = transport
        await self._call(protocol.capability(), "CAPABILITY")

    async def _ensure_folder(self, client: aioimaplib.IMAP4, folder: str) -> None:
        """Create the done folder when it is missing; another worker creating it at the same
        moment is not an error."""
        listed = await self._ok(client.list('""', quote(folder)), "LIST")
        if any(line.startswith(b"(") for line in _lines(listed.lines[:-1])):
            return
        created = await self._call(client.create(quote(folder)), "CREATE")
        if created.result != "OK":
            again = await self._ok(client.list('""', quote(folder)), "LIST")
            if not any(line.startswith(b"(") for line in _lines(again.lines[:-1])):
                raise MailboxUnavailable(
                    f"{self._endpoint}: cannot create the folder {folder!r}: {_said(created)}"
                )

    def _context(self) -> ssl.SSLContext:
        return self._ssl or ssl.create_default_context()

    # --- calls ------------------------------------------------------------------------------

    async def _call(self, call: Awaitable[T], what: str, *, unbounded: bool = False) -> T:
        """Await one IMAP exchange, failing fast when the connection drops, and turn every
        failure into MailboxUnavailable (dropping the connection, whose state is unknown).
        `unbounded`: no overall time limit (aioimaplib's own idle timeout still applies)."""
        task = asyncio.ensure_future(call)
        waiters: set[asyncio.Future[Any]] = {task}
        if self._lost is not None:
            waiters.add(self._lost)
        try:
            done, _ = await asyncio.wait(
                waiters,
                timeout=None if unbounded else self._timeout,
                return_when=asyncio.FIRST_COMPLETED,
            )
            if task in done:
                return task.result()
            reason = "the connection was lost" if done else "timed out"
            raise MailboxUnavailable(f"{self._endpoint}: {what}: {reason}")
        except MailboxUnavailable:
            self._abandon()
            raise
        except (OSError, TimeoutError, aioimaplib.AioImapException, ValueError) as error:
            self._abandon()
            detail = str(error) or type(error).__name__
            raise MailboxUnavailable(f"{self._endpoint}: {what}: {detail}") from error
        finally:
            if not task.done():
                task.cancel()

    async def _ok(
        self, call: Awaitable[aioimaplib.Response], what: str, *, unbounded: bool = False
    ) -> aioimaplib.Response:
        response = await self._call(call, what, unbounded=unbounded)
        if response.result != "OK":
            self._abandon()
            raise MailboxUnavailable(f"{self._endpoint}: {what} refused: {_said(response)}")
        return response

    def _abandon(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            _drop(client)


def _drop(client: aioimaplib.IMAP4) -> None:
    transport = getattr(client.protocol, "transport", None)
    if transport is not None:
        transport.close()


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _lines(lines: list[Any]) -> list[bytes]:
    return [bytes(line) for line in lines if isinstance(line, bytes | bytearray)]


def _said(response: aioimaplib.Response) -> str:
    last = response.lines[-1] if response.lines else b""
    return bytes(last).decode("utf-8", "replace") if isinstance(last, bytes | bytearray) else ""


def _size_of(lines: list[Any], uid: int) -> int | None:
    for line in _lines(lines):
        uid_match = _UID.search(line)
        size = _SIZE.search(line)
        if size and (uid_match is None or int(uid_match.group(1)) == uid):
            return int(size.group(1))
    return None


def _literal_of(lines: list[Any], uid: int) -> bytes | None:
    """The message bytes in a FETCH answer: the literal after the `* n FETCH (UID uid …` line.
    aioimaplib hands literals over as bytearray, the protocol lines as bytes."""
    for index, line in enumerate(lines):
        if not isinstance(line, bytes) or b"FETCH" not in line:
            continue
        uid_match = _UID.search(line)
        if uid_match and int(uid_match.group(1)) != uid:
            continue
        following = lines[index + 1] if index + 1 < len(lines) else None
        if isinstance(following, bytearray):
            return bytes(following)
    return None
