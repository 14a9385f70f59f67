"""Storage port: departments."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from helpdesk.domain.departments import Department


class DepartmentRepository(Protocol):
    async def get(self, department_id: UUID) -> Department | None: ...

    async def all(self) -> list[Department]:
        """All departments, active or not, by slug."""
        ...

    async def add(self, department: Department) -> None:
        """Insert; DuplicateKey when the slug is taken."""
        ...

    async def update(self, department: Department) -> None: ...
