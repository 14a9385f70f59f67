"""The e-mail channel end to end, with real servers: dovecot (IMAP) holds the mailbox, aiosmtpd
receives what we send, SQLite keeps the tickets, and the real container wires the use cases.

A forwarded Arabic chain becomes a ticket with a clean description; a reply to our notification
threads into it; an auto-reply is ignored and never answered; a crash before the commit loses
and duplicates nothing; an SMTP outage delays mail and loses none; `helpdesk mail fetch` and
`helpdesk mail send-pending` print the contract's JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

import helpdesk as helpdesk_package
from helpdesk.adapters.storage.sql.unit_of_work import SqlStorage
from helpdesk.application.tickets.comments import ListComments
from helpdesk.application.tickets.queries import ListTickets
from helpdesk.application.users.create import SYSTEM_ACTOR, CreateUser
from helpdesk.container import close_resources, open_resources
from helpdesk.domain.taxonomy import Channel, Role, TicketStatus
from helpdesk.domain.text_preparation import prepared_description

from ...application.world import Clock, ScriptedClassifier
from ...processes import clean_environ
from ...wiring import wired
from .conftest import fixture
from .dovecot import Account, Dovecot
from .smtp_sink import SmtpSink

MAIL_FROM = "الدعم الفني <support@helpdesk.example.org>"
RANA = "rana.yousef@example.org"  # the forwarded chain's sender


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    server = SmtpSink().start()
    yield server
    server.stop()


class Helpdesk:
    def __init__(self, container: Any, storage: SqlStorage, clock: Clock) -> None:
        self.c = container
        self.storage = storage
        self.clock = clock

    async def fetch(self) -> dict[str, int]:
        result: dict[str, int] = await self.c.mail_fetch_job().run_once()
        return result

    async def send(self) -> dict[str, int]:
        result: dict[str, int] = await self.c.mail_send_job().run_once()
        return result

    async def tickets(self) -> list[Any]:
        page = await self.c.list_tickets().execute(SYSTEM_ACTOR, ListTickets())
        return list(page.items)


@pytest.fixture
async def helpdesk(
    sqlite_url: str, dovecot: Dovecot, account: Account, sink: SmtpSink, tmp_path: Path
) -> AsyncIterator[Helpdesk]:
    storage = SqlStorage(sqlite_url)
    clock = Clock()
    classifier = ScriptedClassifier(clock)
    classifier.answer = None  # down: mailed tickets wait in triage, which is all we need here
    container = wired(
        storage,
        classifier,
        clock,
        mail_imap_url=dovecot.url(account),
        mail_smtp_url=sink.url(),
        mail_from=MAIL_FROM,
        mail_attachments_dir=tmp_path / "attachments",
    )
    await open_resources(container, ("mailbox",))
    await container.create_user().execute(SYSTEM_ACTOR, CreateUser(RANA, "رنا يوسف", Role.END_USER))
    await container.create_user().execute(
        SYSTEM_ACTOR, CreateUser("admin@helpdesk.example.org", "المسؤول", Role.ADMIN)
    )
    try:
        yield Helpdesk(container, storage, clock)
    finally:
        await close_resources(container)
        await storage.dispose()


def received(sink: SmtpSink) -> list[EmailMessage]:
    messages = [message_from_bytes(r.content, policy=policy.default) for r in sink.received]
    return [m for m in messages if isinstance(m, EmailMessage)]


def text_of(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


async def test_a_forwarded_chain_becomes_a_ticket_and_a_reply_threads_into_it(
    helpdesk: Helpdesk, dovecot: Dovecot, account: Account, sink: SmtpSink
) -> None:
    raw = fixture("forwarded-chain.eml")
    dovecot.deliver(account, raw)
    report = await helpdesk.fetch()
    assert report == {
        "taken": 1,
        "tickets": 1,
        "comments": 0,
        "held": 0,
        "refused": 0,
        "ignored": 0,
    }
    [ticket] = await helpdesk.tickets()
    assert ticket.channel is Channel.EMAIL
    assert ticket.title.startswith("الملفات المشتركة")
    assert "DISCLAIMER" not in ticket.description and "Original Message" not in ticket.description
    from helpdesk.adapters.mail.parsing import parse_message

    assert ticket.description == prepared_description(parse_message(raw).text)
    # moved out of the inbox: nothing is read twice
    assert dovecot.contents(account, "INBOX") == []
    assert len(dovecot.contents(account, "Processed")) == 1
    assert await helpdesk.fetch() == dict.fromkeys(report, 0)
    # the receipt, by mail: Arabic, threaded on the ticket, marked automatic
    sent = await helpdesk.send()
    assert sent["sent"] >= 1 and sent["pending"] == 0
    [receipt] = [m for m in received(sink) if RANA in str(m["To"])]
    assert str(receipt["Subject"]).endswith(f"[#{ticket.number}]")
    assert receipt["Auto-Submitted"] == "auto-generated"
    assert "تم استلام تذكرتك" in text_of(receipt)
    assert receipt["In-Reply-To"] == "<chain-006@example.org>"  # her own mail, in her client
    assert f"<helpdesk.{ticket.number}@helpdesk.example.org>" in str(receipt["References"])
    # Rana answers the receipt from her mail client
    reply = EmailMessage()
    reply["From"] = f"رنا يوسف <{RANA}>"
    reply["To"] = MAIL_FROM
    reply["Subject"] = "رد: " + str(receipt["Subject"]).split(" [#")[0]
    reply["Message-ID"] = "<reply-e2e@example.org>"
    reply["In-Reply-To"] = str(receipt["Message-ID"])
    reply["References"] = str(receipt["References"])
    reply.set_content(
        "ما زالت المشكلة قائمة بعد إعادة تشغيل الجهاز.\n\n"
        f"On Mon, 20 May 2024 at 09:00, {MAIL_FROM} wrote:\n> تم استلام تذكرتك\n> نص قديم\n"
    )
    dovecot.deliver(account, reply.as_bytes())
    assert (await helpdesk.fetch())["comments"] == 1
    assert len(await helpdesk.tickets()) == 1
    comments = await helpdesk.c.list_comments().execute(SYSTEM_ACTOR, ListComments(ticket.id))
    [comment] = comments.items
    assert comment.body == "ما زالت المشكلة قائمة بعد إعادة تشغيل الجهاز."
    assert not comment.internal


async def test_an_auto_reply_is_ignored_and_never_answered(
    helpdesk: Helpdesk, dovecot: Dovecot, account: Account, sink: SmtpSink
) -> None:
    dovecot.deliver(account, fixture("auto-reply.eml"))
    dovecot.deliver(account, fixture("bounce.eml"))
    report = await helpdesk.fetch()
    assert (report["taken"], report["ignored"], report["tickets"]) == (2, 2, 0)
    assert await helpdesk.send() == {"sent": 0, "failed": 0, "pending": 0}
    assert received(sink) == []
    assert len(dovecot.contents(account, "Processed")) == 2
    status = await helpdesk.c.mail_status().execute(
        __import__("helpdesk.domain.people", fromlist=["SYSTEM"]).SYSTEM
    )
    assert (status.ignored, status.last_poll_at is not None) == (2, True)


async def test_a_crash_before_the_commit_loses_and_duplicates_nothing(
    helpdesk: Helpdesk, dovecot: Dovecot, account: Account
) -> None:
    dovecot.deliver(account, fixture("arabic-plain.eml"))
    storage = helpdesk.storage
    real = storage.unit_of_work
    commits = 0

    def dying(*, read_only: bool = False) -> Any:
        uow = real(read_only=read_only)
        commit = uow.commit

        async def die() -> None:
            nonlocal commits
            commits += 1
            if not read_only:
                raise SystemExit("killed between taking the message and committing its ticket")
            await commit()

        uow.commit = die  # type: ignore[method-assign]
        return uow

    storage.unit_of_work = dying  # type: ignore[method-assign]
    with pytest.raises(SystemExit):
        await helpdesk.fetch()
    storage.unit_of_work = real  # type: ignore[method-assign]
    await helpdesk.c.mailbox().close()
    assert await helpdesk.tickets() == []
    [(_, flags)] = dovecot.contents(account, "INBOX")  # still there, still unseen
    assert "\\Seen" not in flags
    # the next pass takes it once; a pass after that finds nothing
    assert (await helpdesk.fetch())["tickets"] == 1
    assert (await helpdesk.fetch())["taken"] == 0
    assert len(await helpdesk.tickets()) == 1
    assert dovecot.contents(account, "INBOX") == []


async def test_an_smtp_outage_delays_mail_and_loses_none(
    helpdesk: Helpdesk, sink: SmtpSink
) -> None:
    c = helpdesk.c
    rana = (
        await c.list_users().execute(
            SYSTEM_ACTOR,
            __import__("helpdesk.application.users.manage", fromlist=["ListUsers"]).ListUsers(
                q="rana"
            ),
        )
    ).items[0]
    from helpdesk.application.tickets.create import CreateTicket
    from helpdesk.application.tickets.update import UpdateTicket
    from helpdesk.domain.changes import TicketUpdate
    from helpdesk.domain.people import Actor

    ticket = (
        await c.create_ticket().execute(
            Actor.of(rana), CreateTicket("الطابعة لا تعمل", "الطابعة في الطابق الثالث لا تطبع")
        )
    ).ticket
    assert (await helpdesk.send())["sent"] >= 1
    before = len(received(sink))
    port = sink.port
    sink.stop()  # the mail server goes away
    await c.update_ticket().execute(
        SYSTEM_ACTOR, UpdateTicket(ticket.id, TicketUpdate(status=TicketStatus.CLOSED))
    )
    down = await helpdesk.send()
    assert down["sent"] == 0 and down["pending"] >= 1
    # it comes back; the mail waits for its back-off, then goes, once
    again = SmtpSink()
    again.port = port
    again.start()
    try:
        assert (await helpdesk.send())["pending"] == down["pending"]
        helpdesk.clock.at += timedelta(minutes=2)
        up = await helpdesk.send()
        assert (up["sent"], up["pending"]) == (down["pending"], 0)
        [changed] = [m for m in received(again) if "تغيّرت حالة" in text_of(m)]
        assert str(changed["Subject"]).endswith(f"[#{ticket.number}]")
        assert RANA in str(changed["To"])
        assert len(received(sink)) == before
    finally:
        again.stop()


def test_the_commands_print_the_contracts_json(
    sqlite_url: str, dovecot: Dovecot, account: Account, sink: SmtpSink, tmp_path: Path
) -> None:
    dovecot.deliver(account, fixture("arabic-plain.eml"))
    dovecot.deliver(account, fixture("auto-reply.eml"))
    env = clean_environ()
    env.pop("DATABASE_URL", None)
    env |= {
        "HELPDESK_DATABASE_URL": sqlite_url,
        "HELPDESK_JWT_SECRET": "cli-mail-secret-" + "x" * 32,
        "HELPDESK_CLASSIFIER_URL": "http://127.0.0.1:9/",  # down: tickets wait in triage
        "HELPDESK_MAIL_IMAP_URL": dovecot.url(account),
        "HELPDESK_MAIL_SMTP_URL": sink.url(),
        "HELPDESK_MAIL_FROM": MAIL_FROM,
        "HELPDESK_MAIL_ATTACHMENTS_DIR": str(tmp_path / "files"),
        "HELPDESK_MAIL_UNKNOWN_SENDERS": "create",
        # this source tree, whatever the working directory
        "PYTHONPATH": str(Path(helpdesk_package.__file__).parents[1]),
    }

    def run(*args: str) -> dict[str, int]:
        done = subprocess.run(
            [sys.executable, "-m", "helpdesk.entrypoints.cli", "mail", *args],
            check=False,
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        result: dict[str, int] = json.loads(done.stdout)
        return result

    assert run("fetch") == {
        "taken": 2,
        "tickets": 1,
        "comments": 0,
        "held": 0,
        "refused": 0,
        "ignored": 1,
    }
    sent = run("send-pending")
    assert set(sent) == {"sent", "failed", "pending"} and sent["sent"] >= 1
    assert sent["pending"] == 0 and len(sink.received) == sent["sent"]
    # without a mailbox configured, one line naming the variable
    del env["HELPDESK_MAIL_IMAP_URL"]
    done = subprocess.run(
        [sys.executable, "-m", "helpdesk.entrypoints.cli", "mail", "fetch"],
        check=False,
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == "helpdesk: HELPDESK_MAIL_IMAP_URL is not set"


async def test_attachments_large_dangerous_and_a_broken_message(
    helpdesk: Helpdesk, dovecot: Dovecot, account: Account, tmp_path: Path
) -> None:
    from .messages import TEN_MB, large_attachment_message

    dovecot.deliver(account, large_attachment_message())
    dovecot.deliver(account, fixture("executable-attachment.eml"))
    dovecot.deliver(account, fixture("malformed.eml"))
    report = await helpdesk.fetch()
    assert report["taken"] == 3 and report["tickets"] >= 2, report
    assert dovecot.contents(account, "INBOX") == []  # every one handled, none stuck
    tickets = {t.title: t for t in await helpdesk.tickets()}
    large = next(t for t in tickets.values() if t.title.startswith("سجلات الخادم"))
    [logs] = await helpdesk.c.list_attachments().execute(SYSTEM_ACTOR, large.id)
    assert (logs.filename, logs.content_type, logs.size) == ("logs.pdf", "application/pdf", TEN_MB)
    stored = tmp_path / "attachments" / logs.key
    assert stored.stat().st_size == TEN_MB
    # the executable was refused: its ticket lists no such file
    listed = [
        a.filename
        for t in tickets.values()
        for a in await helpdesk.c.list_attachments().execute(SYSTEM_ACTOR, t.id)
    ]
    assert not any(name.casefold().endswith((".exe", ".scr", ".bat")) for name in listed)


async def test_the_worker_runs_both_mail_jobs(
    helpdesk: Helpdesk, dovecot: Dovecot, account: Account, sink: SmtpSink
) -> None:
    runner = helpdesk.c.periodic_runner()
    jobs = {job.name: job for job in runner.jobs}
    assert {"mail.fetch", "mail.send_pending"} <= set(jobs), jobs  # beside the SLA pass
    fetch, send = jobs["mail.fetch"], jobs["mail.send_pending"]
    dovecot.deliver(account, fixture("arabic-plain.eml"))
    fetched = await runner.turn(fetch)
    assert fetched.result["tickets"] == 1, fetched  # type: ignore[index]
    sent = await runner.turn(send)
    assert sent.result["sent"] >= 1 and len(sink.received) == sent.result["sent"]  # type: ignore[index]
    # the mail server gone: the turn fails with a warning and the next one tries again
    sink.stop()
    dovecot.deliver(account, fixture("html-only.eml"))
    assert (await runner.turn(fetch)).result["tickets"] == 1  # type: ignore[index]
    assert (await runner.turn(send)).result["pending"] >= 1  # type: ignore[index]


class HangingClassifier:
    """An HTTP server that takes the classifier's request and never answers: the fetch process
    is then stopped between taking a message and committing its ticket."""

    def __init__(self) -> None:
        import socket
        import threading

        self.asked = threading.Event()
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._held: list[Any] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._server.accept()
            except OSError:
                return
            self._held.append(connection)
            if connection.recv(65536):
                self.asked.set()

    def close(self) -> None:
        self._server.close()
        for connection in self._held:
            connection.close()


def test_a_killed_fetch_loses_and_duplicates_nothing(
    sqlite_url: str, dovecot: Dovecot, account: Account, tmp_path: Path
) -> None:
    import signal

    dovecot.deliver(account, fixture("arabic-plain.eml"))
    hanging = HangingClassifier()
    env = clean_environ()
    env.pop("DATABASE_URL", None)
    env |= {
        "HELPDESK_DATABASE_URL": sqlite_url,
        "HELPDESK_JWT_SECRET": "cli-mail-secret-" + "x" * 32,
        "HELPDESK_CLASSIFIER_URL": f"http://127.0.0.1:{hanging.port}",
        "HELPDESK_CLASSIFIER_TIMEOUT": "60",
        "HELPDESK_MAIL_IMAP_URL": dovecot.url(account),
        "HELPDESK_MAIL_ATTACHMENTS_DIR": str(tmp_path / "files"),
        "PYTHONPATH": str(Path(helpdesk_package.__file__).parents[1]),
    }
    command = [sys.executable, "-m", "helpdesk.entrypoints.cli", "mail", "fetch"]
    process = subprocess.Popen(command, cwd=tmp_path, env=env)
    try:
        # the message is taken and parsed: its ticket is being classified, not yet committed
        assert hanging.asked.wait(timeout=60)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
        hanging.close()
    [(_, flags)] = dovecot.contents(account, "INBOX")  # still there, still unseen
    assert "\\Seen" not in flags

    env["HELPDESK_CLASSIFIER_URL"] = "http://127.0.0.1:9"  # down now: triage
    again = subprocess.run(
        command, check=False, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["tickets"] == 1
    third = subprocess.run(
        command, check=False, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert json.loads(third.stdout)["taken"] == 0
    assert dovecot.contents(account, "INBOX") == []
    import sqlite3

    database = sqlite3.connect(sqlite_url.split("///", 1)[1])
    try:
        tickets = database.execute("SELECT count(*) FROM tickets").fetchone()[0]
        records = database.execute("SELECT count(*) FROM inbound_messages").fetchone()[0]
    finally:
        database.close()
    assert (tickets, records) == (1, 1)
