"""HTTP shapes (msgspec Structs): notifications."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec

from helpdesk.domain.records import Notification


class NotificationOut(msgspec.Struct):
    id: UUID
    user_id: UUID
    ticket_id: UUID | None
    kind: str
    title: str
    body: str
    read_at: datetime | None
    created_at: datetime


class NotificationList(msgspec.Struct):
    items: list[NotificationOut]
    next_cursor: str | None


class CountOut(msgspec.Struct):
    count: int


class UpdatedOut(msgspec.Struct):
    updated: int


def notification_out(n: Notification) -> NotificationOut:
    return NotificationOut(
        n.id, n.user_id, n.ticket_id, n.kind, n.title, n.body, n.read_at, n.created_at
    )
