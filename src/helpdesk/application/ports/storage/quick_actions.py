"""Storage port: quick actions."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from helpdesk.domain.records import QuickAction


class QuickActionRepository(Protocol):
    async def all(self) -> list[QuickAction]:
        """Ordered by position, then id."""
        ...

    async def get(self, action_id: UUID) -> QuickAction | None: ...

    async def add(self, action: QuickAction) -> None: ...

    async def update(self, action: QuickAction) -> None: ...

    async def delete(self, action_id: UUID) -> bool: ...

    async def replace_all(self, actions: list[QuickAction]) -> None:
        """Delete every quick action and insert these (the dev reseed utility)."""
        ...
