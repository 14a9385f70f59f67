"""Managing service levels: the SLA policies (admins write, staff read) and the business
calendar of each department. Every change is an audited admin action."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any
from uuid import UUID

from helpdesk.application.ports.clock import Clock, IdSource
from helpdesk.application.ports.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from helpdesk.application.tickets.sla import DEFAULT_CALENDAR
from helpdesk.domain import audit
from helpdesk.domain.errors import NotFound, ValidationFailed
from helpdesk.domain.patch import KEEP, Keep, patched
from helpdesk.domain.people import Actor
from helpdesk.domain.permissions import ADMINS, EVERYONE, STAFF, require_role
from helpdesk.domain.records import AuditEntry
from helpdesk.domain.sla.business_calendar import BusinessCalendar
from helpdesk.domain.sla.policy import (
    DEFAULT_WARNING_PERCENT,
    BreachActions,
    SlaPolicy,
    check_scope_free,
)
from helpdesk.domain.taxonomy import Category, Priority


def _policy_data(policy: SlaPolicy) -> dict[str, object]:
    return {
        "name": policy.name,
        "priority": str(policy.priority),
        "department_id": str(policy.department_id) if policy.department_id else None,
        "category": str(policy.category) if policy.category else None,
        "first_response_minutes": policy.first_response_minutes,
        "resolution_minutes": policy.resolution_minutes,
        "warning_percent": policy.warning_percent,
        "is_active": policy.is_active,
        "on_breach": {
            "notify": [str(r) for r in policy.on_breach.notify],
            "raise_priority": policy.on_breach.raise_priority,
            "release": policy.on_breach.release,
        },
    }


@dataclass(frozen=True, slots=True)
class NewSlaPolicy:
    name: str
    priority: Priority
    first_response_minutes: int
    resolution_minutes: int
    department_id: UUID | None = None
    category: Category | None = None
    warning_percent: int = DEFAULT_WARNING_PERCENT
    on_breach: BreachActions = field(default_factory=BreachActions)
    is_active: bool = True


@dataclass(frozen=True, slots=True)
class SlaPolicyPatch:
    name: str | Keep = KEEP
    priority: Priority | Keep = KEEP
    first_response_minutes: int | Keep = KEEP
    resolution_minutes: int | Keep = KEEP
    department_id: UUID | Keep | None = KEEP
    category: Category | Keep | None = KEEP
    warning_percent: int | Keep = KEEP
    on_breach: BreachActions | Keep = KEEP
    is_active: bool | Keep = KEEP


class _Admin:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, ids: IdSource) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids

    def _entry(
        self, actor: Actor, action: str, entity: str, entity_id: UUID, data: dict[str, Any]
    ) -> AuditEntry:
        return audit.admin_action(
            actor, action, entity, entity_id, data, now=self._clock.now(), new_id=self._ids.new_id
        )


async def _check_policy(uow: UnitOfWork, policy: SlaPolicy) -> None:
    """A named department must exist; two active policies may not share a scope (409)."""
    if policy.department_id is not None and await uow.departments.get(policy.department_id) is None:
        raise ValidationFailed.of("department_id", "no such department")
    check_scope_free(policy, await uow.sla.policies())


class ListSlaPoliciesUseCase:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, actor: Actor) -> list[SlaPolicy]:
        require_role(actor, STAFF)
        async with self._uow(read_only=True) as uow:
            return await uow.sla.policies()


class CreateSlaPolicyUseCase(_Admin):
    async def execute(self, actor: Actor, command: NewSlaPolicy) -> SlaPolicy:
        require_role(actor, ADMINS)
        policy = SlaPolicy(
            id=self._ids.new_id(),
            name=command.name,
            priority=command.priority,
            first_response_minutes=command.first_response_minutes,
            resolution_minutes=command.resolution_minutes,
            created_at=self._clock.now(),
            department_id=command.department_id,
            category=command.category,
            warning_percent=command.warning_percent,
            on_breach=command.on_breach,
            is_active=command.is_active,
        )
        async with self._uow() as uow:
            await _check_policy(uow, policy)
            await uow.sla.add_policy(policy)
            entry = self._entry(
                actor, "sla_policy.created", "sla_policy", policy.id, _policy_data(policy)
            )
            await uow.audit.add_all([entry])
            await uow.commit()
        return policy


class UpdateSlaPolicyUseCase(_Admin):
    async def execute(self, actor: Actor, policy_id: UUID, patch: SlaPolicyPatch) -> SlaPolicy:
        require_role(actor, ADMINS)
        async with self._uow() as uow:
            before = await uow.sla.get_policy(policy_id)
            if before is None:
                raise NotFound("SLA policy not found")
            after = replace(
                before,
                name=patched(before.name, patch.name),
                priority=patched(before.priority, patch.priority),
                first_response_minutes=patched(
                    before.first_response_minutes, patch.first_response_minutes
                ),
                resolution_minutes=patched(before.resolution_minutes, patch.resolution_minutes),
                department_id=patched(before.department_id, patch.department_id),
                category=patched(before.category, patch.category),
                warning_percent=patched(before.warning_percent, patch.warning_percent),
                on_breach=patched(before.on_breach, patch.on_breach),
                is_active=patched(before.is_active, patch.is_active),
            )  # replace() validates the whole policy again
            if after == before:
                return before
            await _check_policy(uow, after)
            await uow.sla.update_policy(after)
            changes = audit.data_changes(_policy_data(before), _policy_data(after))
            await uow.audit.add_all(
                [self._entry(actor, "sla_policy.updated", "sla_policy", after.id, changes)]
            )
            await uow.commit()
        return after


class DeleteSlaPolicyUseCase(_Admin):
    """Tickets keep the targets they were given; they are re-targeted on the policies that
    remain at their next priority, department or category change."""

    async def execute(self, actor: Actor, policy_id: UUID) -> None:
        require_role(actor, ADMINS)
        async with self._uow() as uow:
            policy = await uow.sla.get_policy(policy_id)
            if policy is None:
                raise NotFound("SLA policy not found")
            await uow.sla.delete_policy(policy_id)
            await uow.audit.add_all(
                [
                    self._entry(
                        actor, "sla_policy.deleted", "sla_policy", policy_id, _policy_data(policy)
                    )
                ]
            )
            await uow.commit()


class GetCalendarUseCase:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, actor: Actor, department_id: UUID) -> BusinessCalendar:
        """The department's calendar, or the default one it follows until it has its own."""
        require_role(actor, EVERYONE)
        async with self._uow(read_only=True) as uow:
            if await uow.departments.get(department_id) is None:
                raise NotFound("department not found")
            return await uow.sla.calendar(department_id) or DEFAULT_CALENDAR


class SetCalendarUseCase(_Admin):
    """Applies to tickets targeted from now on; open tickets keep their due times until
    they are re-targeted (docs/sla.md)."""

    async def execute(
        self, actor: Actor, department_id: UUID, calendar: BusinessCalendar
    ) -> BusinessCalendar:
        require_role(actor, ADMINS)
        async with self._uow() as uow:
            if await uow.departments.get(department_id) is None:
                raise NotFound("department not found")
            before = await uow.sla.calendar(department_id) or DEFAULT_CALENDAR
            if before == calendar:
                return calendar
            await uow.sla.set_calendar(department_id, calendar)
            changes = audit.data_changes(before.as_fields(), calendar.as_fields())
            await uow.audit.add_all(
                [
                    self._entry(
                        actor, "department.calendar_changed", "department", department_id, changes
                    )
                ]
            )
            await uow.commit()
        return calendar
