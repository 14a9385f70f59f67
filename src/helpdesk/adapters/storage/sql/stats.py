"""Reports computed by the database, one query each."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Integer,
    and_,
    case,
    cast,
    func,
    select,
    true,
)

from helpdesk.adapters.storage.sql.repositories import _Repository, is_active_ticket
from helpdesk.adapters.storage.sql.tables import departments, profiles, tickets
from helpdesk.application.ports.storage import (
    AgentWorkload,
    DepartmentOverrides,
    ModeCounts,
    StatsWindow,
)
from helpdesk.domain.reporting import MICROS
from helpdesk.domain.taxonomy import Category, Role, RoutingMode, TicketStatus


def _window(window: StatsWindow) -> list[ColumnElement[bool]]:
    c = tickets.c
    conditions: list[ColumnElement[bool]] = []
    if window.department_id is not None:
        conditions.append(c.department_id == window.department_id)
    if window.created_from is not None:
        conditions.append(c.created_at >= window.created_from)
    if window.created_to is not None:
        conditions.append(c.created_at < window.created_to)
    return conditions


def _count_if(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


class SqlStatsRepository(_Repository):
    async def routing_modes(self, window: StatsWindow) -> ModeCounts:
        c = tickets.c
        query = select(
            func.count(),
            _count_if(c.router_mode == str(RoutingMode.AUTO)),
            _count_if(c.router_mode == str(RoutingMode.SUGGESTED)),
            _count_if(c.router_mode == str(RoutingMode.MANUAL)),
            _count_if(c.routing_overridden.is_(True)),
        ).where(*_window(window))
        total, auto, suggested, manual, overridden = (await self._conn.execute(query)).one()
        return ModeCounts(int(total), int(auto), int(suggested), int(manual), int(overridden))

    def _bin(self, bins: int) -> Any:
        # domain.reporting.confidence_bin, as SQL:
        # micro-units rounded half up, then floor(c × bins), capped at the last bin.
        shifted = tickets.c.routing_confidence * MICROS + 0.5
        # CAST truncates on SQLite, which is floor for these non-negative values.
        scaled = cast(func.floor(shifted), BigInteger) if self._postgres else cast(shifted, Integer)
        raw = (scaled * bins) // MICROS  # integer division on both engines
        return case((raw >= bins - 1, bins - 1), else_=raw)

    async def confidence_histogram(self, window: StatsWindow, bins: int) -> tuple[list[int], int]:
        which = self._bin(bins).label("bin")
        query = select(which, func.count()).where(*_window(window)).group_by(which)
        counts, unclassified = [0] * bins, 0
        for b, n in await self._conn.execute(query):
            if b is None:
                unclassified = int(n)
            else:
                counts[int(b)] = int(n)
        return counts, unclassified

    async def taxonomy(self, window: StatsWindow) -> tuple[dict[Category, int], int]:
        query = (
            select(tickets.c.category, func.count())
            .where(*_window(window))
            .group_by(tickets.c.category)
        )
        counts: dict[Category, int] = {}
        unclassified = 0
        for category, n in await self._conn.execute(query):
            if category is None:
                unclassified = int(n)
            else:
                counts[Category(category)] = int(n)
        return counts, unclassified

    def _by_name(self, column: Any) -> Any:
        # Code-point order, as Python sorts: PostgreSQL's locale collation would differ.
        return column.collate("C") if self._postgres else column

    async def override_rate(self, window: StatsWindow) -> list[DepartmentOverrides]:
        # Count per department first (from the reporting index), then name the departments:
        # joining every ticket to its department before grouping read the table itself.
        per_department = (
            select(
                tickets.c.department_id,
                func.count().label("total"),
                _count_if(tickets.c.routing_overridden.is_(True)).label("overridden"),
            )
            .where(tickets.c.department_id.is_not(None), *_window(window))
            .group_by(tickets.c.department_id)
            .subquery()
        )
        query = (
            select(
                departments.c.id,
                departments.c.name,
                func.coalesce(per_department.c.total, 0),
                func.coalesce(per_department.c.overridden, 0),
            )
            .select_from(
                departments.outerjoin(
                    per_department, per_department.c.department_id == departments.c.id
                )
            )
            .where(
                departments.c.id == window.department_id
                if window.department_id is not None
                else true()
            )
            .order_by(self._by_name(departments.c.name), departments.c.id)
        )
        return [
            DepartmentOverrides(department_id, name, int(total), int(overridden))
            for department_id, name, total, overridden in await self._conn.execute(query)
        ]

    async def agent_workload(self, department_id: UUID | None) -> list[AgentWorkload]:
        s = tickets.c.status
        query = (
            select(
                profiles.c.id,
                profiles.c.full_name,
                profiles.c.department_id,
                _count_if(s == str(TicketStatus.OPEN)),
                _count_if(s == str(TicketStatus.IN_PROGRESS)),
                _count_if(s == str(TicketStatus.WAITING)),
            )
            # Only active tickets are counted: joining them alone reads the partial index of
            # active tickets instead of every ticket an agent ever had.
            .select_from(
                profiles.outerjoin(
                    tickets,
                    and_(tickets.c.assigned_agent_id == profiles.c.id, is_active_ticket()),
                )
            )
            .where(
                profiles.c.role == str(Role.AGENT),
                profiles.c.is_active.is_(True),
                profiles.c.department_id == department_id if department_id is not None else true(),
            )
            .group_by(profiles.c.id, profiles.c.full_name, profiles.c.department_id)
            .order_by(self._by_name(profiles.c.full_name), profiles.c.id)
        )
        return [
            AgentWorkload(agent_id, name, dept, int(o), int(p), int(w))
            for agent_id, name, dept, o, p, w in await self._conn.execute(query)
        ]
