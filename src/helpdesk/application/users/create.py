"""Create a user: the identity at the provider, then the helpdesk profile with its role."""

from __future__ import annotations

import re
from dataclasses import dataclass
from uuid import UUID

from helpdesk.application.admin_audit import admin_entry
from helpdesk.application.context import Context
from helpdesk.application.ports.identity import IdentityProvider, NewIdentity
from helpdesk.application.ports.storage import DuplicateKey
from helpdesk.domain.errors import Conflict, FieldError, ValidationFailed
from helpdesk.domain.people import Actor, Profile
from helpdesk.domain.permissions import ADMINS, require_role
from helpdesk.domain.taxonomy import Role

MAX_CAP = 10_000
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


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
    def __init__(self, ctx: Context, identity: IdentityProvider | None) -> None:
        self._ctx = ctx
        self._identity = identity

    async def execute(self, actor: Actor, command: CreateUser) -> Profile:
        require_role(actor, ADMINS)
        email = command.email.strip().lower()
        errors = []
        if not _EMAIL.match(email):
            errors.append(FieldError("email", "must be an email address"))
        if not command.full_name.strip():
            errors.append(FieldError("full_name", "must not be empty"))
        if command.role is Role.AGENT and command.department_id is None:
            errors.append(FieldError("department_id", "agents need a department"))
        if command.max_open_tickets is not None and not 0 <= command.max_open_tickets <= MAX_CAP:
            errors.append(FieldError("max_open_tickets", f"must be between 0 and {MAX_CAP}"))
        if command.password is not None and len(command.password) < 8:
            errors.append(FieldError("password", "must be at least 8 characters"))
        if errors:
            raise ValidationFailed(errors)
        async with self._ctx.uow() as uow:
            if command.department_id is not None:
                department = await uow.departments.get(command.department_id)
                if department is None or not department.is_active:
                    raise ValidationFailed.of("department_id", "unknown or inactive department")
            if await uow.profiles.get_by_email(email) is not None:
                raise Conflict(f"a user with email {email} already exists")
        user_id = command.user_id or self._ctx.ids.new_id()
        if self._identity is not None:
            user_id = await self._identity.create(
                NewIdentity(email, command.full_name.strip(), command.password, user_id)
            )
        profile = Profile(
            id=user_id,
            email=email,
            full_name=command.full_name.strip(),
            role=command.role,
            department_id=command.department_id,
            is_active=True,
            is_available=True,
            max_open_tickets=command.max_open_tickets,
            created_at=self._ctx.clock.now(),
        )
        async with self._ctx.uow() as uow:
            try:
                await uow.profiles.add(profile)
            except DuplicateKey:
                raise Conflict(f"a user with email {email} already exists") from None
            await uow.audit.add_all(
                [
                    admin_entry(
                        self._ctx,
                        actor,
                        "user.created",
                        "user",
                        profile.id,
                        {"email": email, "role": str(profile.role)},
                    )
                ]
            )
            await uow.commit()
        return profile


# The command line and the demo seeding act as this administrator.
SYSTEM_ACTOR = Actor(id=UUID(int=0), role=Role.ADMIN, email="system@helpdesk.local")
