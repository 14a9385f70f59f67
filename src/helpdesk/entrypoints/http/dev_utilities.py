"""`/api/v1/stats/dev`: admin utilities for development, present only when
HELPDESK_DEV_UTILITIES is on and the environment is not production."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, delete, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from helpdesk.application.dev_utilities import (
    MAX_RESEED,
    DeleteNotificationsUseCase,
    DeleteTicketsUseCase,
    ReseedTicketsUseCase,
)
from helpdesk.application.quick_actions import ReseedQuickActionsUseCase
from helpdesk.domain.people import Actor
from helpdesk.domain.permissions import ADMINS, require_role
from helpdesk.entrypoints.http.auth import admins_only
from helpdesk.entrypoints.http.problems import ERRORS
from helpdesk.entrypoints.http.schemas.common import documented_range
from helpdesk.settings import Settings

AnyRequest = Request[Actor, Any, Any]


class ReseedRequest(msgspec.Struct, forbid_unknown_fields=True):
    count: Annotated[int, documented_range(0, MAX_RESEED)] = 50


class DevUtilitiesController(Controller):
    """Present only when HELPDESK_DEV_UTILITIES is on and the environment is not production."""

    path = "/api/v1/stats/dev"
    tags = ("dev utilities",)
    guards = (admins_only,)

    @get(
        "/config",
        summary="The effective settings, secrets masked (admin)",
        responses=ERRORS,
        operation_id="getEffectiveSettings",
    )
    async def config(
        self, request: AnyRequest, settings: NamedDependency[Settings]
    ) -> dict[str, Any]:
        require_role(request.user, ADMINS)
        return dict(settings.masked())

    @post(
        "/reseed-tickets",
        status_code=200,
        summary="Replace every ticket with demo tickets",
        responses=ERRORS,
        operation_id="reseedTickets",
    )
    async def reseed_tickets(
        self,
        request: AnyRequest,
        reseed_tickets: NamedDependency[ReseedTicketsUseCase],
        data: JSONBody[ReseedRequest | None] = None,
    ) -> dict[str, int]:
        count = (data or ReseedRequest()).count
        deleted, created = await reseed_tickets.execute(request.user, count)
        return {"deleted": deleted, "created": created}

    @delete(
        "/tickets",
        status_code=200,
        summary="Delete every ticket",
        responses=ERRORS,
        operation_id="deleteAllTickets",
    )
    async def delete_tickets(
        self, request: AnyRequest, delete_tickets: NamedDependency[DeleteTicketsUseCase]
    ) -> dict[str, int]:
        return {"deleted": await delete_tickets.execute(request.user)}

    @delete(
        "/notifications",
        status_code=200,
        summary="Delete every notification",
        responses=ERRORS,
        operation_id="deleteAllNotifications",
    )
    async def delete_notifications(
        self, request: AnyRequest, delete_notifications: NamedDependency[DeleteNotificationsUseCase]
    ) -> dict[str, int]:
        return {"deleted": await delete_notifications.execute(request.user)}

    @post(
        "/reseed-quick-actions",
        status_code=200,
        summary="Restore the default quick actions",
        responses=ERRORS,
        operation_id="reseedQuickActions",
    )
    async def reseed_quick_actions(
        self, request: AnyRequest, reseed_quick_actions: NamedDependency[ReseedQuickActionsUseCase]
    ) -> dict[str, int]:
        return {"count": await reseed_quick_actions.execute(request.user)}
