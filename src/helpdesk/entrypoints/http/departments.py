"""`/api/v1/departments`."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody

from helpdesk.application.departments import CreateDepartment, UpdateDepartment
from helpdesk.domain.errors import NotFound
from helpdesk.domain.people import Actor
from helpdesk.entrypoints.http.auth import admins_only
from helpdesk.entrypoints.http.responses import ERRORS, container_of
from helpdesk.entrypoints.http.schemas import (
    DepartmentCreate,
    DepartmentList,
    DepartmentOut,
    DepartmentPatch,
    department_out,
    unset_to_none,
)

AnyRequest = Request[Actor, Any, Any]


def department_id(raw: str) -> UUID:
    try:
        return UUID(raw)
    except ValueError:
        raise NotFound("department not found") from None


class DepartmentController(Controller):
    path = "/api/v1/departments"
    tags = ("departments",)

    @get("/", summary="Departments, in order of creation", responses=ERRORS)
    async def list_departments(
        self,
        request: AnyRequest,
        limit: FromQuery[int | None] = None,
        cursor: FromQuery[str | None] = None,
    ) -> DepartmentList:
        page = await container_of(request).list_departments().execute(request.user, limit, cursor)
        return DepartmentList([department_out(d) for d in page.items], page.next_cursor)

    @get("/{department:str}", summary="One department", responses=ERRORS)
    async def get_department(self, request: AnyRequest, department: FromPath[str]) -> DepartmentOut:
        found = (
            await container_of(request)
            .get_department()
            .execute(request.user, department_id(department))
        )
        return department_out(found)

    @post(
        "/",
        status_code=201,
        summary="Create a department (admin)",
        responses=ERRORS,
        guards=[admins_only],
    )
    async def create(self, request: AnyRequest, data: JSONBody[DepartmentCreate]) -> DepartmentOut:
        created = (
            await container_of(request)
            .create_department()
            .execute(
                request.user,
                CreateDepartment(data.slug, data.name, data.description, tuple(data.categories)),
            )
        )
        return department_out(created)

    @patch(
        "/{department:str}",
        summary="Change, deactivate or reactivate a department (admin)",
        responses=ERRORS,
        guards=[admins_only],
    )
    async def update(
        self, request: AnyRequest, department: FromPath[str], data: JSONBody[DepartmentPatch]
    ) -> DepartmentOut:
        categories = unset_to_none(data.categories)
        updated = (
            await container_of(request)
            .update_department()
            .execute(
                request.user,
                UpdateDepartment(
                    department_id(department),
                    name=unset_to_none(data.name),
                    description=unset_to_none(data.description),
                    categories=tuple(categories) if categories is not None else None,
                    is_active=unset_to_none(data.is_active),
                ),
            )
        )
        return department_out(updated)
