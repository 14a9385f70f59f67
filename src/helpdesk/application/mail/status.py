"""GET /api/v1/mail/status: the last poll, what inbound mail became, the outbox's depth; and
the attachments kept with a ticket."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from helpdesk.application.pagination import Page, check_limit, decode_cursor, page_of
from helpdesk.application.ports.mail import AttachmentStore
from helpdesk.application.ports.storage.unit_of_work import UnitOfWorkFactory
from helpdesk.domain.errors import NotFound
from helpdesk.domain.mail.records import (
    InboundOutcome,
    InboundRecord,
    MailCounts,
    OutboxStatus,
    StoredAttachment,
)
from helpdesk.domain.people import Actor
from helpdesk.domain.permissions import ADMINS, EVERYONE, ensure_visible, require_role


class MailStatusUseCase:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, actor: Actor) -> MailCounts:
        require_role(actor, ADMINS)
        async with self._uow(read_only=True) as uow:
            inbound = await uow.inbound.counts()
            outbox = await uow.outbox.counts()
            last_poll = await uow.inbound.last_poll()
        return MailCounts(
            last_poll_at=last_poll,
            taken=sum(inbound.values()),
            tickets=inbound[InboundOutcome.TICKET],
            comments=inbound[InboundOutcome.COMMENT],
            held=inbound[InboundOutcome.HELD],
            refused=inbound[InboundOutcome.REFUSED],
            ignored=inbound[InboundOutcome.IGNORED],
            outbox_pending=outbox[OutboxStatus.PENDING],
            outbox_failed=outbox[OutboxStatus.FAILED],
        )


class ListAttachmentsUseCase:
    """The files kept with a ticket (from the messages it came from and the replies to it),
    for whoever may see the ticket."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, actor: Actor, ticket_id: UUID) -> list[StoredAttachment]:
        require_role(actor, EVERYONE)
        async with self._uow(read_only=True) as uow:
            ensure_visible(actor, await uow.tickets.get(ticket_id))
            return await uow.attachments.for_ticket(ticket_id)


@dataclass(frozen=True, slots=True)
class ListHeld:
    limit: int | None = None
    cursor: str | None = None


class ListHeldMailUseCase:
    """The messages that became no ticket and wait for an admin (held and refused), newest
    first, with their reason and text."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, actor: Actor, query: ListHeld) -> Page[InboundRecord]:
        require_role(actor, ADMINS)
        limit = check_limit(query.limit)
        filters = {"list": "held mail"}
        after = decode_cursor(query.cursor, filters)
        async with self._uow(read_only=True) as uow:
            rows = await uow.inbound.kept(after=after, limit=limit + 1)
        return page_of(rows, limit, filters)


class GetAttachmentUseCase:
    """One kept file with its bytes, for whoever may see its ticket."""

    def __init__(self, uow: UnitOfWorkFactory, store: AttachmentStore) -> None:
        self._uow = uow
        self._store = store

    async def execute(
        self, actor: Actor, ticket_id: UUID, attachment_id: UUID
    ) -> tuple[StoredAttachment, bytes]:
        require_role(actor, EVERYONE)
        async with self._uow(read_only=True) as uow:
            ensure_visible(actor, await uow.tickets.get(ticket_id))
            found = [
                a for a in await uow.attachments.for_ticket(ticket_id) if a.id == attachment_id
            ]
        if not found:
            raise NotFound("attachment not found")
        content = await self._store.get(found[0].key)
        if content is None:
            raise NotFound("the attachment's file is gone")
        return found[0], content
