"""Users, for admins: list, change (releasing an agent's work when needed), deactivate."""

from __future__ import annotations

from dataclasses import dataclass, replace
from uuid import UUID

from helpdesk.application.admin_audit import admin_entry
from helpdesk.application.context import Context
from helpdesk.application.pagination import Page, check_limit, decode_cursor, page_of
from helpdesk.application.ports.identity import IdentityProvider
from helpdesk.application.ports.storage import Position, UnitOfWork
from helpdesk.application.tickets.assigning import assign_by_policy
from helpdesk.application.tickets.common import record, save
from helpdesk.application.users.create import MAX_CAP
from helpdesk.domain import audit, notices
from helpdesk.domain.changes import release_ticket
from helpdesk.domain.errors import Conflict, FieldError, NotFound, ValidationFailed
from helpdesk.domain.people import Actor, Profile
from helpdesk.domain.permissions import ADMINS, require_role
from helpdesk.domain.release import release_reason
from helpdesk.domain.taxonomy import Role



@dataclass(frozen=True, slots=True)
class ListUsers:
    role: Role | None = None
    department_id: UUID | None = None
    q: str | None = None
    limit: int | None = None
    cursor: str | None = None


class ListUsersUseCase:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    async def execute(self, actor: Actor, query: ListUsers) -> Page[Profile]:
        require_role(actor, ADMINS)
        limit = check_limit(query.limit)
        text = query.q.strip() if query.q else None
        filters = {"role": query.role, "department": str(query.department_id), "q": text}
        after = decode_cursor(query.cursor, filters)
        async with self._ctx.uow() as uow:
            rows = await uow.profiles.search(
                role=query.role,
                department_id=query.department_id,
                text=text or None,
                after=after,
                limit=limit + 1,
            )
        return page_of(rows, limit, filters, lambda p: Position(p.created_at, p.id))


@dataclass(frozen=True, slots=True)
class UpdateUser:
    user_id: UUID
    full_name: str | None = None
    role: Role | None = None
    department_id: UUID | None = None
    clear_department: bool = False
    is_active: bool | None = None
    is_available: bool | None = None
    max_open_tickets: int | None = None
    clear_cap: bool = False


async def _release(ctx: Context, uow: UnitOfWork, actor: Actor, agent: Profile, why: str) -> None:
    """Re-assign each of the agent's active tickets by the policy in its department (the agent
    is no longer eligible: their profile was saved first), or leave it in the queue."""
    now = ctx.clock.now()
    for ticket in await uow.tickets.active_assigned_to(agent.id):
        chosen = (
            await assign_by_policy(uow, ticket.department_id, now)
            if ticket.department_id is not None
            else None
        )
        outcome = release_ticket(ticket, chosen.id if chosen else None, now)
        await save(uow, ticket, outcome.ticket, None)
        new = outcome.ticket.assigned_agent_id
        facts = [audit.released(agent.id, why, new)]
        if new is not None:
            facts.append(audit.assigned(agent.id, new, "release"))
        agents = []
        if new is None and ticket.department_id is not None:
            agents = [p.id for p in await uow.profiles.active_agents(ticket.department_id)]
        await record(
            ctx,
            uow,
            outcome,
            facts,
            actor.id if actor.id.int else None,
            extra_notices=notices.on_released(outcome.ticket, agents),
            tell_status=False,
        )


def _validated(before: Profile, command: UpdateUser) -> Profile:
    after = replace(
        before,
        full_name=command.full_name.strip() if command.full_name is not None else before.full_name,
        role=command.role or before.role,
        department_id=(
            None if command.clear_department else (command.department_id or before.department_id)
        ),
        is_active=command.is_active if command.is_active is not None else before.is_active,
        is_available=(
            command.is_available if command.is_available is not None else before.is_available
        ),
        max_open_tickets=(
            None
            if command.clear_cap
            else (
                command.max_open_tickets
                if command.max_open_tickets is not None
                else before.max_open_tickets
            )
        ),
    )
    errors = []
    if not after.full_name:
        errors.append(FieldError("full_name", "must not be empty"))
    if after.role is Role.AGENT and after.department_id is None:
        errors.append(FieldError("department_id", "agents need a department"))
    if after.max_open_tickets is not None and not 0 <= after.max_open_tickets <= MAX_CAP:
        errors.append(FieldError("max_open_tickets", f"must be between 0 and {MAX_CAP}"))
    if errors:
        raise ValidationFailed(errors)
    return after


class UpdateUserUseCase:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    async def execute(self, actor: Actor, command: UpdateUser) -> Profile:
        require_role(actor, ADMINS)
        ctx = self._ctx
        async with ctx.uow() as uow:
            before = await uow.profiles.get(command.user_id)
            if before is None:
                raise NotFound("user not found")
            after = _validated(before, command)
            if after.department_id is not None and after.department_id != before.department_id:
                department = await uow.departments.get(after.department_id)
                if department is None or not department.is_active:
                    raise ValidationFailed.of("department_id", "unknown or inactive department")
            if after == before:
                return before
            if after.id == actor.id and (not after.is_active or after.role is not Role.ADMIN):
                raise Conflict("admins cannot deactivate or demote themselves")
            await uow.profiles.update(after)
            action = (
                "user.deactivated" if before.is_active and not after.is_active else "user.updated"
            )
            changes = {
                f: {"old": str(getattr(before, f)), "new": str(getattr(after, f))}
                for f in (
                    "full_name",
                    "role",
                    "department_id",
                    "is_active",
                    "is_available",
                    "max_open_tickets",
                )
                if getattr(before, f) != getattr(after, f)
            }
            await uow.audit.add_all(
                [admin_entry(ctx, actor, action, "user", after.id, {"changes": changes})]
            )
            why = release_reason(before, after)
            if why is not None:
                await _release(ctx, uow, actor, before, why)
            await uow.commit()
        return after


class DeactivateUserUseCase:
    """DELETE is soft: the profile is deactivated, its work released, its login disabled."""

    def __init__(
        self, ctx: Context, update: UpdateUserUseCase, identity: IdentityProvider | None
    ) -> None:
        self._ctx = ctx
        self._update = update
        self._identity = identity

    async def execute(self, actor: Actor, user_id: UUID) -> None:
        await self._update.execute(actor, UpdateUser(user_id, is_active=False))
        if self._identity is not None:
            await self._identity.disable(user_id)
