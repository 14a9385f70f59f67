"""Comments, notifications, audit entries and quick actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from helpdesk.domain.taxonomy import Category, Priority


@dataclass(frozen=True, slots=True)
class Comment:
    id: UUID
    ticket_id: UUID
    author_id: UUID
    body: str
    internal: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Notification:
    id: UUID
    user_id: UUID
    ticket_id: UUID | None
    kind: str
    title: str
    body: str
    created_at: datetime
    read_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """A ticket's audit entry (`ticket_id` set) or an admin action (`entity_type`/`entity_id`)."""

    id: UUID
    actor_id: UUID | None
    action: str
    metadata: dict[str, Any]
    created_at: datetime
    ticket_id: UUID | None = None
    entity_type: str | None = None
    entity_id: UUID | None = None


@dataclass(frozen=True, slots=True)
class QuickAction:
    id: UUID
    label: str
    title: str
    description: str
    category: Category | None
    priority: Priority
    icon: str | None
    position: int
