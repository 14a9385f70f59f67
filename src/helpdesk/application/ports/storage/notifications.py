"""Storage port: notifications."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from helpdesk.domain.keyset import Position
from helpdesk.domain.records import Notification


class NotificationRepository(Protocol):
    async def add_all(self, notifications: list[Notification]) -> None: ...

    async def for_user(
        self, user_id: UUID, *, unread_only: bool, after: Position | None, limit: int
    ) -> list[Notification]:
        """Newest first, strictly after `after`."""
        ...

    async def unread_count(self, user_id: UUID) -> int: ...

    async def mark_read(
        self, user_id: UUID, notification_id: UUID, at: datetime
    ) -> Notification | None:
        """Mark one of the user's notifications read (keeping an earlier `read_at`); None when
        the user has no such notification."""
        ...

    async def mark_all_read(self, user_id: UUID, at: datetime) -> int:
        """Mark every unread notification of the user read; returns how many."""
        ...

    async def delete_all(self) -> int: ...
