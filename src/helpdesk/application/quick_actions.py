"""Quick actions: predefined Arabic ticket shortcuts that clients show as buttons."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from uuid import UUID

from helpdesk.application.admin_audit import admin_entry
from helpdesk.application.context import Context
from helpdesk.domain.arabic import check_description, check_text, check_title
from helpdesk.domain.defaults import DEFAULT_QUICK_ACTIONS
from helpdesk.domain.errors import FieldError, NotFound, ValidationFailed
from helpdesk.domain.people import Actor
from helpdesk.domain.permissions import ADMINS, EVERYONE, require_role
from helpdesk.domain.records import QuickAction
from helpdesk.domain.taxonomy import Category, Priority


@dataclass(frozen=True, slots=True)
class QuickActionFields:
    """Every field optional, for an update; a create fills them all in."""

    label: str | None = None
    title: str | None = None
    description: str | None = None
    category: Category | None = None
    clear_category: bool = False
    priority: Priority | None = None
    icon: str | None = None
    clear_icon: bool = False
    position: int | None = None


def _checked(ctx: Context, action: QuickAction) -> QuickAction:
    """The shortcut files a ticket, so its text follows the ticket rules."""
    errors: list[FieldError] = []
    policy = ctx.policies.text_policy

    def attempt(check: Callable[[], str], fallback: str) -> str:
        try:
            return check()
        except ValidationFailed as e:
            errors.extend(e.errors)
            return fallback

    label = attempt(
        lambda: check_text(
            "label", action.label, policy=policy, min_length=1, max_length=60, min_arabic_letters=1
        ),
        action.label,
    )
    title = attempt(lambda: check_title(action.title, policy), action.title)
    description = attempt(lambda: check_description(action.description, policy), action.description)
    if action.icon is not None and not 1 <= len(action.icon) <= 64:
        errors.append(FieldError("icon", "must be 1–64 characters"))
    if not 0 <= action.position <= 10_000:
        errors.append(FieldError("position", "must be between 0 and 10000"))
    if errors:
        raise ValidationFailed(errors)
    return replace(action, label=label, title=title, description=description)


class ListQuickActionsUseCase:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    async def execute(self, actor: Actor) -> list[QuickAction]:
        require_role(actor, EVERYONE)
        async with self._ctx.uow() as uow:
            return await uow.quick_actions.all()


class CreateQuickActionUseCase:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    async def execute(self, actor: Actor, fields: QuickActionFields) -> QuickAction:
        require_role(actor, ADMINS)
        ctx = self._ctx
        async with ctx.uow() as uow:
            position = fields.position
            if position is None:
                existing = await uow.quick_actions.all()
                position = (existing[-1].position + 1) if existing else 0
            action = _checked(
                ctx,
                QuickAction(
                    id=ctx.ids.new_id(),
                    label=fields.label or "",
                    title=fields.title or "",
                    description=fields.description or "",
                    category=fields.category,
                    priority=fields.priority or Priority.MEDIUM,
                    icon=fields.icon,
                    position=position,
                ),
            )
            await uow.quick_actions.add(action)
            await uow.audit.add_all(
                [
                    admin_entry(
                        ctx,
                        actor,
                        "quick_action.created",
                        "quick_action",
                        action.id,
                        {"label": action.label},
                    )
                ]
            )
            await uow.commit()
        return action


class UpdateQuickActionUseCase:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    async def execute(
        self, actor: Actor, action_id: UUID, fields: QuickActionFields
    ) -> QuickAction:
        require_role(actor, ADMINS)
        ctx = self._ctx
        async with ctx.uow() as uow:
            before = await uow.quick_actions.get(action_id)
            if before is None:
                raise NotFound("quick action not found")
            after = _checked(
                ctx,
                replace(
                    before,
                    label=fields.label if fields.label is not None else before.label,
                    title=fields.title if fields.title is not None else before.title,
                    description=fields.description
                    if fields.description is not None
                    else before.description,
                    category=None
                    if fields.clear_category
                    else (fields.category or before.category),
                    priority=fields.priority or before.priority,
                    icon=None
                    if fields.clear_icon
                    else (fields.icon if fields.icon is not None else before.icon),
                    position=fields.position if fields.position is not None else before.position,
                ),
            )
            if after == before:
                return before
            await uow.quick_actions.update(after)
            changed = [
                f
                for f in (
                    "label",
                    "title",
                    "description",
                    "category",
                    "priority",
                    "icon",
                    "position",
                )
                if getattr(before, f) != getattr(after, f)
            ]
            await uow.audit.add_all(
                [
                    admin_entry(
                        ctx,
                        actor,
                        "quick_action.updated",
                        "quick_action",
                        after.id,
                        {"changed": changed},
                    )
                ]
            )
            await uow.commit()
        return after


class DeleteQuickActionUseCase:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    async def execute(self, actor: Actor, action_id: UUID) -> None:
        require_role(actor, ADMINS)
        async with self._ctx.uow() as uow:
            if not await uow.quick_actions.delete(action_id):
                raise NotFound("quick action not found")
            await uow.audit.add_all(
                [
                    admin_entry(
                        self._ctx, actor, "quick_action.deleted", "quick_action", action_id, {}
                    )
                ]
            )
            await uow.commit()


class ReseedQuickActionsUseCase:
    """Replace every quick action with the default set."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    async def execute(self, actor: Actor) -> int:
        require_role(actor, ADMINS)
        ctx = self._ctx
        actions = [
            QuickAction(
                ctx.ids.new_id(), label, title, description, category, priority, icon, position
            )
            for position, (label, title, description, category, priority, icon) in enumerate(
                DEFAULT_QUICK_ACTIONS
            )
        ]
        async with ctx.uow() as uow:
            await uow.quick_actions.replace_all(actions)
            await uow.commit()
        return len(actions)
