"""`/api/v1/users`, and the local login `POST /api/v1/auth/token`."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody

from helpdesk.application.users.create import CreateUser
from helpdesk.application.users.manage import ListUsers, UpdateUser
from helpdesk.domain.errors import NotFound
from helpdesk.domain.people import Actor
from helpdesk.domain.taxonomy import Role
from helpdesk.entrypoints.http.auth import admins_only
from helpdesk.entrypoints.http.responses import ERRORS, container_of
from helpdesk.entrypoints.http.schemas import (
    LoginRequest,
    ProfileList,
    ProfileOut,
    TokenOut,
    UserCreate,
    UserPatch,
    profile_out,
    unset_to_none,
)

AnyRequest = Request[Actor, Any, Any]


def user_id(raw: str) -> UUID:
    try:
        return UUID(raw)
    except ValueError:
        raise NotFound("user not found") from None


class UserController(Controller):
    path = "/api/v1/users"
    tags = ("users",)

    @get("/me", summary="The caller's own profile", responses=ERRORS)
    async def me(self, request: AnyRequest) -> ProfileOut:
        profile = await container_of(request).current_profile().execute(request.user)
        return profile_out(profile)

    @get("/", summary="Users, newest first (admin)", responses=ERRORS, guards=[admins_only])
    async def list_users(
        self,
        request: AnyRequest,
        role: FromQuery[Role | None] = None,
        department_id: FromQuery[UUID | None] = None,
        q: FromQuery[str | None] = None,
        limit: FromQuery[int | None] = None,
        cursor: FromQuery[str | None] = None,
    ) -> ProfileList:
        page = (
            await container_of(request)
            .list_users()
            .execute(request.user, ListUsers(role, department_id, q, limit, cursor))
        )
        return ProfileList([profile_out(p) for p in page.items], page.next_cursor)

    @post(
        "/",
        status_code=201,
        summary="Create a user and their login (admin)",
        responses=ERRORS,
        guards=[admins_only],
    )
    async def create(self, request: AnyRequest, data: JSONBody[UserCreate]) -> ProfileOut:
        profile = (
            await container_of(request)
            .create_user()
            .execute(
                request.user,
                CreateUser(
                    email=data.email,
                    full_name=data.full_name,
                    role=data.role,
                    department_id=data.department_id,
                    password=data.password,
                    max_open_tickets=data.max_open_tickets,
                ),
            )
        )
        return profile_out(profile)

    @patch(
        "/{user:str}",
        summary="Change a user; releasing changes re-assign their tickets",
        responses=ERRORS,
        guards=[admins_only],
    )
    async def update(
        self, request: AnyRequest, user: FromPath[str], data: JSONBody[UserPatch]
    ) -> ProfileOut:
        profile = (
            await container_of(request)
            .update_user()
            .execute(
                request.user,
                UpdateUser(
                    user_id(user),
                    full_name=unset_to_none(data.full_name),
                    role=unset_to_none(data.role),
                    department_id=unset_to_none(data.department_id),
                    clear_department=data.department_id is None,
                    is_active=unset_to_none(data.is_active),
                    is_available=unset_to_none(data.is_available),
                    max_open_tickets=unset_to_none(data.max_open_tickets),
                    clear_cap=data.max_open_tickets is None,
                ),
            )
        )
        return profile_out(profile)

    @delete(
        "/{user:str}",
        status_code=204,
        summary="Deactivate a user (soft delete)",
        responses=ERRORS,
        guards=[admins_only],
    )
    async def deactivate(self, request: AnyRequest, user: FromPath[str]) -> Response[None]:
        await container_of(request).deactivate_user().execute(request.user, user_id(user))
        return Response(None, status_code=204)


@post(
    "/api/v1/auth/token",
    status_code=200,
    tags=["auth"],
    responses=ERRORS,
    security=[{}],  # no token needed (an empty requirement: OpenAPI for "none")
    exclude_from_auth=True,
    summary="Log in with the local identity provider",
)
async def login(request: Request[Any, Any, Any], data: JSONBody[LoginRequest]) -> TokenOut:
    token = await container_of(request).login().execute(data.email, data.password)
    return TokenOut(token.access_token, "bearer", token.expires_in)
