"""PostgreSQL's row lock on a ticket read for a change is the narrow one (FOR NO KEY UPDATE):
while a use case holds a ticket, others still attach comments, audit entries and notifications
to it (their foreign keys take KEY SHARE locks, which FOR UPDATE would block)."""

from __future__ import annotations

import asyncio
import uuid

from helpdesk.adapters.storage.sql.unit_of_work import SqlStorage
from helpdesk.domain.records import AuditEntry, Comment, Notification

from .builders import T0, manual_ticket, profile, seed


async def test_a_held_ticket_still_takes_comments_and_records(postgres_url: str) -> None:
    storage = SqlStorage(postgres_url)
    submitter = profile()
    t = manual_ticket(submitter)
    await seed(storage, submitter, t)
    async with storage.unit_of_work() as holder:
        assert await holder.tickets.get(t.id) is not None  # the row lock is taken here

        async def attach() -> None:
            async with storage.unit_of_work() as uow:
                await uow.comments.add(Comment(uuid.uuid4(), t.id, submitter.id, "نص", False, T0))
                await uow.audit.add_all(
                    [AuditEntry(uuid.uuid4(), None, "ticket.commented", {}, T0, ticket_id=t.id)]
                )
                await uow.notifications.add_all(
                    [Notification(uuid.uuid4(), submitter.id, t.id, "k", "ع", "ن", T0)]
                )
                await uow.commit()

        await asyncio.wait_for(attach(), timeout=5)
    await storage.dispose()
