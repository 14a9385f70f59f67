"""Who is calling: the profile behind a verified token, or a would-be end user."""

from __future__ import annotations

from helpdesk.application.context import Context
from helpdesk.application.ports.tokens import TokenClaims
from helpdesk.domain.people import Actor, Profile
from helpdesk.domain.permissions import EVERYONE, require_role
from helpdesk.domain.taxonomy import Role


class IdentifyCallerUseCase:
    """The role comes from the profile, never from the token."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    async def execute(self, claims: TokenClaims) -> Actor:
        async with self._ctx.uow() as uow:
            profile = await uow.profiles.get(claims.user_id)
        if profile is None:
            return Actor(
                id=claims.user_id,
                role=Role.END_USER,
                email=claims.email,
                full_name=claims.full_name,
                has_profile=False,
            )
        return Actor.of(profile)


class CurrentProfileUseCase:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    async def execute(self, actor: Actor) -> Profile:
        """The caller's profile; a profile-less caller gets the end-user profile they would get."""
        require_role(actor, EVERYONE)
        async with self._ctx.uow() as uow:
            profile = await uow.profiles.get(actor.id)
        if profile is not None:
            return profile
        return actor.end_user_profile(self._ctx.clock.now())
