"""Quick action rules: a shortcut files a ticket, so its text follows the ticket rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from helpdesk.domain.arabic import (
    TextLimits,
    TextPolicy,
    check_description,
    check_limited,
    check_title,
)
from helpdesk.domain.errors import FieldError, ValidationFailed
from helpdesk.domain.records import QuickAction

MAX_POSITION = 10_000
MAX_LABEL = 60
LABEL = TextLimits(min_length=1, max_length=MAX_LABEL, min_arabic_letters=1)
MAX_ICON = 64
EDITABLE = ("label", "title", "description", "category", "priority", "icon", "position")


def check_quick_action(action: QuickAction, policy: TextPolicy) -> QuickAction:
    """The action with its texts cleaned, or ValidationFailed naming every field that is wrong."""
    errors: list[FieldError] = []

    def attempt(check: Callable[[], str], fallback: str) -> str:
        try:
            return check()
        except ValidationFailed as e:
            errors.extend(e.errors)
            return fallback

    label = attempt(lambda: check_limited("label", action.label, LABEL, policy), action.label)
    title = attempt(lambda: check_title(action.title, policy), action.title)
    description = attempt(lambda: check_description(action.description, policy), action.description)
    if action.icon is not None and not 1 <= len(action.icon) <= MAX_ICON:
        errors.append(FieldError("icon", f"must be 1–{MAX_ICON} characters"))
    if not 0 <= action.position <= MAX_POSITION:
        errors.append(FieldError("position", f"must be between 0 and {MAX_POSITION}"))
    if errors:
        raise ValidationFailed(errors)
    return replace(action, label=label, title=title, description=description)
