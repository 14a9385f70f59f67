"""`/api/v1/departments`."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, patch, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from helpdesk.application.departments import (
    CreateDepartment,
    CreateDepartmentUseCase,
    GetDepartmentUseCase,
    ListDepartmentsUseCase,
    UpdateDepartment,
    UpdateDepartmentUseCase,
)
from helpdesk.domain.people import Actor
from helpdesk.entrypoints.http.auth import admins_only
from helpdesk.entrypoints.http.params import Cursor, DepartmentId, Limit, path_uuid
from helpdesk.entrypoints.http.problems import ERRORS
from helpdesk.entrypoints.http.schemas.common import given
from helpdesk.entrypoints.http.schemas.departments import (
    DepartmentCreate,
    DepartmentList,
    DepartmentOut,
    DepartmentPatch,
    department_out,
)

AnyRequest = Request[Actor, Any, Any]


class DepartmentController(Controller):
    path = "/api/v1/departments"
    tags = ("departments",)

    @get(
        "/",
        summary="Departments, in order of creation",
        responses=ERRORS,
        operation_id="listDepartments",
    )
    async def list_departments(
        self,
        request: AnyRequest,
        list_departments: NamedDependency[ListDepartmentsUseCase],
        limit: Limit = None,
        cursor: Cursor = None,
    ) -> DepartmentList:
        page = await list_departments.execute(request.user, limit, cursor)
        return DepartmentList([department_out(d) for d in page.items], page.next_cursor)

    @get(
        "/{department_id:str}",
        summary="One department",
        responses=ERRORS,
        operation_id="getDepartment",
    )
    async def get_department(
        self,
        request: AnyRequest,
        department_id: DepartmentId,
        get_department: NamedDependency[GetDepartmentUseCase],
    ) -> DepartmentOut:
        found = await get_department.execute(request.user, path_uuid(department_id, "department"))
        return department_out(found)

    @post(
        "/",
        status_code=201,
        summary="Create a department (admin)",
        responses=ERRORS,
        guards=[admins_only],
        operation_id="createDepartment",
    )
    async def create(
        self,
        request: AnyRequest,
        data: JSONBody[DepartmentCreate],
        create_department: NamedDependency[CreateDepartmentUseCase],
    ) -> DepartmentOut:
        created = await create_department.execute(
            request.user,
            CreateDepartment(data.slug, data.name, data.description, tuple(data.categories)),
        )
        return department_out(created)

    @patch(
        "/{department_id:str}",
        summary="Change, deactivate or reactivate a department (admin)",
        responses=ERRORS,
        guards=[admins_only],
        operation_id="updateDepartment",
    )
    async def update(
        self,
        request: AnyRequest,
        department_id: DepartmentId,
        data: JSONBody[DepartmentPatch],
        update_department: NamedDependency[UpdateDepartmentUseCase],
    ) -> DepartmentOut:
        fields = given(data)
        if "categories" in fields:
            fields["categories"] = tuple(fields["categories"])
        updated = await update_department.execute(
            request.user, UpdateDepartment(path_uuid(department_id, "department"), **fields)
        )
        return department_out(updated)
