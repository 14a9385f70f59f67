"""`/api/v1/notifications`: always the caller's own."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery

from helpdesk.application.notifications import ListNotifications
from helpdesk.domain.errors import NotFound
from helpdesk.domain.people import Actor
from helpdesk.entrypoints.http.responses import ERRORS, container_of
from helpdesk.entrypoints.http.schemas import (
    CountOut,
    NotificationList,
    NotificationOut,
    UpdatedOut,
    notification_out,
)

AnyRequest = Request[Actor, Any, Any]


class NotificationController(Controller):
    path = "/api/v1/notifications"
    tags = ("notifications",)

    @get("/", summary="The caller's notifications, newest first", responses=ERRORS)
    async def list_notifications(
        self,
        request: AnyRequest,
        unread: FromQuery[bool] = False,
        limit: FromQuery[int | None] = None,
        cursor: FromQuery[str | None] = None,
    ) -> NotificationList:
        page = (
            await container_of(request)
            .list_notifications()
            .execute(request.user, ListNotifications(unread, limit, cursor))
        )
        return NotificationList([notification_out(n) for n in page.items], page.next_cursor)

    @get("/unread-count", summary="How many are unread", responses=ERRORS)
    async def unread_count(self, request: AnyRequest) -> CountOut:
        return CountOut(await container_of(request).unread_count().execute(request.user))

    @post("/read-all", status_code=200, summary="Mark every notification read", responses=ERRORS)
    async def read_all(self, request: AnyRequest) -> UpdatedOut:
        return UpdatedOut(await container_of(request).mark_all_read().execute(request.user))

    @post("/{notification_id:str}/read", status_code=200, summary="Mark one read", responses=ERRORS)
    async def read(self, request: AnyRequest, notification_id: FromPath[str]) -> NotificationOut:
        try:
            wanted = UUID(notification_id)
        except ValueError:
            raise NotFound("notification not found") from None
        found = await container_of(request).mark_read().execute(request.user, wanted)
        return notification_out(found)
