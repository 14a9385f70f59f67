"""Admin utilities for development: wipe and reseed demo data through the real use cases."""

from __future__ import annotations

from helpdesk.application.demo import FileDemoTicketsUseCase
from helpdesk.application.ports.storage.unit_of_work import UnitOfWorkFactory
from helpdesk.domain.errors import ValidationFailed
from helpdesk.domain.people import Actor
from helpdesk.domain.permissions import ADMINS, require_role

MAX_RESEED = 1000


class DeleteTicketsUseCase:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, actor: Actor) -> int:
        require_role(actor, ADMINS)
        async with self._uow() as uow:
            deleted = await uow.tickets.delete_all()
            await uow.commit()
        return deleted


class DeleteNotificationsUseCase:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, actor: Actor) -> int:
        require_role(actor, ADMINS)
        async with self._uow() as uow:
            deleted = await uow.notifications.delete_all()
            await uow.commit()
        return deleted


class ReseedTicketsUseCase:
    """Delete every ticket, then file `count` demo tickets through the real create use case."""

    def __init__(self, delete: DeleteTicketsUseCase, file_demo: FileDemoTicketsUseCase) -> None:
        self._delete = delete
        self._file_demo = file_demo

    async def execute(self, actor: Actor, count: int) -> tuple[int, int]:
        require_role(actor, ADMINS)
        if not 0 <= count <= MAX_RESEED:
            raise ValidationFailed.of("count", f"must be between 0 and {MAX_RESEED}")
        deleted = await self._delete.execute(actor)
        created = await self._file_demo.execute(count, fallback=actor)
        return deleted, created
