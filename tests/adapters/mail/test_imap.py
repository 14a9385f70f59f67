"""The IMAP mailbox against a real dovecot: unseen messages are taken without being marked
seen, handled ones are moved to the done folder, the rest are taken again on the next pass, and
every failure is one MailboxUnavailable."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator

import pytest

from helpdesk.adapters.mail.endpoints import parse_imap_url
from helpdesk.adapters.mail.folder_names import encode_folder
from helpdesk.adapters.mail.imap import ImapMailbox
from helpdesk.adapters.mail.parsing import parse_message
from helpdesk.application.ports.mail import MailboxUnavailable

from ..storage.relay import TcpRelay
from .conftest import FIXTURES, fixture
from .dovecot import Account, Dovecot, free_port
from .messages import TEN_MB, large_attachment_message, numbered_message

pytestmark = pytest.mark.dovecot


def crlf(raw: bytes) -> bytes:
    return re.sub(rb"\r?\n", b"\r\n", raw)


def lf(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n")


def mailbox(url: str, **options: object) -> ImapMailbox:
    return ImapMailbox(parse_imap_url(url), timeout=5.0, **options)  # type: ignore[arg-type]


async def take_all(box: ImapMailbox) -> dict[int, bytes]:
    taken = {}
    for uid in await box.unseen():
        raw = await box.fetch(uid)
        assert raw is not None
        taken[uid] = raw.data
    return taken


async def test_a_handled_message_moves_and_an_unhandled_one_is_taken_again(
    dovecot: Dovecot, account: Account
) -> None:
    sent = [numbered_message(n) for n in (1, 2, 3)]
    for raw in sent:
        dovecot.deliver(account, raw)

    first = mailbox(dovecot.url(account))
    taken = await take_all(first)
    assert list(taken.values()) == [crlf(raw) for raw in sent]
    uids = list(taken)
    await first.move_to_done(uids[0])
    await first.move_to_done(uids[1])
    await first.close()  # the third was not handled (the process died, say)

    inbox = dovecot.contents(account, "INBOX")
    assert [body for body, _ in inbox] == [crlf(sent[2])]
    assert "\\Seen" not in inbox[0][1]  # reading it did not mark it seen
    assert [body for body, _ in dovecot.contents(account, "Processed")] == [
        crlf(sent[0]),
        crlf(sent[1]),
    ]

    second = mailbox(dovecot.url(account))
    again = await take_all(second)
    assert list(again.values()) == [crlf(sent[2])]  # only what was not handled
    await second.move_to_done(next(iter(again)))
    assert await second.unseen() == []
    await second.close()
    assert len(dovecot.contents(account, "Processed")) == 3
    assert dovecot.contents(account, "INBOX") == []


async def test_every_fixture_reads_the_same_after_the_trip_through_the_server(
    dovecot: Dovecot, account: Account
) -> None:
    paths = sorted(FIXTURES.glob("*.eml"))
    for path in paths:
        dovecot.deliver(account, path.read_bytes())
    box = mailbox(dovecot.url(account))
    taken = await take_all(box)
    for uid in taken:
        await box.move_to_done(uid)
    await box.close()
    assert len(taken) == len(paths)
    for path, raw in zip(paths, taken.values(), strict=True):
        direct, fetched = parse_message(path.read_bytes()), parse_message(raw)
        # 8-bit bodies (windows-1256) come back byte for byte; only line ends change.
        assert fetched.text == direct.text, path.name
        assert (fetched.subject, fetched.sender_address, fetched.message_id) == (
            direct.subject,
            direct.sender_address,
            direct.message_id,
        ), path.name
        # Undecoded parts (a bounce's delivery report) keep the wire's line ends.
        assert [lf(a.content) for a in fetched.attachments] == [
            lf(a.content) for a in direct.attachments
        ], path.name
        assert (fetched.automatic, fetched.is_malformed) == (direct.automatic, direct.is_malformed)
    assert dovecot.contents(account, "INBOX") == []


async def test_the_done_folder_is_created_and_may_have_an_arabic_name(
    dovecot: Dovecot, account: Account
) -> None:
    dovecot.deliver(account, fixture("arabic-plain.eml"))
    box = mailbox(dovecot.url(account), done_folder="تمت المعالجة")
    [uid] = await box.unseen()
    await box.move_to_done(uid)
    await box.close()
    assert encode_folder("تمت المعالجة") in dovecot.folders(account)
    [(body, _)] = dovecot.contents(account, encode_folder("تمت المعالجة"))
    assert parse_message(body).subject == "الطابعة لا تطبع في الطابق الثالث"


async def test_a_folder_other_than_the_inbox_can_be_read(
    dovecot: Dovecot, account: Account
) -> None:
    session = dovecot.session(account)
    session.create("Helpdesk")
    session.logout()
    dovecot.deliver(account, numbered_message(7), folder="Helpdesk")
    dovecot.deliver(account, numbered_message(8))  # in INBOX: not ours to take
    box = mailbox(dovecot.url(account, folder="Helpdesk"))
    taken = await take_all(box)
    await box.close()
    assert list(taken.values()) == [crlf(numbered_message(7))]


async def test_two_workers_taking_the_same_message_do_not_fail(
    dovecot: Dovecot, account: Account
) -> None:
    dovecot.deliver(account, numbered_message(1))
    one, two = mailbox(dovecot.url(account)), mailbox(dovecot.url(account))
    [uid] = await one.unseen()
    assert await two.unseen() == [uid]
    await one.move_to_done(uid)
    assert await two.fetch(uid) is None  # gone: the other worker has it
    await two.move_to_done(uid)  # moving what is gone is not an error
    await one.close()
    await two.close()
    assert len(dovecot.contents(account, "Processed")) == 1


@pytest.mark.parametrize(
    "capabilities",
    [
        pytest.param("IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE NAMESPACE UIDPLUS", id="uidplus"),
        pytest.param("IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE NAMESPACE", id="plain-expunge"),
    ],
)
async def test_a_server_without_move_gets_copy_flag_and_expunge(capabilities: str) -> None:
    server = Dovecot(capabilities=capabilities).start()
    try:
        account = server.new_account()
        for n in (1, 2):
            server.deliver(account, numbered_message(n))
        box = mailbox(server.url(account))
        uids = await box.unseen()
        await box.move_to_done(uids[0])
        assert await box.unseen() == [uids[1]]
        await box.close()
        assert [body for body, _ in server.contents(account, "INBOX")] == [
            crlf(numbered_message(2))
        ]
        [(moved, flags)] = server.contents(account, "Processed")
        assert moved == crlf(numbered_message(1))
        assert "\\Deleted" not in flags
    finally:
        server.stop()


async def test_a_10_mb_attachment_comes_through_whole(dovecot: Dovecot, account: Account) -> None:
    dovecot.deliver(account, large_attachment_message())
    box = mailbox(dovecot.url(account))
    [uid] = await box.unseen()
    raw = await box.fetch(uid)
    await box.close()
    assert raw is not None and not raw.truncated
    message = parse_message(raw.data, size=raw.size)
    [attachment] = message.attachments
    assert attachment.filename == "logs.pdf"
    assert attachment.size == TEN_MB
    assert attachment.content.startswith(b"%PDF-1.4\n\x00\x01\x02")
    assert message.text == "مرفق ملف السجلات الكامل من خادم التطبيقات كما طلبتم."


async def test_a_message_over_the_download_cap_is_read_by_its_header(
    dovecot: Dovecot, account: Account
) -> None:
    dovecot.deliver(account, large_attachment_message(2_000_000))
    box = mailbox(dovecot.url(account), max_message_bytes=1_000_000)
    [uid] = await box.unseen()
    raw = await box.fetch(uid)
    await box.close()
    assert raw is not None and raw.truncated
    assert raw.size > 2_000_000 > len(raw.data)
    message = parse_message(raw.data, size=raw.size, truncated=True)
    assert message.is_truncated
    assert message.subject == "سجلات الخادم المطلوبة"
    assert message.sender_address == "hala@example.org"
    assert message.attachments == ()


# --- TLS ------------------------------------------------------------------------------------


async def test_imaps_with_a_trusted_certificate(dovecot: Dovecot, account: Account) -> None:
    dovecot.deliver(account, numbered_message(1))
    box = mailbox(
        dovecot.url(account, scheme="imaps"),
        ssl_context=dovecot.certificates.client_context(),
    )
    assert len(await box.unseen()) == 1
    await box.close()


async def test_starttls_upgrades_the_plain_port(dovecot: Dovecot, account: Account) -> None:
    dovecot.deliver(account, numbered_message(1))
    box = mailbox(
        dovecot.url(account) + "?starttls=true",
        ssl_context=dovecot.certificates.client_context(),
    )
    [uid] = await box.unseen()
    raw = await box.fetch(uid)
    await box.move_to_done(uid)
    await box.close()
    assert raw is not None and raw.data == crlf(numbered_message(1))


@pytest.mark.parametrize("scheme, query", [("imaps", ""), ("imap", "?starttls=true")])
async def test_an_untrusted_certificate_is_refused(
    dovecot: Dovecot, account: Account, scheme: str, query: str
) -> None:
    box = mailbox(dovecot.url(account, scheme=scheme) + query)  # system CAs only
    with pytest.raises(MailboxUnavailable, match="CERTIFICATE_VERIFY_FAILED"):
        await box.unseen()


# --- failures -------------------------------------------------------------------------------


async def test_a_wrong_password_is_unavailable_and_names_no_password(
    dovecot: Dovecot, account: Account
) -> None:
    url = dovecot.url(account).replace(account.password, "wrong-password")
    with pytest.raises(MailboxUnavailable, match="LOGIN refused") as raised:
        await mailbox(url).unseen()
    assert "wrong-password" not in str(raised.value)


async def test_nothing_listening_is_unavailable() -> None:
    box = mailbox(f"imap://u:p@127.0.0.1:{free_port()}/INBOX")
    with pytest.raises(MailboxUnavailable, match="connect"):
        await box.unseen()


@pytest.fixture
async def silent_server() -> AsyncIterator[int]:
    """Accepts connections and never says a word."""
    held: list[asyncio.StreamWriter] = []

    async def hold(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    yield server.sockets[0].getsockname()[1]
    for writer in held:
        writer.transport.abort()
    server.close()


async def test_a_server_that_never_answers_times_out(silent_server: int) -> None:
    box = ImapMailbox(parse_imap_url(f"imap://u:p@127.0.0.1:{silent_server}/"), timeout=0.5)
    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(MailboxUnavailable, match="timed out"):
        await box.unseen()
    assert loop.time() - started < 3


@pytest.fixture
async def relay(dovecot: Dovecot) -> AsyncIterator[TcpRelay]:
    relay = TcpRelay("127.0.0.1", dovecot.imap_port)
    await relay.start()
    yield relay
    await relay.cut()


async def test_a_connection_cut_mid_pass_loses_nothing(
    dovecot: Dovecot, account: Account, relay: TcpRelay
) -> None:
    dovecot.deliver(account, numbered_message(1))
    url = dovecot.url(account).replace(f":{dovecot.imap_port}/", f":{relay.port}/")
    box = mailbox(url)
    [uid] = await box.unseen()
    await relay.cut()
    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(MailboxUnavailable):
        await box.fetch(uid)
    assert loop.time() - started < 3  # noticed the loss; did not wait for the timeout
    with pytest.raises(MailboxUnavailable, match="connect"):
        await box.unseen()  # still cut: the next call tries to connect again and says so
    await relay.start()
    assert await box.unseen() == [uid]  # back: the message is still there, still unseen
    raw = await box.fetch(uid)
    await box.close()
    assert raw is not None and raw.data == crlf(numbered_message(1))


def test_the_done_folder_must_differ_from_the_folder_read() -> None:
    with pytest.raises(ValueError, match="done folder"):
        ImapMailbox(parse_imap_url("imap://u:p@h/Processed"), done_folder="processed")


async def test_close_without_a_connection_and_twice_is_harmless(
    dovecot: Dovecot, account: Account
) -> None:
    box = mailbox(dovecot.url(account))
    await box.close()
    await box.unseen()
    await box.close()
    await box.close()
