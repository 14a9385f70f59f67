"""Users, for admins: list, change (releasing an agent's work when needed), deactivate."""

from __future__ import annotations

from dataclasses import dataclass, replace
from uuid import UUID

from helpdesk.application.pagination import Page, check_limit, decode_cursor, page_of
from helpdesk.application.ports.clock import Clock, IdSource
from helpdesk.application.ports.identity import IdentityProvider
from helpdesk.application.ports.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from helpdesk.application.tickets.assigning import assign_by_policy
from helpdesk.application.tickets.saving import members, record_change, save_versioned
from helpdesk.domain import audit, notices
from helpdesk.domain.changes import release_ticket
from helpdesk.domain.errors import NotFound, ValidationFailed
from helpdesk.domain.people import Actor, Profile
from helpdesk.domain.permissions import ADMINS, require_role
from helpdesk.domain.records import AuditEntry
from helpdesk.domain.release import release_reason
from helpdesk.domain.taxonomy import Role
from helpdesk.domain.users import PATCHABLE, ProfilePatch, apply_patch, check_self_change


@dataclass(frozen=True, slots=True)
class ListUsers:
    role: Role | None = None
    department_id: UUID | None = None
    q: str | None = None
    limit: int | None = None
    cursor: str | None = None


class ListUsersUseCase:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, actor: Actor, query: ListUsers) -> Page[Profile]:
        require_role(actor, ADMINS)
        limit = check_limit(query.limit)
        text = query.q.strip() if query.q else None
        filters = {"role": query.role, "department": str(query.department_id), "q": text}
        after = decode_cursor(query.cursor, filters)
        async with self._uow(read_only=True) as uow:
            rows = await uow.profiles.search(
                role=query.role,
                department_id=query.department_id,
                text=text or None,
                after=after,
                limit=limit + 1,
            )
        return page_of(rows, limit, filters)


@dataclass(frozen=True, slots=True)
class UpdateUser:
    user_id: UUID
    changes: ProfilePatch


class ProfileChanges:
    """Changing a profile inside the caller's unit of work: check it, store it, audit it, and
    release the agent's active tickets when the change takes their work away. Shared by the
    update and the deactivation, which each commit once."""

    def __init__(self, clock: Clock, ids: IdSource) -> None:
        self._clock = clock
        self._ids = ids

    async def apply(
        self, uow: UnitOfWork, actor: Actor, user_id: UUID, patch: ProfilePatch
    ) -> Profile:
        before = await uow.profiles.get(user_id)
        if before is None:
            raise NotFound("user not found")
        after = apply_patch(before, patch)
        if after.department_id is not None and after.department_id != before.department_id:
            department = await uow.departments.get(after.department_id)
            if department is None or not department.is_active:
                raise ValidationFailed.of("department_id", "unknown or inactive department")
        if after == before:
            return before
        check_self_change(actor, after)
        await uow.profiles.update(after)
        action = "user.deactivated" if before.is_active and not after.is_active else "user.updated"
        changes = audit.field_changes(before, after, PATCHABLE)
        await uow.audit.add_all([self._admin_entry(actor, action, after.id, changes)])
        why = release_reason(before, after)
        if why is not None:
            await self._release(uow, actor, before, why)
        return after

    def _admin_entry(
        self, actor: Actor, action: str, user_id: UUID, metadata: dict[str, object]
    ) -> AuditEntry:
        return audit.admin_action(
            actor, action, "user", user_id, metadata, now=self._clock.now(), new_id=self._ids.new_id
        )

    async def _release(self, uow: UnitOfWork, actor: Actor, agent: Profile, why: str) -> None:
        """Re-assign each of the agent's active tickets by the policy in its department (the
        agent is no longer eligible: their profile was saved first), or leave it in the queue."""
        now = self._clock.now()
        for ticket in await uow.tickets.active_assigned_to(agent.id):
            chosen = (
                await assign_by_policy(uow, ticket.department_id, now)
                if ticket.department_id is not None
                else None
            )
            outcome = release_ticket(ticket, chosen.id if chosen else None, now)
            await save_versioned(uow, ticket, outcome.ticket, None)
            new = outcome.ticket.assigned_agent_id
            facts = [audit.released(agent.id, why, new)]
            if new is not None:
                facts.append(audit.assigned(agent.id, new, "release"))
            watchers = await members(uow, notices.pickup_audience(outcome.ticket))
            await record_change(
                uow,
                outcome,
                facts,
                None if actor.is_system else actor.id,
                now=now,
                new_id=self._ids.new_id,
                extra_notices=notices.on_released(outcome.ticket, watchers),
                tell_status=False,
            )


class UpdateUserUseCase:
    def __init__(self, uow: UnitOfWorkFactory, changes: ProfileChanges) -> None:
        self._uow = uow
        self._changes = changes

    async def execute(self, actor: Actor, command: UpdateUser) -> Profile:
        require_role(actor, ADMINS)
        async with self._uow() as uow:
            after = await self._changes.apply(uow, actor, command.user_id, command.changes)
            await uow.commit()
        return after


class DeactivateUserUseCase:
    """DELETE is soft: the profile is deactivated, its work released and its local login
    disabled in one transaction; an external identity is banned after it commits (a failed ban
    answers 503 and a retried DELETE bans it)."""

    def __init__(
        self, uow: UnitOfWorkFactory, changes: ProfileChanges, identity: IdentityProvider | None
    ) -> None:
        self._uow = uow
        self._changes = changes
        self._identity = identity

    async def execute(self, actor: Actor, user_id: UUID) -> None:
        require_role(actor, ADMINS)
        async with self._uow() as uow:
            await self._changes.apply(uow, actor, user_id, ProfilePatch(is_active=False))
            credential = await uow.credentials.get(user_id)
            if credential is not None and not credential.disabled:
                await uow.credentials.update(replace(credential, disabled=True))
            await uow.commit()
        if self._identity is not None:
            await self._identity.disable(user_id)
