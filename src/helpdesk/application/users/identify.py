"""Who is calling: the profile behind a verified token, or a would-be end user."""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from helpdesk.application.ports.clock import Clock
from helpdesk.application.ports.storage.common import DuplicateKey
from helpdesk.application.ports.storage.people import ProfileCache
from helpdesk.application.ports.storage.unit_of_work import UnitOfWorkFactory
from helpdesk.application.ports.tokens import TokenClaims
from helpdesk.domain.errors import Conflict
from helpdesk.domain.people import Actor, Profile
from helpdesk.domain.permissions import EVERYONE, require_role
from helpdesk.domain.taxonomy import Role
from helpdesk.domain.users import address_or_none, name_or_none


class IdentifyCallerUseCase:
    """The role comes from the profile, never from the token. With a profile cache (the SQL
    storage's), a recent caller's profile is not read again for a few seconds."""

    def __init__(self, uow: UnitOfWorkFactory, cache: ProfileCache | None = None) -> None:
        self._uow = uow
        self._cache = cache

    async def execute(self, claims: TokenClaims) -> Actor:
        profile = await self._profile(claims.user_id)
        if profile is None:
            return Actor(
                id=claims.user_id,
                role=Role.END_USER,
                email=address_or_none(claims.email),
                full_name=name_or_none(claims.full_name),
                has_profile=False,
            )
        return Actor.of(profile)

    async def _profile(self, user_id: UUID) -> Profile | None:
        if self._cache is not None and (kept := self._cache.get(user_id)) is not None:
            return kept
        version = self._cache.version() if self._cache is not None else 0
        async with self._uow(read_only=True) as uow:
            profile = await uow.profiles.get(user_id)
        if profile is not None and self._cache is not None:
            self._cache.put(profile, version)  # a caller without a profile is not kept
        return profile


class CurrentProfileUseCase:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, actor: Actor) -> Profile:
        """The caller's profile; a profile-less caller gets the end-user profile they would get."""
        require_role(actor, EVERYONE)
        async with self._uow(read_only=True) as uow:
            profile = await uow.profiles.get(actor.id)
        if profile is not None:
            return profile
        return actor.end_user_profile(self._clock.now())


class UpdateOwnPreferencesUseCase:
    """PATCH /api/v1/users/me: the one thing a person sets on their own profile, whether their
    notifications also come by e-mail. A caller with no profile yet gets one."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, actor: Actor, *, email_notifications: bool) -> Profile:
        require_role(actor, EVERYONE)
        async with self._uow() as uow:
            profile = await uow.profiles.get(actor.id)
            if profile is None:
                profile = replace(
                    actor.end_user_profile(self._clock.now()),
                    email_notifications=email_notifications,
                )
                try:
                    await uow.profiles.add(profile)
                except DuplicateKey:
                    raise Conflict(
                        "another account already uses the e-mail address in your token;"
                        " ask an administrator"
                    ) from None
            else:
                profile = replace(profile, email_notifications=email_notifications)
                await uow.profiles.update(profile)
            await uow.commit()
        return profile
