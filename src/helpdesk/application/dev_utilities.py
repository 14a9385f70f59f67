"""Admin utilities for development: wipe and reseed demo data through the real use cases."""

from __future__ import annotations

from helpdesk.application.context import Context
from helpdesk.application.tickets.create import CreateTicket, CreateTicketUseCase
from helpdesk.domain.defaults import SAMPLE_TICKETS
from helpdesk.domain.errors import ValidationFailed
from helpdesk.domain.people import Actor
from helpdesk.domain.permissions import ADMINS, require_role
from helpdesk.domain.taxonomy import Priority, Role

MAX_RESEED = 1000
_PRIORITIES = (Priority.MEDIUM, Priority.LOW, Priority.HIGH, Priority.MEDIUM, Priority.URGENT)


class DeleteTicketsUseCase:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    async def execute(self, actor: Actor) -> int:
        require_role(actor, ADMINS)
        async with self._ctx.uow() as uow:
            deleted = await uow.tickets.delete_all()
            await uow.commit()
        return deleted


class DeleteNotificationsUseCase:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    async def execute(self, actor: Actor) -> int:
        require_role(actor, ADMINS)
        async with self._ctx.uow() as uow:
            deleted = await uow.notifications.delete_all()
            await uow.commit()
        return deleted


class ReseedTicketsUseCase:
    """Delete every ticket, then file `count` demo tickets through the create use case, so
    routing, assignment, audit and notifications are real. They are filed by the first end
    user (the caller when there is none)."""

    def __init__(
        self, ctx: Context, delete: DeleteTicketsUseCase, create: CreateTicketUseCase
    ) -> None:
        self._ctx = ctx
        self._delete = delete
        self._create = create

    async def execute(self, actor: Actor, count: int) -> tuple[int, int]:
        require_role(actor, ADMINS)
        if not 0 <= count <= MAX_RESEED:
            raise ValidationFailed.of("count", f"must be between 0 and {MAX_RESEED}")
        deleted = await self._delete.execute(actor)
        async with self._ctx.uow() as uow:
            end_users = await uow.profiles.search(
                role=Role.END_USER, department_id=None, text=None, after=None, limit=1
            )
        submitter = Actor.of(end_users[0]) if end_users else actor
        for i in range(count):
            title, description = SAMPLE_TICKETS[i % len(SAMPLE_TICKETS)]
            await self._create.execute(
                submitter, CreateTicket(title, description, _PRIORITIES[i % len(_PRIORITIES)])
            )
        return deleted, count
