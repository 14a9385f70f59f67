"""SLA policies: the targets promised per priority (and optionally department or category), what
happens on a breach, and which policy applies to a ticket."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from helpdesk.domain.errors import Conflict, FieldError, ValidationFailed
from helpdesk.domain.taxonomy import Category, Priority

DEFAULT_WARNING_PERCENT = 80
# A year of round-the-clock working time: a longer target is a typing mistake, not a promise.
MAX_TARGET_MINUTES = 366 * 24 * 60


class Recipient(StrEnum):
    """Who a breach notifies."""

    ASSIGNEE = "assignee"
    DEPARTMENT = "department"
    ADMINS = "admins"


@dataclass(frozen=True, slots=True)
class BreachActions:
    notify: tuple[Recipient, ...] = (Recipient.ASSIGNEE,)
    raise_priority: bool = False
    release: bool = False


@dataclass(frozen=True, slots=True)
class SlaPolicy:
    """Built valid or not at all: a bad field raises `ValidationFailed` naming every bad field."""

    id: UUID
    name: str
    priority: Priority
    first_response_minutes: int
    resolution_minutes: int
    created_at: datetime
    department_id: UUID | None = None
    category: Category | None = None
    warning_percent: int = DEFAULT_WARNING_PERCENT
    on_breach: BreachActions = field(default_factory=BreachActions)
    is_active: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", self.name.strip() if isinstance(self.name, str) else "")
        errors = _field_errors(self)
        if errors:
            raise ValidationFailed(errors)

    @property
    def scope(self) -> tuple[Priority, UUID | None, Category | None]:
        """What the policy matches; two active policies may not share one."""
        return (self.priority, self.department_id, self.category)

    @property
    def specificity(self) -> int:
        """0 = department and category, 1 = department, 2 = category, 3 = priority alone."""
        if self.department_id is not None:
            return 0 if self.category is not None else 1
        return 2 if self.category is not None else 3

    def matches(
        self, priority: Priority, department_id: UUID | None, category: Category | None
    ) -> bool:
        return (
            self.is_active
            and self.priority == priority
            and (self.department_id is None or self.department_id == department_id)
            and (self.category is None or self.category == category)
        )


def _is_int(value: object) -> bool:
    return type(value) is int


def _field_errors(policy: SlaPolicy) -> list[FieldError]:
    errors = []
    if not 1 <= len(policy.name) <= 120:
        errors.append(FieldError("name", "must be 1–120 characters"))
    if not isinstance(policy.priority, Priority):
        errors.append(FieldError("priority", "must be one of low, medium, high, urgent"))
    if policy.category is not None and not isinstance(policy.category, Category):
        errors.append(FieldError("category", "must be a category of the taxonomy"))
    targets_ok = True
    for name in ("first_response_minutes", "resolution_minutes"):
        value = getattr(policy, name)
        if not _is_int(value) or not 1 <= value <= MAX_TARGET_MINUTES:
            errors.append(FieldError(name, f"must be whole minutes from 1 to {MAX_TARGET_MINUTES}"))
            targets_ok = False
    if targets_ok and policy.resolution_minutes < policy.first_response_minutes:
        errors.append(
            FieldError("resolution_minutes", "must not be shorter than first_response_minutes")
        )
    if not _is_int(policy.warning_percent) or not 1 <= policy.warning_percent <= 99:
        errors.append(FieldError("warning_percent", "must be a whole number from 1 to 99"))
    notify = list(policy.on_breach.notify)
    if any(not isinstance(r, Recipient) for r in notify):
        errors.append(FieldError("on_breach.notify", "may name assignee, department and admins"))
    elif len(set(notify)) != len(notify):
        errors.append(FieldError("on_breach.notify", "names a recipient twice"))
    return errors


def check_scope_free(policy: SlaPolicy, others: Iterable[SlaPolicy]) -> None:
    """Two active policies for the same priority, department and category would make the choice
    ambiguous: the second one is a conflict."""
    if not policy.is_active:
        return
    for other in others:
        if other.id != policy.id and other.is_active and other.scope == policy.scope:
            raise Conflict(f"the active policy «{other.name}» already covers this scope")


def select_policy(
    policies: Iterable[SlaPolicy],
    *,
    priority: Priority,
    department_id: UUID | None,
    category: Category | None,
) -> SlaPolicy | None:
    """The most specific active policy for a ticket: department and category, then department,
    then category, then priority alone; None when nothing matches (the ticket has no due times).
    Ties, which `check_scope_free` prevents, go to the oldest policy, then the lowest id."""
    matching = [p for p in policies if p.matches(priority, department_id, category)]
    if not matching:
        return None
    return min(matching, key=lambda p: (p.specificity, p.created_at, p.id.int))


PRIORITY_ORDER: tuple[Priority, ...] = (
    Priority.LOW,
    Priority.MEDIUM,
    Priority.HIGH,
    Priority.URGENT,
)


def next_priority(priority: Priority) -> Priority | None:
    """One level up, or None from urgent."""
    index = PRIORITY_ORDER.index(priority)
    return PRIORITY_ORDER[index + 1] if index + 1 < len(PRIORITY_ORDER) else None
