"""Create a user: the login and the helpdesk profile with its role, in one transaction — or,
with an external identity provider, the identity first and the profile second, the identity
deleted again when the profile cannot be written."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from uuid import UUID

from helpdesk.application.ports.clock import Clock, IdSource
from helpdesk.application.ports.identity import IdentityProvider, NewIdentity, PasswordHasher
from helpdesk.application.ports.storage.common import DuplicateKey
from helpdesk.application.ports.storage.people import Credential
from helpdesk.application.ports.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from helpdesk.domain import audit
from helpdesk.domain.errors import Conflict, ValidationFailed
from helpdesk.domain.people import SYSTEM, Actor, Profile
from helpdesk.domain.permissions import ADMINS, require_role
from helpdesk.domain.taxonomy import Role
from helpdesk.domain.users import new_profile

log = logging.getLogger("helpdesk.users")


@dataclass(frozen=True, slots=True)
class CreateUser:
    email: str
    full_name: str
    role: Role
    department_id: UUID | None = None
    password: str | None = None
    user_id: UUID | None = None
    max_open_tickets: int | None = None


class CreateUserUseCase:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        ids: IdSource,
        hasher: PasswordHasher,
        identity: IdentityProvider | None,
    ) -> None:
        """`identity`: the external provider (Supabase Auth), or None for local logins."""
        self._uow = uow
        self._clock = clock
        self._ids = ids
        self._hasher = hasher
        self._identity = identity

    async def execute(self, actor: Actor, command: CreateUser) -> Profile:
        require_role(actor, ADMINS)
        profile = new_profile(
            Profile(
                id=command.user_id or self._ids.new_id(),
                email=command.email,
                full_name=command.full_name,
                role=command.role,
                department_id=command.department_id,
                is_active=True,
                is_available=True,
                max_open_tickets=command.max_open_tickets,
                created_at=self._clock.now(),
            ),
            command.password,
        )
        if self._identity is None:
            return await self._create_locally(actor, profile, command.password)
        return await self._create_with_provider(actor, profile, command, self._identity)

    async def _create_locally(
        self, actor: Actor, profile: Profile, password: str | None
    ) -> Profile:
        # Hash before the transaction: it is slow, and holds no lock.
        password_hash = await self._hasher.hash(password) if password is not None else None
        async with self._uow() as uow:
            await self._check_free(uow, profile)
            await self._write_profile(uow, actor, profile)
            if password_hash is not None:
                try:
                    await uow.credentials.add(Credential(profile.id, profile.email, password_hash))
                except DuplicateKey:
                    raise Conflict(f"a login for {profile.email} already exists") from None
            await uow.commit()
        return profile

    async def _create_with_provider(
        self, actor: Actor, profile: Profile, command: CreateUser, identity: IdentityProvider
    ) -> Profile:
        """Two systems, so two steps in this order: a read-only check, the identity at the
        provider, then the profile. A profile that cannot be written deletes the identity it was
        for, so that a retry starts clean instead of meeting "email exists" forever."""
        async with self._uow(read_only=True) as uow:
            await self._check_free(uow, profile)
        user_id = await identity.create(
            NewIdentity(profile.email, profile.full_name, command.password, command.user_id)
        )
        profile.id = user_id
        try:
            async with self._uow() as uow:
                await self._write_profile(uow, actor, profile)
                await uow.commit()
        except BaseException:
            try:
                await identity.delete(user_id)
            except Exception:  # the original failure is what the caller must see
                log.error("identity %s was created but its profile was not; delete it", user_id)
            raise
        return profile

    @staticmethod
    async def _check_free(uow: UnitOfWork, profile: Profile) -> None:
        if profile.department_id is not None:
            department = await uow.departments.get(profile.department_id)
            if department is None or not department.is_active:
                raise ValidationFailed.of("department_id", "unknown or inactive department")
        if await uow.profiles.get_by_email(profile.email) is not None:
            raise Conflict(f"a user with email {profile.email} already exists")

    async def _write_profile(self, uow: UnitOfWork, actor: Actor, profile: Profile) -> None:
        try:
            await uow.profiles.add(profile)
        except DuplicateKey:
            raise Conflict(f"a user with email {profile.email} already exists") from None
        entry = audit.admin_action(
            actor,
            "user.created",
            "user",
            profile.id,
            {"email": profile.email, "role": str(profile.role)},
            now=self._clock.now(),
            new_id=self._ids.new_id,
        )
        await uow.audit.add_all([entry])


SYSTEM_ACTOR = SYSTEM
