"""`/api/v1/users`, and the local login `POST /api/v1/auth/token`."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromQuery, JSONBody

from helpdesk.application.users.create import CreateUser, CreateUserUseCase
from helpdesk.application.users.identify import (
    CurrentProfileUseCase,
    UpdateOwnPreferencesUseCase,
)
from helpdesk.application.users.login import LoginUseCase
from helpdesk.application.users.manage import (
    DeactivateUserUseCase,
    ListUsers,
    ListUsersUseCase,
    UpdateUser,
    UpdateUserUseCase,
)
from helpdesk.domain.people import Actor
from helpdesk.domain.taxonomy import Role
from helpdesk.domain.users import ProfilePatch
from helpdesk.entrypoints.http.auth import admins_only
from helpdesk.entrypoints.http.params import Cursor, Limit, UserId, path_uuid
from helpdesk.entrypoints.http.problems import ERRORS, LOGIN_ERRORS
from helpdesk.entrypoints.http.schemas.common import given
from helpdesk.entrypoints.http.schemas.users import (
    LoginRequest,
    OwnProfilePatch,
    ProfileList,
    ProfileOut,
    TokenOut,
    UserCreate,
    UserPatch,
    profile_out,
)

AnyRequest = Request[Actor, Any, Any]


class UserController(Controller):
    path = "/api/v1/users"
    tags = ("users",)

    @get("/me", summary="The caller's own profile", responses=ERRORS, operation_id="getCurrentUser")
    async def me(
        self, request: AnyRequest, current_profile: NamedDependency[CurrentProfileUseCase]
    ) -> ProfileOut:
        return profile_out(await current_profile.execute(request.user))

    @patch(
        "/me",
        summary="Change one's own e-mail notification choice",
        responses=ERRORS,
        operation_id="updateCurrentUser",
    )
    async def update_me(
        self,
        request: AnyRequest,
        data: JSONBody[OwnProfilePatch],
        update_own_preferences: NamedDependency[UpdateOwnPreferencesUseCase],
    ) -> ProfileOut:
        profile = await update_own_preferences.execute(
            request.user, email_notifications=data.email_notifications
        )
        return profile_out(profile)

    @get(
        "/",
        summary="Users, newest first (admin)",
        responses=ERRORS,
        guards=[admins_only],
        operation_id="listUsers",
    )
    async def list_users(
        self,
        request: AnyRequest,
        list_users: NamedDependency[ListUsersUseCase],
        role: FromQuery[Role | None] = None,
        department_id: FromQuery[UUID | None] = None,
        q: FromQuery[str | None] = None,
        limit: Limit = None,
        cursor: Cursor = None,
    ) -> ProfileList:
        page = await list_users.execute(
            request.user, ListUsers(role, department_id, q, limit, cursor)
        )
        return ProfileList([profile_out(p) for p in page.items], page.next_cursor)

    @post(
        "/",
        status_code=201,
        summary="Create a user and their login (admin)",
        responses=ERRORS,
        guards=[admins_only],
        operation_id="createUser",
    )
    async def create(
        self,
        request: AnyRequest,
        data: JSONBody[UserCreate],
        create_user: NamedDependency[CreateUserUseCase],
    ) -> ProfileOut:
        profile = await create_user.execute(
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
        return profile_out(profile)

    @patch(
        "/{user_id:str}",
        summary="Change a user; releasing changes re-assign their tickets",
        responses=ERRORS,
        guards=[admins_only],
        operation_id="updateUser",
    )
    async def update(
        self,
        request: AnyRequest,
        user_id: UserId,
        data: JSONBody[UserPatch],
        update_user: NamedDependency[UpdateUserUseCase],
    ) -> ProfileOut:
        profile = await update_user.execute(
            request.user, UpdateUser(path_uuid(user_id, "user"), ProfilePatch(**given(data)))
        )
        return profile_out(profile)

    @delete(
        "/{user_id:str}",
        status_code=204,
        summary="Deactivate a user (soft delete)",
        responses=ERRORS,
        guards=[admins_only],
        operation_id="deactivateUser",
    )
    async def deactivate(
        self,
        request: AnyRequest,
        user_id: UserId,
        deactivate_user: NamedDependency[DeactivateUserUseCase],
    ) -> None:
        await deactivate_user.execute(request.user, path_uuid(user_id, "user"))


@post(
    "/api/v1/auth/token",
    status_code=200,
    tags=["auth"],
    responses=LOGIN_ERRORS,
    security=[{}],  # no token needed (an empty requirement: OpenAPI for "none")
    exclude_from_auth=True,
    summary="Log in with the local identity provider",
    operation_id="logIn",
)
async def login(data: JSONBody[LoginRequest], login: NamedDependency[LoginUseCase]) -> TokenOut:
    token = await login.execute(data.email, data.password)
    return TokenOut(token.access_token, "bearer", token.expires_in)
