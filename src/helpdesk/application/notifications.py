"""The caller's own notifications: list, count unread, mark read."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from helpdesk.application.pagination import Page, check_limit, decode_cursor, page_of
from helpdesk.application.ports.clock import Clock
from helpdesk.application.ports.storage.unit_of_work import UnitOfWorkFactory
from helpdesk.domain.errors import NotFound
from helpdesk.domain.people import Actor
from helpdesk.domain.permissions import EVERYONE, require_role
from helpdesk.domain.records import Notification


@dataclass(frozen=True, slots=True)
class ListNotifications:
    unread_only: bool = False
    limit: int | None = None
    cursor: str | None = None


class ListNotificationsUseCase:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, actor: Actor, query: ListNotifications) -> Page[Notification]:
        require_role(actor, EVERYONE)
        limit = check_limit(query.limit)
        filters = {"user": str(actor.id), "unread": query.unread_only}
        after = decode_cursor(query.cursor, filters)
        async with self._uow(read_only=True) as uow:
            rows = await uow.notifications.for_user(
                actor.id, unread_only=query.unread_only, after=after, limit=limit + 1
            )
        return page_of(rows, limit, filters)


class UnreadCountUseCase:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, actor: Actor) -> int:
        require_role(actor, EVERYONE)
        async with self._uow(read_only=True) as uow:
            return await uow.notifications.unread_count(actor.id)


class MarkReadUseCase:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, actor: Actor, notification_id: UUID) -> Notification:
        """Someone else's notification does not exist for the caller (404)."""
        require_role(actor, EVERYONE)
        async with self._uow() as uow:
            found = await uow.notifications.mark_read(actor.id, notification_id, self._clock.now())
            if found is None:
                raise NotFound("notification not found")
            await uow.commit()
        return found


class MarkAllReadUseCase:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, actor: Actor) -> int:
        require_role(actor, EVERYONE)
        async with self._uow() as uow:
            updated = await uow.notifications.mark_all_read(actor.id, self._clock.now())
            await uow.commit()
        return updated
