"""Admin actions (users, departments, quick actions), for admins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from helpdesk.application.pagination import Page, check_limit, decode_cursor, page_of
from helpdesk.application.ports.storage.tickets import AdminAuditFilter
from helpdesk.application.ports.storage.unit_of_work import UnitOfWorkFactory
from helpdesk.domain.errors import ValidationFailed
from helpdesk.domain.people import Actor
from helpdesk.domain.permissions import ADMINS, require_role
from helpdesk.domain.records import AuditEntry


def check_range(start: datetime | None, end: datetime | None, start_field: str = "from") -> None:
    """Half-open [from, to): an empty or inverted range is a mistake worth telling."""
    if start is not None and end is not None and start >= end:
        raise ValidationFailed.of("to", f"must be later than `{start_field}`")


@dataclass(frozen=True, slots=True)
class ListAdminActions:
    where: AdminAuditFilter
    limit: int | None = None
    cursor: str | None = None


class ListAdminActionsUseCase:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, actor: Actor, query: ListAdminActions) -> Page[AuditEntry]:
        require_role(actor, ADMINS)
        limit = check_limit(query.limit)
        check_range(query.where.created_from, query.where.created_to)
        after = decode_cursor(query.cursor, query.where)
        async with self._uow(read_only=True) as uow:
            rows = await uow.audit.admin_actions(query.where, after=after, limit=limit + 1)
        return page_of(rows, limit, query.where)
