"""`/api/v1/users`."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get

from helpdesk.domain.people import Actor
from helpdesk.entrypoints.http.responses import ERRORS, container_of
from helpdesk.entrypoints.http.schemas import ProfileOut, profile_out


class UserController(Controller):
    path = "/api/v1/users"
    tags = ("users",)
    responses = ERRORS

    @get("/me", summary="The caller's own profile")
    async def me(self, request: Request[Actor, Any, Any]) -> ProfileOut:
        profile = await container_of(request).current_profile().execute(request.user)
        return profile_out(profile)
