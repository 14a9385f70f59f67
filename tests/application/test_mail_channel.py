"""The e-mail channel's use cases over the memory storage and the real container: a message
becomes a ticket, a comment, or a kept record, once; notifications are queued as mail in the
same transaction; the outbox drains with retries. (The real IMAP and SMTP servers are in
tests/adapters/mail/test_channel_end_to_end.py.)"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path
from typing import Any

import pytest
from dependency_injector import providers

from helpdesk.adapters.mail.attachment_store import FilesystemAttachmentStore
from helpdesk.adapters.mail.parsing import parse_message
from helpdesk.adapters.storage.memory.unit_of_work import MemoryStorage
from helpdesk.application.mail.inbound import InboundPolicy
from helpdesk.application.ports.mail import DeliveryFailed
from helpdesk.application.tickets.comments import ListComments
from helpdesk.application.tickets.queries import ListTickets
from helpdesk.domain.mail.message import InboundMessage
from helpdesk.domain.mail.outgoing import OutgoingMail
from helpdesk.domain.mail.records import InboundOutcome, OutboxMail, OutboxStatus
from helpdesk.domain.mail.threads import new_message_id
from helpdesk.domain.people import Actor
from helpdesk.domain.taxonomy import Channel, Role, TicketStatus
from helpdesk.domain.text_preparation import prepared_description
from helpdesk.domain.ticket import Ticket

from .world import World

FIXTURES = Path(__file__).parents[1] / "fixtures" / "mail"
DOMAIN = "helpdesk.example.org"
SUPPORT = f"الدعم الفني <support@{DOMAIN}>"
BODY = "الطابعة في الطابق الثالث لا تطبع أي مستند منذ صباح اليوم وتظهر رسالة خطأ."


def mail(
    sender: str = "employee@helpdesk.local",
    subject: str = "رد: الطابعة لا تطبع",
    body: str = BODY,
    message_id: str = "<m1@example.org>",
    **headers: str,
) -> InboundMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = SUPPORT
    message["Subject"] = subject
    message["Message-ID"] = message_id
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return parse_message(message.as_bytes(policy=SMTP))


def with_attachments(message_id: str, *files: tuple[str, str, bytes]) -> InboundMessage:
    message = EmailMessage()
    message["From"] = "employee@helpdesk.local"
    message["To"] = SUPPORT
    message["Subject"] = "تقرير الخطأ"
    message["Message-ID"] = message_id
    message.set_content(BODY)
    for name, kind, data in files:
        main, sub = kind.split("/")
        message.add_attachment(data, maintype=main, subtype=sub, filename=name)
    return parse_message(message.as_bytes(policy=SMTP))


class Channel_:
    """A world with the mail channel wired: our domain, a policy, files under tmp_path."""

    def __init__(self, world: World, files: Path) -> None:
        self.w = world
        self.files = FilesystemAttachmentStore(files)
        c = world.use_cases
        c.attachment_store.override(providers.Object(self.files))
        self.policy(unknown_senders="create")

    def policy(self, **kw: Any) -> None:
        policy = InboundPolicy(domain=DOMAIN, own_addresses=(SUPPORT,), **kw)
        self.w.use_cases.inbound_policy.override(providers.Object(policy))

    async def take(self, message: InboundMessage) -> InboundOutcome | None:
        result: InboundOutcome | None = await self.w.use_cases.take_message().execute(message)
        return result

    async def tickets(self) -> list[Ticket]:
        page = await self.w.use_cases.list_tickets().execute(self.w.admin, ListTickets())
        return list(page.items)

    async def outbox(self) -> list[OutboxMail]:
        async with self.w.storage.unit_of_work() as uow:
            rows: dict[Any, OutboxMail] = uow._tx.read("outbox")
            return sorted(rows.values(), key=lambda m: (m.created_at, m.id.int))

    async def record(self, message_id: str) -> Any:
        async with self.w.storage.unit_of_work() as uow:
            return await uow.inbound.get(message_id)


@pytest.fixture
async def ch(tmp_path: Path) -> Channel_:
    return Channel_(await World.build(MemoryStorage()), tmp_path)


async def test_a_known_senders_message_becomes_an_email_ticket(ch: Channel_) -> None:
    assert await ch.take(mail()) is InboundOutcome.TICKET
    [ticket] = await ch.tickets()
    assert ticket.channel is Channel.EMAIL
    assert ticket.title == "الطابعة لا تطبع"  # without the reply prefix
    assert ticket.description == BODY
    assert ticket.submitter_id == ch.w.user.id
    record = await ch.record("<m1@example.org>")
    assert record.outcome is InboundOutcome.TICKET and record.ticket_id == ticket.id
    # the receipt goes by mail too, in the same transaction, to the sender's address
    receipts = [m for m in await ch.outbox() if m.kind == "ticket_created"]
    assert [(m.to_address, m.subject, m.in_reply_to) for m in receipts] == [
        ("employee@helpdesk.local", f"الطابعة لا تطبع [#{ticket.number}]", "<m1@example.org>")
    ]


async def test_a_forwarded_chain_is_described_by_the_classifiers_own_cleaning(
    ch: Channel_,
) -> None:
    message = parse_message((FIXTURES / "forwarded-chain.eml").read_bytes())
    assert await ch.take(message) is InboundOutcome.TICKET
    [ticket] = await ch.tickets()
    assert ticket.description == prepared_description(message.text)
    assert "DISCLAIMER" not in ticket.description
    assert "Original Message" not in ticket.description
    assert "Omar Nasser" not in ticket.description  # the quoted history and its signature
    assert ticket.title.startswith("الملفات المشتركة")


async def test_the_same_message_twice_makes_one_ticket(ch: Channel_) -> None:
    assert await ch.take(mail()) is InboundOutcome.TICKET
    assert await ch.take(mail()) is None
    assert len(await ch.tickets()) == 1


class CrashingCommits:
    """The memory storage, whose next commit dies (the process killed before its commit)."""

    def __init__(self, inner: MemoryStorage) -> None:
        self.inner = inner
        self.armed = False

    def unit_of_work(self, *, read_only: bool = False) -> Any:
        uow = self.inner.unit_of_work(read_only=read_only)
        commit = uow.commit

        async def crashing() -> None:
            if self.armed:
                self.armed = False
                raise SystemExit("killed")
            await commit()

        uow.commit = crashing  # type: ignore[method-assign]
        return uow

    async def ping(self) -> None: ...


async def test_a_crash_before_the_commit_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    storage = CrashingCommits(MemoryStorage())
    ch = Channel_(await World.build(storage), tmp_path)
    message = with_attachments("<crash@example.org>", ("log.pdf", "application/pdf", b"%PDF-1"))
    storage.armed = True
    with pytest.raises(SystemExit):
        await ch.take(message)
    assert await ch.tickets() == []
    assert await ch.record("<crash@example.org>") is None
    # the next pass takes it again: one ticket, one attachment
    assert await ch.take(message) is InboundOutcome.TICKET
    assert await ch.take(message) is None
    [ticket] = await ch.tickets()
    async with storage.unit_of_work() as uow:
        assert len(await uow.attachments.for_ticket(ticket.id)) == 1


async def test_unknown_senders_get_a_profile_or_a_refusal(ch: Channel_) -> None:
    assert await ch.take(mail("سارة <Sara@Example.ORG>")) is InboundOutcome.TICKET
    [ticket] = await ch.tickets()
    profile = await ch.w.profile(Actor(ticket.submitter_id, Role.END_USER))
    assert (profile.email, profile.full_name, profile.role) == (
        "sara@example.org",
        "سارة",
        Role.END_USER,
    )
    ch.policy(unknown_senders="refuse")
    outcome = await ch.take(mail("omar@example.org", message_id="<m2@example.org>"))
    assert outcome is InboundOutcome.REFUSED
    assert len(await ch.tickets()) == 1
    [reply] = [m for m in await ch.outbox() if m.to_address == "omar@example.org"]
    assert reply.kind == "mail_refusal" and reply.in_reply_to == "<m2@example.org>"
    assert "غير مسجّل" in reply.body
    record = await ch.record("<m2@example.org>")
    assert record.outcome is InboundOutcome.REFUSED and BODY in record.body


async def test_replies_thread_as_public_comments(ch: Channel_) -> None:
    await ch.take(mail())
    [ticket] = await ch.tickets()
    ours = new_message_id(ticket.id, DOMAIN, ticket.number)
    by_header = mail(subject="رد: شيء آخر", message_id="<r1@example.org>", In_Reply_To=ours)
    by_tag = mail(subject=f"Re: الطابعة [#{ticket.number}]", message_id="<r2@example.org>")
    assert await ch.take(by_header) is InboundOutcome.COMMENT
    assert await ch.take(by_tag) is InboundOutcome.COMMENT
    assert len(await ch.tickets()) == 1
    comments = await ch.w.use_cases.list_comments().execute(ch.w.user, ListComments(ticket.id))
    assert [(c.author_id, c.internal, c.body) for c in comments.items] == [
        (ch.w.user.id, False, BODY),
        (ch.w.user.id, False, BODY),
    ]
    record = await ch.record("<r1@example.org>")
    assert record.outcome is InboundOutcome.COMMENT and record.ticket_id == ticket.id


async def test_a_reply_from_someone_who_may_not_comment_is_held(ch: Channel_) -> None:
    await ch.take(mail())
    [ticket] = await ch.tickets()
    stranger = mail("nobody@example.org", subject=f"[#{ticket.number}]", message_id="<s@x>")
    other = mail("other@x.io", subject=f"رد [#{ticket.number}]", message_id="<o@x>")
    assert await ch.take(stranger) is InboundOutcome.HELD
    assert await ch.take(other) is InboundOutcome.HELD  # not their ticket
    assert (await ch.record("<o@x>")).reason.startswith(f"may not comment on #{ticket.number}")
    assert [m for m in await ch.outbox() if m.kind == "mail_refusal"] == []


async def test_auto_replies_and_bounces_are_ignored_and_never_answered(ch: Channel_) -> None:
    auto = mail(message_id="<auto@x>", Auto_Submitted="auto-replied")
    bounce = parse_message((FIXTURES / "bounce.eml").read_bytes())
    assert await ch.take(auto) is InboundOutcome.IGNORED
    assert await ch.take(bounce) is InboundOutcome.IGNORED
    assert await ch.tickets() == []
    assert await ch.outbox() == []


async def test_a_message_the_text_policy_refuses_is_held_and_answered_in_arabic(
    ch: Channel_,
) -> None:
    english = mail(subject="Printer broken", body="The printer on floor 3 does not print.")
    assert await ch.take(english) is InboundOutcome.HELD
    assert await ch.tickets() == []
    record = await ch.record("<m1@example.org>")
    assert "The printer on floor 3" in record.body  # kept for an admin
    [reply] = await ch.outbox()
    assert reply.to_address == "employee@helpdesk.local"
    assert reply.heading == "لم نتمكن من تسجيل رسالتك كتذكرة"
    assert "موضوع الرسالة:" in reply.body and "نص الرسالة:" in reply.body


async def test_attachments_are_kept_and_dangerous_ones_refused(ch: Channel_) -> None:
    message = with_attachments(
        "<files@x>",
        ("تقرير.pdf", "application/pdf", b"%PDF-1.4 report"),
        ("setup.exe", "application/octet-stream", b"MZ\x90\x00"),
    )
    assert await ch.take(message) is InboundOutcome.TICKET
    [ticket] = await ch.tickets()
    async with ch.w.storage.unit_of_work() as uow:
        [kept] = await uow.attachments.for_ticket(ticket.id)
    assert (kept.filename, kept.size) == ("تقرير.pdf", len(b"%PDF-1.4 report"))
    assert await ch.files.get(kept.key) == b"%PDF-1.4 report"
    assert "setup.exe" in (await ch.record("<files@x>")).reason


async def test_notifications_are_queued_as_mail_unless_the_person_opted_out(
    ch: Channel_,
) -> None:
    w = ch.w
    ticket = await w.file(network=0.95)  # auto-assigned
    agent = Actor(ticket.assigned_agent_id, Role.AGENT)  # type: ignore[arg-type]
    kinds = {(m.kind, m.user_id) for m in await ch.outbox()}
    assert ("ticket_created", w.user.id) in kinds
    assert ("ticket_assigned", ticket.assigned_agent_id) in kinds
    agent_actor = next(a for a in w.everyone() if a.id == agent.id)
    await w.comment(agent_actor, ticket, "ملاحظة داخلية", internal=True)
    assert not any(m.kind == "internal_note" for m in await ch.outbox())
    async with w.storage.unit_of_work() as uow:
        me = await uow.profiles.get(w.user.id)
        await uow.profiles.update(replace(me, email_notifications=False))
        await uow.commit()
    before = len(await ch.outbox())
    await w.update(agent_actor, ticket, status=TicketStatus.IN_PROGRESS)
    assert len(await ch.outbox()) == before  # the submitter opted out


class Sender:
    """The MailSender port, answering as each test scripts (the real SMTP server is in the
    end-to-end test)."""

    def __init__(self) -> None:
        self.sent: list[OutgoingMail] = []
        self.fail: DeliveryFailed | None = None
        self.fail_once: DeliveryFailed | None = None  # the next mail only

    async def send(self, mail: OutgoingMail) -> None:
        if self.fail_once is not None:
            fail, self.fail_once = self.fail_once, None
            raise fail
        if self.fail is not None:
            raise self.fail
        self.sent.append(mail)


def scripted_sender(w: World) -> Sender:
    """The use cases send through a scripted Sender, with Message-IDs in DOMAIN."""
    sender = Sender()
    w.use_cases.mail_sender.override(providers.Object(sender))
    w.use_cases.mail_domain.override(providers.Object(DOMAIN))
    return sender


async def test_the_outbox_drains_with_retries_and_back_off(ch: Channel_) -> None:
    w = ch.w
    sender = scripted_sender(w)
    await ch.take(mail())
    pending = len(await ch.outbox())
    sender.fail = DeliveryFailed("connection refused", temporary=True)
    report = await w.use_cases.send_pending().execute()
    assert (report.sent, report.failed, report.pending) == (0, 0, pending)
    # the server is down: the first try fails and the rest of the batch is given back untried
    tried = [m for m in await ch.outbox() if m.attempts]
    assert [(m.attempts, m.last_error) for m in tried] == [(1, "connection refused")]
    assert sender.sent == []
    # the tried one waits for its back-off; the untried ones go at once
    sender.fail = None
    report = await w.use_cases.send_pending().execute()
    assert (report.sent, report.pending) == (pending - 1, 1)
    w.clock.at += timedelta(minutes=2)
    report = await w.use_cases.send_pending().execute()
    assert (report.sent, report.pending) == (1, 0)
    assert len(sender.sent) == pending
    [receipt] = [m for m in sender.sent if m.to_address == "employee@helpdesk.local"]
    [ticket] = await ch.tickets()
    assert receipt.subject.endswith(f"[#{ticket.number}]")
    assert receipt.message_id.startswith(f"<helpdesk.{ticket.number}.")
    assert f"<helpdesk.{ticket.number}@{DOMAIN}>" in receipt.references


async def test_a_mail_refused_for_now_delays_only_itself(ch: Channel_) -> None:
    """A full mailbox (450/452 to one recipient) is no outage: the rest of the batch goes."""
    w = ch.w
    sender = scripted_sender(w)
    await ch.take(mail())
    pending = len(await ch.outbox())
    assert pending >= 2
    sender.fail_once = DeliveryFailed("452 mailbox full", temporary=True, this_mail_only=True)
    report = await w.use_cases.send_pending().execute()
    assert (report.sent, report.failed, report.pending) == (pending - 1, 0, 1)
    [waiting] = [m for m in await ch.outbox() if m.status is OutboxStatus.PENDING]
    assert (waiting.attempts, waiting.last_error) == (1, "452 mailbox full")
    assert waiting.next_attempt_at > w.clock.now()  # its back-off, not the next pass


async def test_a_permanent_refusal_fails_the_mail_and_status_counts_it(ch: Channel_) -> None:
    w = ch.w
    sender = scripted_sender(w)
    await ch.take(mail())
    await ch.take(mail(message_id="<auto@x>", Auto_Submitted="auto-replied"))
    sender.fail = DeliveryFailed("550 no such user", temporary=False)
    report = await w.use_cases.send_pending().execute()
    assert report.failed == len(await ch.outbox()) and report.pending == 0
    assert all(m.status is OutboxStatus.FAILED for m in await ch.outbox())
    status = await w.use_cases.mail_status().execute(w.admin)
    assert (status.taken, status.tickets, status.ignored) == (2, 1, 1)
    assert (status.outbox_pending, status.outbox_failed) == (0, report.failed)


async def test_two_workers_taking_one_message_at_once_make_one_ticket(ch: Channel_) -> None:
    import asyncio

    outcomes = await asyncio.gather(ch.take(mail()), ch.take(mail()))
    assert sorted(outcomes, key=str) == sorted([InboundOutcome.TICKET, None], key=str)
    assert len(await ch.tickets()) == 1


async def test_the_mail_jobs_run_only_where_their_servers_are_configured() -> None:
    from ..wiring import wired

    world = await World.build(MemoryStorage())
    # Without a mailbox or a server only the SLA pass runs.
    assert [job.name for job in world.use_cases.periodic_runner().jobs] == ["sla"]
    configured = wired(
        MemoryStorage(),
        world.classifier,
        world.clock,
        mail_imap_url="imaps://help:secret@mail.example.org/INBOX",
        mail_smtp_url="smtps://help:secret@mail.example.org",
        mail_from=SUPPORT,
        mail_poll_interval=45.0,
    )
    jobs = {job.name: job.interval for job in configured.periodic_runner().jobs}
    assert jobs == {"sla": 30.0, "mail.fetch": 45.0, "mail.send_pending": 10.0}


async def test_a_message_too_large_to_download_is_held_and_answered(ch: Channel_) -> None:
    header = b"From: employee@helpdesk.local\r\nSubject: logs\r\nMessage-ID: <big@x>\r\n\r\n"
    message = parse_message(header, size=60_000_000, truncated=True)
    assert await ch.take(message) is InboundOutcome.HELD
    assert await ch.tickets() == []
    [reply] = await ch.outbox()
    assert reply.to_address == "employee@helpdesk.local" and "حجم الرسالة" in reply.body
