"""Departments: list, get, create, update (deactivate and reactivate included)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from uuid import UUID

from helpdesk.application.pagination import Page, check_limit, decode_cursor, page_of
from helpdesk.application.ports.clock import Clock, IdSource
from helpdesk.application.ports.storage.common import DuplicateKey
from helpdesk.application.ports.storage.tickets import TicketFilter
from helpdesk.application.ports.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from helpdesk.application.tickets.saving import members, record_change, save_versioned
from helpdesk.domain import audit, notices
from helpdesk.domain.changes import drop_department
from helpdesk.domain.departments import Department, check_categories_free, check_fields
from helpdesk.domain.errors import Conflict, NotFound
from helpdesk.domain.keyset import oldest_first_after
from helpdesk.domain.patch import KEEP, Keep, patched
from helpdesk.domain.people import Actor
from helpdesk.domain.permissions import ADMINS, EVERYONE, TicketScope, require_role
from helpdesk.domain.taxonomy import Category, TicketStatus

EDITABLE = ("name", "description", "categories", "is_active")


@dataclass(frozen=True, slots=True)
class CreateDepartment:
    slug: str
    name: str
    description: str = ""
    categories: tuple[Category, ...] = ()


@dataclass(frozen=True, slots=True)
class UpdateDepartment:
    department_id: UUID
    name: str | Keep = KEEP
    description: str | Keep = KEEP
    categories: tuple[Category, ...] | Keep = KEEP
    is_active: bool | Keep = KEEP


class ListDepartmentsUseCase:
    """Departments are few: read them all, page in order of creation."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(
        self, actor: Actor, limit: int | None = None, cursor: str | None = None
    ) -> Page[Department]:
        require_role(actor, EVERYONE)
        size = check_limit(limit)
        after = decode_cursor(cursor, "departments")
        async with self._uow(read_only=True) as uow:
            rows = oldest_first_after(await uow.departments.all(), after)
        return page_of(rows[: size + 1], size, "departments")


class GetDepartmentUseCase:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, actor: Actor, department_id: UUID) -> Department:
        require_role(actor, EVERYONE)
        async with self._uow(read_only=True) as uow:
            department = await uow.departments.get(department_id)
        if department is None:
            raise NotFound("department not found")
        return department


class CreateDepartmentUseCase:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, ids: IdSource) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids

    async def execute(self, actor: Actor, command: CreateDepartment) -> Department:
        require_role(actor, ADMINS)
        check_fields(command.slug, command.name, command.categories)
        now = self._clock.now()
        department = Department(
            id=self._ids.new_id(),
            slug=command.slug,
            name=command.name.strip(),
            description=command.description.strip(),
            categories=tuple(command.categories),
            is_active=True,
            created_at=now,
        )
        async with self._uow() as uow:
            existing = await uow.departments.all()
            if any(d.slug == department.slug for d in existing):
                raise Conflict(f"the slug {department.slug} is taken")
            check_categories_free(department.id, department.categories, existing)
            try:
                await uow.departments.add(department)
            except DuplicateKey:
                raise Conflict(f"the slug {department.slug} is taken") from None
            entry = audit.admin_action(
                actor,
                "department.created",
                "department",
                department.id,
                {"slug": department.slug, "categories": list(department.categories)},
                now=now,
                new_id=self._ids.new_id,
            )
            await uow.audit.add_all([entry])
            await uow.commit()
        return department


class UpdateDepartmentUseCase:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, ids: IdSource) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids

    async def execute(self, actor: Actor, command: UpdateDepartment) -> Department:
        require_role(actor, ADMINS)
        check_fields(
            None,
            None if command.name is KEEP else command.name,
            None if command.categories is KEEP else command.categories,
        )
        async with self._uow() as uow:
            before = await uow.departments.get(command.department_id)
            if before is None:
                raise NotFound("department not found")
            after = replace(
                before,
                name=patched(before.name, command.name).strip(),
                description=patched(before.description, command.description).strip(),
                categories=tuple(patched(before.categories, command.categories)),
                is_active=patched(before.is_active, command.is_active),
            )
            if after == before:
                return before
            if after.is_active:
                check_categories_free(after.id, after.categories, await uow.departments.all())
            await uow.departments.update(after)
            now = self._clock.now()
            entry = audit.admin_action(
                actor,
                "department.updated",
                "department",
                after.id,
                audit.field_changes(before, after, EDITABLE),
                now=now,
                new_id=self._ids.new_id,
            )
            await uow.audit.add_all([entry])
            if before.is_active and not after.is_active:
                await self._send_triage_to_admins(uow, actor, after)
            await uow.commit()
        return after

    async def _send_triage_to_admins(
        self, uow: UnitOfWork, actor: Actor, department: Department
    ) -> None:
        """A deactivated department's triage tickets lose it and wait for an admin."""
        now = self._clock.now()
        tickets = await uow.tickets.search(
            TicketScope(everything=True),
            TicketFilter(department_id=department.id, statuses=frozenset({TicketStatus.TRIAGE})),
            None,
            100_000,
        )
        admins = await members(uow, notices.Audience(admins=True))
        for ticket in tickets:
            outcome = drop_department(ticket, now)
            await save_versioned(uow, ticket, outcome.ticket, None)
            await record_change(
                uow,
                outcome,
                [audit.updated(outcome.changes)],
                actor.id,
                now=now,
                new_id=self._ids.new_id,
                extra_notices=notices.on_sent_to_triage(outcome.ticket, admins, actor.id),
                tell_status=False,
            )
