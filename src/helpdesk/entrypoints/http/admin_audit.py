"""`/api/v1/audit`: admin actions on users, departments and quick actions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter

from helpdesk.application.admin_audit import ListAdminActions, ListAdminActionsUseCase
from helpdesk.application.ports.storage.tickets import AdminAuditFilter
from helpdesk.domain.people import Actor
from helpdesk.entrypoints.http.auth import admins_only
from helpdesk.entrypoints.http.params import Cursor, Limit, as_utc
from helpdesk.entrypoints.http.problems import ERRORS
from helpdesk.entrypoints.http.schemas.admin_audit import AdminAuditList, admin_audit_out


@get(
    "/api/v1/audit",
    tags=["audit"],
    responses=ERRORS,
    summary="Admin actions, oldest first",
    guards=[admins_only],
    operation_id="listAdminActions",
)
async def admin_audit(
    request: Request[Actor, Any, Any],
    list_admin_actions: NamedDependency[ListAdminActionsUseCase],
    entity_type: FromQuery[str | None] = None,
    entity_id: FromQuery[UUID | None] = None,
    actor_id: FromQuery[UUID | None] = None,
    start: Annotated[datetime | None, QueryParameter(name="from")] = None,
    end: Annotated[datetime | None, QueryParameter(name="to")] = None,
    limit: Limit = None,
    cursor: Cursor = None,
) -> AdminAuditList:
    page = await list_admin_actions.execute(
        request.user,
        ListAdminActions(
            AdminAuditFilter(
                entity_type, entity_id, actor_id, as_utc(start, "from"), as_utc(end, "to")
            ),
            limit,
            cursor,
        ),
    )
    return AdminAuditList([admin_audit_out(e) for e in page.items], page.next_cursor)
