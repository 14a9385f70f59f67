"""Quick actions: predefined Arabic ticket shortcuts that clients show as buttons."""

from __future__ import annotations

from dataclasses import dataclass, replace
from uuid import UUID

from helpdesk.application.ports.clock import Clock, IdSource
from helpdesk.application.ports.storage.unit_of_work import UnitOfWorkFactory
from helpdesk.domain import audit
from helpdesk.domain.arabic import TextPolicy
from helpdesk.domain.defaults import DEFAULT_QUICK_ACTIONS
from helpdesk.domain.errors import NotFound
from helpdesk.domain.patch import KEEP, Keep, patched
from helpdesk.domain.people import Actor
from helpdesk.domain.permissions import ADMINS, EVERYONE, require_role
from helpdesk.domain.quick_actions import EDITABLE, check_quick_action
from helpdesk.domain.records import AuditEntry, QuickAction
from helpdesk.domain.taxonomy import Category, Priority


@dataclass(frozen=True, slots=True)
class NewQuickAction:
    label: str
    title: str
    description: str
    category: Category | None = None
    priority: Priority = Priority.MEDIUM
    icon: str | None = None
    position: int | None = None  # after the last one when not given


@dataclass(frozen=True, slots=True)
class QuickActionPatch:
    label: str | Keep = KEEP
    title: str | Keep = KEEP
    description: str | Keep = KEEP
    category: Category | Keep | None = KEEP
    priority: Priority | Keep = KEEP
    icon: str | Keep | None = KEEP
    position: int | Keep = KEEP


class _AdminAction:
    def __init__(
        self, uow: UnitOfWorkFactory, clock: Clock, ids: IdSource, *, text_policy: TextPolicy
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids
        self._text_policy = text_policy

    def _entry(
        self, actor: Actor, action: str, action_id: UUID, metadata: dict[str, object]
    ) -> AuditEntry:
        return audit.admin_action(
            actor,
            action,
            "quick_action",
            action_id,
            metadata,
            now=self._clock.now(),
            new_id=self._ids.new_id,
        )


class ListQuickActionsUseCase:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, actor: Actor) -> list[QuickAction]:
        require_role(actor, EVERYONE)
        async with self._uow(read_only=True) as uow:
            return await uow.quick_actions.all()


class CreateQuickActionUseCase(_AdminAction):
    async def execute(self, actor: Actor, command: NewQuickAction) -> QuickAction:
        require_role(actor, ADMINS)
        async with self._uow() as uow:
            position = command.position
            if position is None:
                existing = await uow.quick_actions.all()
                position = (existing[-1].position + 1) if existing else 0
            action = check_quick_action(
                QuickAction(
                    id=self._ids.new_id(),
                    label=command.label,
                    title=command.title,
                    description=command.description,
                    category=command.category,
                    priority=command.priority,
                    icon=command.icon,
                    position=position,
                ),
                self._text_policy,
            )
            await uow.quick_actions.add(action)
            entry = self._entry(actor, "quick_action.created", action.id, {"label": action.label})
            await uow.audit.add_all([entry])
            await uow.commit()
        return action


class UpdateQuickActionUseCase(_AdminAction):
    async def execute(self, actor: Actor, action_id: UUID, patch: QuickActionPatch) -> QuickAction:
        require_role(actor, ADMINS)
        async with self._uow() as uow:
            before = await uow.quick_actions.get(action_id)
            if before is None:
                raise NotFound("quick action not found")
            after = check_quick_action(
                replace(
                    before,
                    label=patched(before.label, patch.label),
                    title=patched(before.title, patch.title),
                    description=patched(before.description, patch.description),
                    category=patched(before.category, patch.category),
                    priority=patched(before.priority, patch.priority),
                    icon=patched(before.icon, patch.icon),
                    position=patched(before.position, patch.position),
                ),
                self._text_policy,
            )
            if after == before:
                return before
            await uow.quick_actions.update(after)
            changes = audit.field_changes(before, after, EDITABLE)
            await uow.audit.add_all([self._entry(actor, "quick_action.updated", after.id, changes)])
            await uow.commit()
        return after


class DeleteQuickActionUseCase(_AdminAction):
    async def execute(self, actor: Actor, action_id: UUID) -> None:
        require_role(actor, ADMINS)
        async with self._uow() as uow:
            if not await uow.quick_actions.delete(action_id):
                raise NotFound("quick action not found")
            await uow.audit.add_all([self._entry(actor, "quick_action.deleted", action_id, {})])
            await uow.commit()


class ReseedQuickActionsUseCase:
    """Replace every quick action with the default set."""

    def __init__(self, uow: UnitOfWorkFactory, ids: IdSource) -> None:
        self._uow = uow
        self._ids = ids

    async def execute(self, actor: Actor) -> int:
        require_role(actor, ADMINS)
        actions = [
            QuickAction(
                self._ids.new_id(), label, title, description, category, priority, icon, position
            )
            for position, (label, title, description, category, priority, icon) in enumerate(
                DEFAULT_QUICK_ACTIONS
            )
        ]
        async with self._uow() as uow:
            await uow.quick_actions.replace_all(actions)
            await uow.commit()
        return len(actions)
