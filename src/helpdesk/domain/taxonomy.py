"""The fixed vocabularies of the helpdesk (docs/rules.md, "Vocabulary")."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    END_USER = "end_user"
    AGENT = "agent"
    ADMIN = "admin"


class TicketStatus(StrEnum):
    TRIAGE = "triage"
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    WAITING = "waiting"
    RESOLVED = "resolved"
    CLOSED = "closed"


# Statuses that count towards an agent's load.
ACTIVE_STATUSES: frozenset[TicketStatus] = frozenset(
    {TicketStatus.OPEN, TicketStatus.IN_PROGRESS, TicketStatus.WAITING}
)
# Unassigned tickets of these statuses wait for someone in their department to pick them up.
DEPARTMENT_QUEUE_STATUSES: frozenset[TicketStatus] = frozenset(
    {TicketStatus.TRIAGE, TicketStatus.OPEN, TicketStatus.WAITING}
)
FINISHED_STATUSES: frozenset[TicketStatus] = frozenset({TicketStatus.RESOLVED, TicketStatus.CLOSED})


class Priority(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    URGENT = "urgent"


class RoutingMode(StrEnum):
    AUTO = "auto"
    SUGGESTED = "suggested"
    MANUAL = "manual"


class Category(StrEnum):
    """The taxonomy, in its canonical order: ties between equal scores go to the earlier one."""

    NETWORK = "network"
    HARDWARE = "hardware"
    SOFTWARE = "software"
    EMAIL = "email"
    ACCOUNTS_ACCESS = "accounts_access"
    PRINTING = "printing"
    HR = "hr"
    FINANCE = "finance"
    FACILITIES = "facilities"
    OTHER = "other"


CATEGORIES: tuple[Category, ...] = tuple(Category)
TAXONOMY_RANK: dict[Category, int] = {category: rank for rank, category in enumerate(CATEGORIES)}


class Channel(StrEnum):
    """How a ticket arrived."""

    WEB = "web"
    EMAIL = "email"
