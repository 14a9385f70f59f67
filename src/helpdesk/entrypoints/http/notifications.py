"""`/api/v1/notifications`: always the caller's own."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery

from helpdesk.application.notifications import (
    ListNotifications,
    ListNotificationsUseCase,
    MarkAllReadUseCase,
    MarkReadUseCase,
    UnreadCountUseCase,
)
from helpdesk.domain.people import Actor
from helpdesk.entrypoints.http.params import Cursor, Limit, NotificationId, path_uuid
from helpdesk.entrypoints.http.problems import ERRORS
from helpdesk.entrypoints.http.schemas.notifications import (
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

    @get(
        "/",
        summary="The caller's notifications, newest first",
        responses=ERRORS,
        operation_id="listNotifications",
    )
    async def list_notifications(
        self,
        request: AnyRequest,
        list_notifications: NamedDependency[ListNotificationsUseCase],
        unread: FromQuery[bool] = False,
        limit: Limit = None,
        cursor: Cursor = None,
    ) -> NotificationList:
        page = await list_notifications.execute(
            request.user, ListNotifications(unread, limit, cursor)
        )
        return NotificationList([notification_out(n) for n in page.items], page.next_cursor)

    @get(
        "/unread-count",
        summary="How many are unread",
        responses=ERRORS,
        operation_id="countUnreadNotifications",
    )
    async def unread_count(
        self, request: AnyRequest, unread_count: NamedDependency[UnreadCountUseCase]
    ) -> CountOut:
        return CountOut(await unread_count.execute(request.user))

    @post(
        "/read-all",
        status_code=200,
        summary="Mark every notification read",
        responses=ERRORS,
        operation_id="markAllNotificationsRead",
    )
    async def read_all(
        self, request: AnyRequest, mark_all_read: NamedDependency[MarkAllReadUseCase]
    ) -> UpdatedOut:
        return UpdatedOut(await mark_all_read.execute(request.user))

    @post(
        "/{notification_id:str}/read",
        status_code=200,
        summary="Mark one read",
        responses=ERRORS,
        operation_id="markNotificationRead",
    )
    async def read(
        self,
        request: AnyRequest,
        notification_id: NotificationId,
        mark_read: NamedDependency[MarkReadUseCase],
    ) -> NotificationOut:
        found = await mark_read.execute(request.user, path_uuid(notification_id, "notification"))
        return notification_out(found)
