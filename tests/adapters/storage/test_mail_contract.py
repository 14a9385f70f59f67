"""The e-mail channel's storage contract, on every adapter: inbound records are unique on their
Message-ID and vanish with a rolled-back transaction; notification mail reaches only profiles
that may be mailed; the drain claims due mail once; tickets keep their channel and profiles
their opt-out."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from helpdesk.application.ports.storage.mail import DuplicateMessage
from helpdesk.domain.keyset import Position
from helpdesk.domain.mail.records import (
    InboundOutcome,
    InboundRecord,
    OutboxMail,
    OutboxStatus,
    StoredAttachment,
)
from helpdesk.domain.taxonomy import Channel, Role

from .builders import T0, manual_ticket, profile, seed


def inbound(message_id: str, outcome: InboundOutcome, **kw: Any) -> InboundRecord:
    return InboundRecord(
        id=uuid.uuid4(),
        message_id=message_id,
        outcome=outcome,
        sender_address="sara@example.org",
        subject="طابعة معطلة",
        created_at=kw.pop("at", T0),
        **kw,
    )


def outbox(user_id: uuid.UUID | None = None, **kw: Any) -> OutboxMail:
    at = kw.pop("at", T0)
    return OutboxMail(
        id=uuid.uuid4(),
        kind=kw.pop("kind", "ticket_created"),
        subject="طابعة معطلة [#7]",
        heading="تم استلام تذكرتك",
        body="استلمنا تذكرتك.",
        created_at=at,
        next_attempt_at=at,
        user_id=user_id,
        ticket_number=7,
        **kw,
    )


async def test_an_inbound_message_is_recorded_once(storage: Any) -> None:
    ticket_id = uuid.uuid4()
    async with storage.unit_of_work() as uow:
        await uow.inbound.record(inbound("<a@x>", InboundOutcome.TICKET, ticket_id=ticket_id))
        await uow.commit()
    async with storage.unit_of_work() as uow:
        with pytest.raises(DuplicateMessage):
            await uow.inbound.record(inbound("<a@x>", InboundOutcome.HELD))
    async with storage.unit_of_work() as uow:
        stored = await uow.inbound.get("<a@x>")
        assert await uow.inbound.get("<b@x>") is None
    assert stored is not None
    assert stored.outcome is InboundOutcome.TICKET and stored.ticket_id == ticket_id


async def test_a_rolled_back_record_leaves_the_message_to_be_taken_again(storage: Any) -> None:
    async with storage.unit_of_work() as uow:
        await uow.inbound.record(inbound("<crash@x>", InboundOutcome.TICKET))
        # no commit: the process died before the ticket was committed
    async with storage.unit_of_work() as uow:
        assert await uow.inbound.get("<crash@x>") is None
        await uow.inbound.record(inbound("<crash@x>", InboundOutcome.TICKET))
        await uow.commit()


async def test_counts_kept_messages_and_the_last_poll(storage: Any) -> None:
    async with storage.unit_of_work() as uow:
        assert await uow.inbound.last_poll() is None
        outcomes = ["ticket", "ticket", "held", "refused", "ignored"]
        for i, outcome in enumerate(map(InboundOutcome, outcomes)):
            await uow.inbound.record(
                inbound(f"<{i}@x>", outcome, at=T0 + timedelta(minutes=i), body="نص محفوظ")
            )
        await uow.inbound.record_poll(T0)
        await uow.inbound.record_poll(T0 + timedelta(hours=1))
        await uow.commit()
    async with storage.unit_of_work() as uow:
        counts = await uow.inbound.counts()
        kept = await uow.inbound.kept(after=None, limit=10)
        rest = await uow.inbound.kept(after=Position.of(kept[0]), limit=10)
        last = await uow.inbound.last_poll()
    assert counts == {
        InboundOutcome.TICKET: 2,
        InboundOutcome.COMMENT: 0,
        InboundOutcome.HELD: 1,
        InboundOutcome.REFUSED: 1,
        InboundOutcome.IGNORED: 1,
    }
    assert [r.message_id for r in kept] == ["<3@x>", "<2@x>"]  # newest first
    assert kept[0].body == "نص محفوظ"
    assert [r.message_id for r in rest] == ["<2@x>"]
    assert last == T0 + timedelta(hours=1)


async def test_notification_mail_reaches_only_profiles_that_may_be_mailed(storage: Any) -> None:
    mailed = profile(Role.END_USER, email="sara@example.org")
    opted_out = replace(profile(Role.END_USER, email="omar@example.org"), email_notifications=False)
    no_address = profile(Role.END_USER, email="")
    inactive = replace(profile(Role.END_USER, email="old@example.org"), is_active=False)
    await seed(storage, mailed, opted_out, no_address, inactive)
    mails = [outbox(p.id) for p in (mailed, opted_out, no_address, inactive)]
    async with storage.unit_of_work() as uow:
        await uow.outbox.add_for_recipients(mails)
        await uow.outbox.add_for_recipients([])
        await uow.commit()
    async with storage.unit_of_work() as uow:
        stored = [await uow.outbox.get(m.id) for m in mails]
        counts = await uow.outbox.counts()
    assert stored[1:] == [None, None, None]
    assert stored[0] == replace(mails[0], to_address="sara@example.org", to_name=mailed.full_name)
    assert counts == {OutboxStatus.PENDING: 1, OutboxStatus.SENT: 0, OutboxStatus.FAILED: 0}


async def test_the_drain_claims_due_mail_once_and_records_what_happened(storage: Any) -> None:
    first = outbox(to_address="a@example.org", references=("<r1@x>", "<r2@x>"))
    second = outbox(to_address="b@example.org", at=T0 + timedelta(seconds=1))
    later = outbox(to_address="c@example.org", at=T0 + timedelta(hours=1))
    async with storage.unit_of_work() as uow:
        for mail in (later, second, first):
            await uow.outbox.add(mail)
        await uow.commit()
    now, lease = T0 + timedelta(minutes=1), T0 + timedelta(minutes=6)
    async with storage.unit_of_work() as uow:
        claimed = await uow.outbox.claim_due(now, lease_until=lease, limit=10)
        await uow.commit()
    assert claimed == [first, second]
    async with storage.unit_of_work() as uow:  # another worker, meanwhile
        assert await uow.outbox.claim_due(now, lease_until=lease, limit=10) == []
        await uow.outbox.mark_sent(first.id, now)
        await uow.outbox.mark_retry(
            second.id, attempts=1, next_attempt_at=now + timedelta(minutes=1), error="421 busy"
        )
        await uow.commit()
    async with storage.unit_of_work() as uow:
        sent = await uow.outbox.get(first.id)
        retried = await uow.outbox.claim_due(now + timedelta(minutes=1), lease_until=lease, limit=1)
        await uow.outbox.mark_failed(second.id, attempts=2, error="550 no such user")
        await uow.commit()
    assert sent is not None and sent.status is OutboxStatus.SENT and sent.sent_at == now
    assert sent.references == ("<r1@x>", "<r2@x>")
    assert [(m.id, m.attempts, m.last_error) for m in retried] == [(second.id, 1, "421 busy")]
    async with storage.unit_of_work() as uow:
        failed = await uow.outbox.get(second.id)
        counts = await uow.outbox.counts()
    assert failed is not None and failed.status is OutboxStatus.FAILED
    assert counts == {OutboxStatus.PENDING: 1, OutboxStatus.SENT: 1, OutboxStatus.FAILED: 1}


async def test_tickets_keep_their_channel_attachments_and_are_found_by_number(
    storage: Any,
) -> None:
    submitter = profile(Role.END_USER)
    mailed = replace(manual_ticket(submitter), channel=Channel.EMAIL)
    web = manual_ticket(submitter, at=T0 + timedelta(seconds=1))
    await seed(storage, submitter, mailed, web)
    files = [
        StoredAttachment(uuid.uuid4(), mailed.id, name, "application/pdf", 10, f"k/{i}", T0)
        for i, name in enumerate(["تقرير.pdf", "صورة.png"])
    ]
    async with storage.unit_of_work() as uow:
        await uow.attachments.add_all(files)
        await uow.attachments.add_all([])
        await uow.commit()
    async with storage.unit_of_work() as uow:
        by_number = await uow.tickets.get_by_number(mailed.number)
        assert await uow.tickets.get_by_number(10**9) is None
        stored_web = await uow.tickets.get(web.id)
        listed = await uow.attachments.for_ticket(mailed.id)
        assert await uow.attachments.for_ticket(web.id) == []
    assert by_number is not None and by_number.id == mailed.id
    assert by_number.channel is Channel.EMAIL
    assert stored_web is not None and stored_web.channel is Channel.WEB
    assert sorted(a.filename for a in listed) == sorted(a.filename for a in files)


async def test_profiles_keep_their_opt_out(storage: Any) -> None:
    person = profile(Role.END_USER, email="sara@example.org")
    await seed(storage, person)
    async with storage.unit_of_work() as uow:
        stored = await uow.profiles.get(person.id)
        assert stored is not None and stored.email_notifications is True
        await uow.profiles.update(replace(stored, email_notifications=False))
        await uow.commit()
    async with storage.unit_of_work() as uow:
        stored = await uow.profiles.get(person.id)
    assert stored is not None and stored.email_notifications is False
