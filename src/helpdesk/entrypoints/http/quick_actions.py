"""`/api/v1/quick-actions`."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.params import FromPath, JSONBody

from helpdesk.application.quick_actions import QuickActionFields
from helpdesk.domain.errors import NotFound
from helpdesk.domain.people import Actor
from helpdesk.entrypoints.http.auth import admins_only
from helpdesk.entrypoints.http.responses import ERRORS, container_of
from helpdesk.entrypoints.http.schemas import (
    QuickActionCreate,
    QuickActionList,
    QuickActionOut,
    QuickActionPatch,
    quick_action_out,
    unset_to_none,
)

AnyRequest = Request[Actor, Any, Any]


def action_id(raw: str) -> UUID:
    try:
        return UUID(raw)
    except ValueError:
        raise NotFound("quick action not found") from None


class QuickActionController(Controller):
    path = "/api/v1/quick-actions"
    tags = ("quick actions",)

    @get("/", summary="Quick actions, by position", responses=ERRORS)
    async def list_actions(self, request: AnyRequest) -> QuickActionList:
        actions = await container_of(request).list_quick_actions().execute(request.user)
        return QuickActionList([quick_action_out(a) for a in actions], None)

    @post(
        "/",
        status_code=201,
        summary="Create a quick action (admin)",
        responses=ERRORS,
        guards=[admins_only],
    )
    async def create(
        self, request: AnyRequest, data: JSONBody[QuickActionCreate]
    ) -> QuickActionOut:
        created = (
            await container_of(request)
            .create_quick_action()
            .execute(
                request.user,
                QuickActionFields(
                    label=data.label,
                    title=data.title,
                    description=data.description,
                    category=data.category,
                    priority=data.priority,
                    icon=data.icon,
                    position=data.position,
                ),
            )
        )
        return quick_action_out(created)

    @patch(
        "/{quick_action:str}",
        summary="Change a quick action (admin)",
        responses=ERRORS,
        guards=[admins_only],
    )
    async def update(
        self, request: AnyRequest, quick_action: FromPath[str], data: JSONBody[QuickActionPatch]
    ) -> QuickActionOut:
        updated = (
            await container_of(request)
            .update_quick_action()
            .execute(
                request.user,
                action_id(quick_action),
                QuickActionFields(
                    label=unset_to_none(data.label),
                    title=unset_to_none(data.title),
                    description=unset_to_none(data.description),
                    category=unset_to_none(data.category),
                    clear_category=data.category is None,
                    priority=unset_to_none(data.priority),
                    icon=unset_to_none(data.icon),
                    clear_icon=data.icon is None,
                    position=unset_to_none(data.position),
                ),
            )
        )
        return quick_action_out(updated)

    @delete(
        "/{quick_action:str}",
        status_code=204,
        summary="Delete a quick action (admin)",
        responses=ERRORS,
        guards=[admins_only],
    )
    async def remove(self, request: AnyRequest, quick_action: FromPath[str]) -> Response[None]:
        await (
            container_of(request)
            .delete_quick_action()
            .execute(request.user, action_id(quick_action))
        )
        return Response(None, status_code=204)
