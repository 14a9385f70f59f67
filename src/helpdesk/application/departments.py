"""Departments: list, get, create, update (deactivate and reactivate included)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from uuid import UUID

from helpdesk.application.admin_audit import admin_entry
from helpdesk.application.context import Context
from helpdesk.application.pagination import Page, check_limit, decode_cursor, page_of
from helpdesk.application.ports.storage import (
    DuplicateKey,
    Position,
    TicketFilter,
    UnitOfWork,
)
from helpdesk.domain import audit as ticket_audit
from helpdesk.domain import notices
from helpdesk.domain.changes import drop_department
from helpdesk.domain.departments import check_categories_free, check_fields
from helpdesk.domain.errors import Conflict, NotFound
from helpdesk.domain.people import Actor, Department
from helpdesk.domain.permissions import ADMINS, EVERYONE, TicketScope, require_role
from helpdesk.domain.taxonomy import Category, TicketStatus


@dataclass(frozen=True, slots=True)
class CreateDepartment:
    slug: str
    name: str
    description: str = ""
    categories: tuple[Category, ...] = ()


@dataclass(frozen=True, slots=True)
class UpdateDepartment:
    department_id: UUID
    name: str | None = None
    description: str | None = None
    categories: tuple[Category, ...] | None = None
    is_active: bool | None = None


class ListDepartmentsUseCase:
    """Departments are few: read them all, page in order of creation."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    async def execute(
        self, actor: Actor, limit: int | None = None, cursor: str | None = None
    ) -> Page[Department]:
        require_role(actor, EVERYONE)
        size = check_limit(limit)
        after = decode_cursor(cursor, "departments")
        async with self._ctx.uow() as uow:
            rows = sorted(await uow.departments.all(), key=lambda d: (d.created_at, d.id.int))
        if after is not None:
            rows = [d for d in rows if (d.created_at, d.id.int) > (after.created_at, after.id.int)]
        return page_of(
            rows[: size + 1], size, "departments", lambda d: Position(d.created_at, d.id)
        )


class GetDepartmentUseCase:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    async def execute(self, actor: Actor, department_id: UUID) -> Department:
        require_role(actor, EVERYONE)
        async with self._ctx.uow() as uow:
            department = await uow.departments.get(department_id)
        if department is None:
            raise NotFound("department not found")
        return department


class CreateDepartmentUseCase:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    async def execute(self, actor: Actor, command: CreateDepartment) -> Department:
        require_role(actor, ADMINS)
        check_fields(command.slug, command.name, command.categories)
        ctx = self._ctx
        department = Department(
            id=ctx.ids.new_id(),
            slug=command.slug,
            name=command.name.strip(),
            description=command.description.strip(),
            categories=tuple(command.categories),
            is_active=True,
            created_at=ctx.clock.now(),
        )
        async with ctx.uow() as uow:
            existing = await uow.departments.all()
            if any(d.slug == department.slug for d in existing):
                raise Conflict(f"the slug {department.slug} is taken")
            check_categories_free(department.id, department.categories, existing)
            try:
                await uow.departments.add(department)
            except DuplicateKey:
                raise Conflict(f"the slug {department.slug} is taken") from None
            await uow.audit.add_all(
                [
                    admin_entry(
                        ctx,
                        actor,
                        "department.created",
                        "department",
                        department.id,
                        {"slug": department.slug, "categories": list(department.categories)},
                    )
                ]
            )
            await uow.commit()
        return department


class UpdateDepartmentUseCase:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    async def execute(self, actor: Actor, command: UpdateDepartment) -> Department:
        require_role(actor, ADMINS)
        check_fields(None, command.name, command.categories)
        ctx = self._ctx
        async with ctx.uow() as uow:
            before = await uow.departments.get(command.department_id)
            if before is None:
                raise NotFound("department not found")
            after = replace(
                before,
                name=command.name.strip() if command.name is not None else before.name,
                description=(
                    command.description.strip()
                    if command.description is not None
                    else before.description
                ),
                categories=tuple(command.categories)
                if command.categories is not None
                else before.categories,
                is_active=command.is_active if command.is_active is not None else before.is_active,
            )
            if after == before:
                return before
            if after.is_active:
                check_categories_free(after.id, after.categories, await uow.departments.all())
            await uow.departments.update(after)
            changes = {
                field: {"old": _plain(getattr(before, field)), "new": _plain(getattr(after, field))}
                for field in ("name", "description", "categories", "is_active")
                if getattr(before, field) != getattr(after, field)
            }
            await uow.audit.add_all(
                [
                    admin_entry(
                        ctx,
                        actor,
                        "department.updated",
                        "department",
                        after.id,
                        {"changes": changes},
                    )
                ]
            )
            if before.is_active and not after.is_active:
                await self._send_triage_to_admins(uow, actor, after)
            await uow.commit()
        return after

    async def _send_triage_to_admins(
        self, u: UnitOfWork, actor: Actor, department: Department
    ) -> None:
        """A deactivated department's triage tickets lose it and wait for an admin."""
        ctx = self._ctx
        now = ctx.clock.now()
        tickets = await u.tickets.search(
            TicketScope(everything=True),
            TicketFilter(department_id=department.id, statuses=frozenset({TicketStatus.TRIAGE})),
            None,
            100_000,
        )
        admins = [p.id for p in await u.profiles.active_admins()]
        for ticket in tickets:
            outcome = drop_department(ticket, now)
            after = outcome.ticket
            await u.tickets.update(after, expected_version=ticket.version)
            await u.audit.add_all(
                ctx.audit_entries(
                    [ticket_audit.updated(outcome.changes)], actor_id=actor.id, ticket_id=ticket.id
                )
            )
            told = notices.on_sent_to_triage(after, admins, actor.id)
            await u.notifications.add_all(ctx.notifications(told, ticket_id=ticket.id))


def _plain(value: object) -> object:
    if isinstance(value, tuple):
        return [str(v) for v in value]
    return value
