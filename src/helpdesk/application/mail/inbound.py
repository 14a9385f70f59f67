"""Inbound mail: one message → one unit of work (a ticket, a comment, or a kept record), and a
pass over the mailbox that moves each handled message out of it after that commit.

Idempotency rests on the Message-ID: the record of a message is written in the same transaction
as what it became, and is unique. A crash before that commit leaves the message unseen in the
mailbox and nothing in the database, so the next pass takes it as new; a crash after it (before
the move) leaves it in the mailbox, and the next pass finds the record, takes nothing and only
moves it. Attachment files are written before the transaction under keys derived from the
Message-ID, so a retried message rewrites the same files instead of adding new ones.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal
from uuid import UUID

from helpdesk.application.ports.clock import Clock, IdSource
from helpdesk.application.ports.mail import AttachmentStore, Mailbox, MessageReader
from helpdesk.application.ports.storage.mail import DuplicateMessage
from helpdesk.application.ports.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from helpdesk.application.tickets.comments import AddComment, AddCommentUseCase
from helpdesk.application.tickets.create import CreateTicket, CreateTicketUseCase
from helpdesk.domain.comments import MAX_BODY
from helpdesk.domain.errors import DependencyUnavailable, DomainError, ValidationFailed
from helpdesk.domain.mail.attachments import REFUSAL_REASONS, Limits, Screened, screen
from helpdesk.domain.mail.message import Automatic, InboundMessage, local_part
from helpdesk.domain.mail.outgoing import outbox_reply, refusal_mail
from helpdesk.domain.mail.records import InboundOutcome, InboundRecord, StoredAttachment
from helpdesk.domain.mail.subjects import ticket_number_from_subject, title_from_subject
from helpdesk.domain.mail.threads import ticket_number_of
from helpdesk.domain.people import Actor, Profile
from helpdesk.domain.records import Comment
from helpdesk.domain.taxonomy import Channel, Role
from helpdesk.domain.text_preparation import newest_message, prepared_description
from helpdesk.domain.ticket import Ticket
from helpdesk.domain.users import normalize_email

log = logging.getLogger(__name__)

MAX_TITLE = 200
MAX_DESCRIPTION = 5000
KEPT_BODY = 20_000  # what a held message keeps of its text for an admin
# How the fields of a refused message are named in the Arabic reply.
FIELD_NAMES = {"title": "موضوع الرسالة", "description": "نص الرسالة", "body": "نص الرسالة"}
UNKNOWN_SENDER = "عنوان بريدك غير مسجّل لدى الدعم الفني؛ يُرجى التواصل مع مسؤول النظام لتسجيلك."
TOO_LARGE = (
    "حجم الرسالة يتجاوز الحد الذي نستطيع استلامه؛ يُرجى إرسالها مرة أخرى دون المرفقات الكبيرة "
    "أو مشاركتها برابط."
)


@dataclass(frozen=True, slots=True)
class InboundPolicy:
    """`domain`: our mail domain (of HELPDESK_MAIL_FROM), whose Message-IDs name tickets; None
    when no sender is configured (then only `[#N]` subjects thread). `own_addresses`: never
    answered."""

    domain: str | None = None
    own_addresses: tuple[str, ...] = ()
    unknown_senders: Literal["create", "refuse"] = "create"
    limits: Limits = field(default_factory=Limits)


def _digest(message_id: str) -> str:
    return hashlib.sha256(message_id.encode("utf-8", "surrogatepass")).hexdigest()[:40]


def _reasons(error: ValidationFailed) -> list[str]:
    return [f"{FIELD_NAMES.get(e.field, e.field)}: {e.message}" for e in error.errors]


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class TakeMessageUseCase:
    """One message. Returns what it became, or None when it was taken before."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        create_ticket: CreateTicketUseCase,
        add_comment: AddCommentUseCase,
        attachments: AttachmentStore,
        clock: Clock,
        ids: IdSource,
        *,
        policy: InboundPolicy,
    ) -> None:
        self._uow = uow
        self._create = create_ticket
        self._comment = add_comment
        self._files = attachments
        self._clock = clock
        self._ids = ids
        self._policy = policy

    async def execute(self, message: InboundMessage) -> InboundOutcome | None:
        try:
            return await self._take(message)
        except DuplicateMessage:
            return None  # another worker took it between our look and our commit

    @staticmethod
    def _unfit(message: InboundMessage) -> tuple[InboundOutcome, list[str], bool] | None:
        """What becomes of a message nobody needs to look up: automatic mail is ignored (never
        answered); one too large to download is held and answered."""
        if message.automatic is not Automatic.NONE:
            return InboundOutcome.IGNORED, [str(message.automatic)], False
        if message.is_truncated:  # only its header was downloaded: nothing to file
            return InboundOutcome.HELD, [TOO_LARGE], True
        return None

    async def _take(self, message: InboundMessage) -> InboundOutcome | None:
        unfit = self._unfit(message)
        if unfit is not None:
            outcome, reasons, answer = unfit
            return await self._keep(message, outcome, reasons, answer=answer)
        try:
            address = normalize_email(message.sender_address)
        except ValidationFailed:
            return await self._keep(message, InboundOutcome.HELD, ["no usable sender address"])
        number = (
            ticket_number_of(message, self._policy.domain)
            if self._policy.domain
            else ticket_number_from_subject(message.subject)
        )
        async with self._uow(read_only=True) as uow:
            if await uow.inbound.get(message.message_id) is not None:
                return None
            ticket = await uow.tickets.get_by_number(number) if number is not None else None
            sender = await uow.profiles.get_by_email(address)
        if sender is not None and not sender.is_active:
            return await self._keep(message, InboundOutcome.HELD, ["the sender is deactivated"])
        if ticket is not None:
            return await self._reply(message, ticket, sender)
        return await self._new_ticket(message, address, sender)

    # --- a reply to a ticket ------------------------------------------------------------------

    async def _reply(
        self, message: InboundMessage, ticket: Ticket, sender: Profile | None
    ) -> InboundOutcome:
        if sender is None:
            return await self._keep(
                message, InboundOutcome.HELD, [f"an unknown sender answered #{ticket.number}"]
            )
        body = _cut(newest_message(message.text) or message.text.strip(), MAX_BODY)
        screened = screen(message.attachments, self._policy.limits)
        kept = await self._store_files(message, screened)

        async def within(uow: UnitOfWork, comment: Comment) -> None:
            await self._record(
                uow,
                message,
                InboundOutcome.COMMENT,
                comment_id=comment.id,
                ticket_id=ticket.id,
                screened=screened,
            )
            await uow.attachments.add_all(self._attachments(kept, ticket.id, comment.id))

        try:
            await self._comment.execute(
                Actor.of(sender), AddComment(ticket.id, body), within=within
            )
        except ValidationFailed as error:
            return await self._keep(message, InboundOutcome.HELD, _reasons(error), answer=True)
        except DomainError as error:  # not visible to them, a closed ticket, …
            if isinstance(error, DependencyUnavailable):
                raise
            reason = f"may not comment on #{ticket.number}: {error.detail}"
            return await self._keep(message, InboundOutcome.HELD, [reason])
        return InboundOutcome.COMMENT

    # --- a new ticket -------------------------------------------------------------------------

    async def _new_ticket(
        self, message: InboundMessage, address: str, sender: Profile | None
    ) -> InboundOutcome:
        if sender is None and self._policy.unknown_senders == "refuse":
            return await self._keep(message, InboundOutcome.REFUSED, [UNKNOWN_SENDER], answer=True)
        actor = (
            Actor.of(sender)
            if sender is not None
            else Actor(
                id=self._ids.new_id(),
                role=Role.END_USER,
                email=address,
                full_name=(message.sender_name.strip() or local_part(address))[:200],
                has_profile=False,
            )
        )
        description = _cut(prepared_description(message.text), MAX_DESCRIPTION)
        title = title_from_subject(message.subject)
        if not title:  # no subject: the first line of the text stands in
            title = description.split("\n", 1)[0]
        title = _cut(title, MAX_TITLE)
        screened = screen(message.attachments, self._policy.limits)
        kept = await self._store_files(message, screened)

        async def within(uow: UnitOfWork, ticket: Ticket) -> None:
            await self._record(
                uow, message, InboundOutcome.TICKET, ticket_id=ticket.id, screened=screened
            )
            await uow.attachments.add_all(self._attachments(kept, ticket.id, None))

        try:
            await self._create.execute(
                actor,
                CreateTicket(
                    title,
                    description,
                    channel=Channel.EMAIL,
                    in_reply_to=message.message_id,
                ),
                within=within,
            )
        except ValidationFailed as error:
            return await self._keep(message, InboundOutcome.HELD, _reasons(error), answer=True)
        return InboundOutcome.TICKET

    # --- attachments --------------------------------------------------------------------------

    async def _store_files(
        self, message: InboundMessage, screened: Sequence[Screened]
    ) -> list[tuple[str, Screened]]:
        """Write the accepted files (inline images of a signature are not offered as files);
        their keys derive from the Message-ID, so a retry rewrites the same files."""
        digest = _digest(message.message_id)
        kept = []
        for index, verdict in enumerate(screened):
            if not verdict.accepted or verdict.attachment.inline:
                continue
            key = f"{digest[:2]}/{digest}/{index}"
            await self._files.put(key, verdict.attachment.content)
            kept.append((key, verdict))
        return kept

    def _attachments(
        self, kept: list[tuple[str, Screened]], ticket_id: UUID, comment_id: UUID | None
    ) -> list[StoredAttachment]:
        now = self._clock.now()
        return [
            StoredAttachment(
                id=self._ids.new_id(),
                ticket_id=ticket_id,
                comment_id=comment_id,
                filename=(v.attachment.filename or f"attachment-{index + 1}")[:255],
                content_type=v.attachment.content_type[:255],
                size=v.attachment.size,
                key=key,
                created_at=now,
            )
            for index, (key, v) in enumerate(kept)
        ]

    # --- records ------------------------------------------------------------------------------

    async def _record(
        self,
        uow: UnitOfWork,
        message: InboundMessage,
        outcome: InboundOutcome,
        *,
        ticket_id: UUID | None = None,
        comment_id: UUID | None = None,
        screened: Sequence[Screened] = (),
        reasons: Sequence[str] = (),
    ) -> None:
        refused = [
            f"{v.attachment.filename or 'attachment'}: {REFUSAL_REASONS[v.refusal]}"
            for v in screened
            if v.refusal is not None
        ]
        kept_text = outcome in (InboundOutcome.HELD, InboundOutcome.REFUSED)
        await uow.inbound.record(
            InboundRecord(
                id=self._ids.new_id(),
                message_id=message.message_id,
                outcome=outcome,
                sender_address=message.sender_address[:320],
                subject=message.subject,
                created_at=self._clock.now(),
                ticket_id=ticket_id,
                comment_id=comment_id,
                reason="\n".join([*reasons, *refused]),
                body=message.text[:KEPT_BODY] if kept_text else "",
            )
        )

    async def _keep(
        self,
        message: InboundMessage,
        outcome: InboundOutcome,
        reasons: list[str],
        *,
        answer: bool = False,
    ) -> InboundOutcome:
        """Record a message that becomes no ticket or comment; with `answer`, queue the Arabic
        reply saying why (never to automatic mail, ourselves or no-reply addresses)."""
        async with self._uow() as uow:
            await self._record(uow, message, outcome, reasons=reasons)
            reply = (
                refusal_mail(
                    message, reasons, message_id="", own_addresses=self._policy.own_addresses
                )
                if answer
                else None
            )
            if reply is not None:
                now = self._clock.now()
                await uow.outbox.add(outbox_reply(reply, id=self._ids.new_id(), now=now))
            await uow.commit()
        return outcome


@dataclass
class FetchReport:
    """What one pass did (the `helpdesk mail fetch` output)."""

    taken: int = 0
    counts: dict[InboundOutcome, int] = field(
        default_factory=lambda: dict.fromkeys(InboundOutcome, 0)
    )

    def add(self, outcome: InboundOutcome) -> None:
        self.taken += 1
        self.counts[outcome] += 1

    def as_dict(self) -> dict[str, int]:
        c = self.counts
        return {
            "taken": self.taken,
            "tickets": c[InboundOutcome.TICKET],
            "comments": c[InboundOutcome.COMMENT],
            "held": c[InboundOutcome.HELD],
            "refused": c[InboundOutcome.REFUSED],
            "ignored": c[InboundOutcome.IGNORED],
        }


class FetchMailUseCase:
    """One pass over the mailbox: each unseen message is taken (its own unit of work), then
    moved to the done folder. A message whose handling fails unexpectedly stays where it is,
    logged, and the pass goes on; a lost database or mail server ends the pass."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        mailbox: Mailbox,
        reader: MessageReader,
        take: TakeMessageUseCase,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._mailbox = mailbox
        self._reader = reader
        self._take = take
        self._clock = clock

    async def execute(self) -> FetchReport:
        report = FetchReport()
        try:
            for uid in await self._mailbox.unseen():
                raw = await self._mailbox.fetch(uid)
                if raw is None:
                    continue  # another worker moved it
                message = await self._reader.read(raw)
                try:
                    outcome = await self._take.execute(message)
                except DependencyUnavailable:
                    raise
                except Exception:
                    log.exception("mail %s (%s) was not taken", uid, message.message_id)
                    continue
                if outcome is not None:
                    report.add(outcome)
                await self._mailbox.move_to_done(uid)
        finally:
            await self._mailbox.close()
        async with self._uow() as uow:
            await uow.inbound.record_poll(self._clock.now())
            await uow.commit()
        return report
