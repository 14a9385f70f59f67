"""`/api/v1/sla-policies` and `/api/v1/departments/{id}/calendar`."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import JSONBody

from helpdesk.application.sla_admin import (
    CreateSlaPolicyUseCase,
    DeleteSlaPolicyUseCase,
    GetCalendarUseCase,
    ListSlaPoliciesUseCase,
    NewSlaPolicy,
    SetCalendarUseCase,
    SlaPolicyPatch,
    UpdateSlaPolicyUseCase,
)
from helpdesk.domain.people import Actor
from helpdesk.entrypoints.http.auth import admins_only, staff_only
from helpdesk.entrypoints.http.params import DepartmentId, SlaPolicyId, path_uuid
from helpdesk.entrypoints.http.problems import ERRORS
from helpdesk.entrypoints.http.schemas.common import given
from helpdesk.entrypoints.http.schemas.sla import (
    CalendarIO,
    SlaPolicyCreate,
    SlaPolicyList,
    SlaPolicyOut,
    SlaPolicyPatchIn,
    calendar_out,
    sla_policy_out,
)

AnyRequest = Request[Actor, Any, Any]


class SlaPolicyController(Controller):
    path = "/api/v1/sla-policies"
    tags = ("service levels",)

    @get(
        "/",
        summary="SLA policies, oldest first",
        responses=ERRORS,
        guards=[staff_only],
        operation_id="listSlaPolicies",
    )
    async def list_policies(
        self, request: AnyRequest, list_sla_policies: NamedDependency[ListSlaPoliciesUseCase]
    ) -> SlaPolicyList:
        policies = await list_sla_policies.execute(request.user)
        return SlaPolicyList([sla_policy_out(p) for p in policies], None)

    @post(
        "/",
        status_code=201,
        summary="Create an SLA policy (admin)",
        operation_id="createSlaPolicy",
        responses=ERRORS,
        guards=[admins_only],
    )
    async def create(
        self,
        request: AnyRequest,
        data: JSONBody[SlaPolicyCreate],
        create_sla_policy: NamedDependency[CreateSlaPolicyUseCase],
    ) -> SlaPolicyOut:
        created = await create_sla_policy.execute(
            request.user,
            NewSlaPolicy(
                name=data.name,
                priority=data.priority,
                first_response_minutes=data.first_response_minutes,
                resolution_minutes=data.resolution_minutes,
                department_id=data.department_id,
                category=data.category,
                warning_percent=data.warning_percent,
                on_breach=data.on_breach.actions(),
                is_active=data.is_active,
            ),
        )
        return sla_policy_out(created)

    @patch(
        "/{policy_id:str}",
        summary="Change an SLA policy (admin)",
        operation_id="updateSlaPolicy",
        responses=ERRORS,
        guards=[admins_only],
    )
    async def update(
        self,
        request: AnyRequest,
        policy_id: SlaPolicyId,
        data: JSONBody[SlaPolicyPatchIn],
        update_sla_policy: NamedDependency[UpdateSlaPolicyUseCase],
    ) -> SlaPolicyOut:
        fields = given(data)
        if "on_breach" in fields:
            fields["on_breach"] = fields["on_breach"].actions()
        updated = await update_sla_policy.execute(
            request.user, path_uuid(policy_id, "SLA policy"), SlaPolicyPatch(**fields)
        )
        return sla_policy_out(updated)

    @delete(
        "/{policy_id:str}",
        status_code=204,
        summary="Delete an SLA policy (admin)",
        operation_id="deleteSlaPolicy",
        responses=ERRORS,
        guards=[admins_only],
    )
    async def remove(
        self,
        request: AnyRequest,
        policy_id: SlaPolicyId,
        delete_sla_policy: NamedDependency[DeleteSlaPolicyUseCase],
    ) -> None:
        await delete_sla_policy.execute(request.user, path_uuid(policy_id, "SLA policy"))


class CalendarController(Controller):
    path = "/api/v1/departments/{department_id:str}/calendar"
    tags = ("service levels",)

    @get(
        "/",
        summary="A department's business calendar",
        responses=ERRORS,
        operation_id="getDepartmentCalendar",
    )
    async def get_calendar(
        self,
        request: AnyRequest,
        department_id: DepartmentId,
        get_department_calendar: NamedDependency[GetCalendarUseCase],
    ) -> CalendarIO:
        found = await get_department_calendar.execute(
            request.user, path_uuid(department_id, "department")
        )
        return calendar_out(found)

    @put(
        "/",
        summary="Replace a department's business calendar (admin)",
        operation_id="replaceDepartmentCalendar",
        responses=ERRORS,
        guards=[admins_only],
    )
    async def put_calendar(
        self,
        request: AnyRequest,
        department_id: DepartmentId,
        data: JSONBody[CalendarIO],
        set_department_calendar: NamedDependency[SetCalendarUseCase],
    ) -> CalendarIO:
        saved = await set_department_calendar.execute(
            request.user, path_uuid(department_id, "department"), data.calendar()
        )
        return calendar_out(saved)
