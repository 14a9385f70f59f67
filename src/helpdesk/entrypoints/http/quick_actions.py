"""`/api/v1/quick-actions`."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from helpdesk.application.quick_actions import (
    CreateQuickActionUseCase,
    DeleteQuickActionUseCase,
    ListQuickActionsUseCase,
    NewQuickAction,
    QuickActionPatch,
    UpdateQuickActionUseCase,
)
from helpdesk.domain.people import Actor
from helpdesk.entrypoints.http.auth import admins_only
from helpdesk.entrypoints.http.params import QuickActionId, path_uuid
from helpdesk.entrypoints.http.problems import ERRORS
from helpdesk.entrypoints.http.schemas.common import given
from helpdesk.entrypoints.http.schemas.quick_actions import (
    QuickActionCreate,
    QuickActionList,
    QuickActionOut,
    QuickActionPatchIn,
    quick_action_out,
)

AnyRequest = Request[Actor, Any, Any]


class QuickActionController(Controller):
    path = "/api/v1/quick-actions"
    tags = ("quick actions",)

    @get(
        "/", summary="Quick actions, by position", responses=ERRORS, operation_id="listQuickActions"
    )
    async def list_actions(
        self, request: AnyRequest, list_quick_actions: NamedDependency[ListQuickActionsUseCase]
    ) -> QuickActionList:
        actions = await list_quick_actions.execute(request.user)
        return QuickActionList([quick_action_out(a) for a in actions], None)

    @post(
        "/",
        status_code=201,
        summary="Create a quick action (admin)",
        responses=ERRORS,
        guards=[admins_only],
        operation_id="createQuickAction",
    )
    async def create(
        self,
        request: AnyRequest,
        data: JSONBody[QuickActionCreate],
        create_quick_action: NamedDependency[CreateQuickActionUseCase],
    ) -> QuickActionOut:
        created = await create_quick_action.execute(
            request.user,
            NewQuickAction(
                label=data.label,
                title=data.title,
                description=data.description,
                category=data.category,
                priority=data.priority,
                icon=data.icon,
                position=data.position,
            ),
        )
        return quick_action_out(created)

    @patch(
        "/{quick_action_id:str}",
        summary="Change a quick action (admin)",
        responses=ERRORS,
        guards=[admins_only],
        operation_id="updateQuickAction",
    )
    async def update(
        self,
        request: AnyRequest,
        quick_action_id: QuickActionId,
        data: JSONBody[QuickActionPatchIn],
        update_quick_action: NamedDependency[UpdateQuickActionUseCase],
    ) -> QuickActionOut:
        updated = await update_quick_action.execute(
            request.user,
            path_uuid(quick_action_id, "quick action"),
            QuickActionPatch(**given(data)),
        )
        return quick_action_out(updated)

    @delete(
        "/{quick_action_id:str}",
        status_code=204,
        summary="Delete a quick action (admin)",
        responses=ERRORS,
        guards=[admins_only],
        operation_id="deleteQuickAction",
    )
    async def remove(
        self,
        request: AnyRequest,
        quick_action_id: QuickActionId,
        delete_quick_action: NamedDependency[DeleteQuickActionUseCase],
    ) -> None:
        await delete_quick_action.execute(request.user, path_uuid(quick_action_id, "quick action"))
