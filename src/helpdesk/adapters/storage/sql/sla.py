"""Service levels in SQL: policies, calendars, the SLA pass's reads and markers, and the SLA
states as column expressions (docs/sla.md, "What the storage side can compute from it")."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    Float,
    and_,
    bindparam,
    case,
    cast,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.engine import RowMapping

from helpdesk.adapters.storage.sql import rows
from helpdesk.adapters.storage.sql.connection import SqlConnection
from helpdesk.adapters.storage.sql.repositories import ReferenceData, _Repository
from helpdesk.adapters.storage.sql.sla_states import _at
from helpdesk.adapters.storage.sql.tables import (
    department_calendars,
    sla_crossings,
    sla_policies,
    tickets,
)
from helpdesk.application.ports.storage.sla import SlaAttainment
from helpdesk.application.ports.storage.stats import StatsWindow
from helpdesk.domain.reporting import MEDIAN, P90
from helpdesk.domain.sla.business_calendar import BusinessCalendar
from helpdesk.domain.sla.clock import Crossing
from helpdesk.domain.sla.policy import BreachActions, Recipient, SlaPolicy
from helpdesk.domain.taxonomy import Category, Priority
from helpdesk.domain.ticket import Ticket


def policy_values(p: SlaPolicy) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name,
        "priority": str(p.priority),
        "department_id": p.department_id,
        "category": str(p.category) if p.category is not None else None,
        "first_response_minutes": p.first_response_minutes,
        "resolution_minutes": p.resolution_minutes,
        "warning_percent": p.warning_percent,
        "notify": [str(r) for r in p.on_breach.notify],
        "raise_priority": p.on_breach.raise_priority,
        "release": p.on_breach.release,
        "is_active": p.is_active,
        "created_at": p.created_at,
    }


def policy_from(row: RowMapping) -> SlaPolicy:
    return SlaPolicy(
        id=row["id"],
        name=row["name"],
        priority=Priority(row["priority"]),
        department_id=row["department_id"],
        category=Category(row["category"]) if row["category"] is not None else None,
        first_response_minutes=row["first_response_minutes"],
        resolution_minutes=row["resolution_minutes"],
        warning_percent=row["warning_percent"],
        on_breach=BreachActions(
            notify=tuple(Recipient(r) for r in row["notify"]),
            raise_priority=row["raise_priority"],
            release=row["release"],
        ),
        is_active=row["is_active"],
        created_at=row["created_at"],
    )


def calendar_values(department_id: UUID, c: BusinessCalendar) -> dict[str, Any]:
    return {
        "department_id": department_id,
        "timezone": c.timezone,
        "working_days": list(c.working_days),
        "start": c.start,
        "end": c.end,
        "holidays": [d.isoformat() for d in c.holidays],
    }


def calendar_from(row: RowMapping) -> BusinessCalendar:
    return BusinessCalendar(
        timezone=row["timezone"],
        working_days=tuple(int(d) for d in row["working_days"]),
        start=row["start"],
        end=row["end"],
        holidays=tuple(date.fromisoformat(d) for d in row["holidays"]),
    )


# Read by every create, built once (see the hot statements in repositories.py).
_POLICIES = select(sla_policies).order_by(sla_policies.c.created_at, sla_policies.c.id)
_CALENDAR = select(department_calendars).where(
    department_calendars.c.department_id == bindparam("department_id")
)


class SqlSlaRepository(_Repository):
    def __init__(self, conn: SqlConnection, reference: ReferenceData) -> None:
        super().__init__(conn)
        self._reference = reference

    async def policies(self) -> list[SlaPolicy]:
        async def load() -> tuple[SlaPolicy, ...]:
            return tuple(policy_from(r._mapping) for r in await self._conn.execute(_POLICIES))

        return list(await self._reference.read("sla_policies", load))

    async def get_policy(self, policy_id: UUID) -> SlaPolicy | None:
        query = select(sla_policies).where(sla_policies.c.id == policy_id)
        row = (await self._conn.execute(query)).first()
        return policy_from(row._mapping) if row else None

    async def add_policy(self, policy: SlaPolicy) -> None:
        await self._reference.wrote()
        await self._conn.execute(insert(sla_policies).values(policy_values(policy)))

    async def update_policy(self, policy: SlaPolicy) -> None:
        await self._reference.wrote()
        values = policy_values(policy)
        del values["id"]
        await self._conn.execute(
            update(sla_policies).where(sla_policies.c.id == policy.id).values(values)
        )

    async def delete_policy(self, policy_id: UUID) -> None:
        await self._reference.wrote()
        await self._conn.execute(delete(sla_policies).where(sla_policies.c.id == policy_id))

    async def calendar(self, department_id: UUID) -> BusinessCalendar | None:
        async def load() -> BusinessCalendar | None:
            found = await self._conn.execute(_CALENDAR, {"department_id": department_id})
            row = found.first()
            return calendar_from(row._mapping) if row else None

        return await self._reference.read(("calendar", department_id), load)

    async def set_calendar(self, department_id: UUID, calendar: BusinessCalendar) -> None:
        await self._reference.wrote()
        values = calendar_values(department_id, calendar)
        stmt = self._dialect_insert(department_calendars).values(values)
        del values["department_id"]
        await self._conn.execute(
            stmt.on_conflict_do_update(index_elements=["department_id"], set_=values)
        )

    async def due_for_check(self, now: datetime, limit: int) -> list[UUID]:
        query = (
            select(tickets.c.id)
            .where(tickets.c.sla_next_check_at.is_not(None), tickets.c.sla_next_check_at <= now)
            .order_by(tickets.c.sla_next_check_at)
            .limit(limit)
        )
        return list((await self._conn.execute(query)).scalars())

    async def claim_due(self, ticket_id: UUID, now: datetime) -> Ticket | None:
        # SKIP LOCKED: a ticket another pass (or a user's change) holds is left to it; the
        # pass that holds it moves its next check on, so nobody acts on it twice.
        query = (
            select(tickets)
            .where(
                tickets.c.id == ticket_id,
                tickets.c.sla_next_check_at.is_not(None),
                tickets.c.sla_next_check_at <= now,
            )
            .with_for_update(key_share=True, skip_locked=True)
        )
        row = (await self._conn.execute(query)).first()
        return rows.ticket_from(row._mapping) if row else None

    async def mark_crossing(
        self, ticket_id: UUID, crossing: Crossing, due_at: datetime, acted_at: datetime
    ) -> bool:
        return await self._insert_new(
            sla_crossings,
            {
                "ticket_id": ticket_id,
                "target": str(crossing.target),
                "point": str(crossing.point),
                "due_at": due_at,
                "acted_at": acted_at,
            },
        )

    async def attainment(self, window: StatsWindow, now: datetime) -> list[SlaAttainment]:
        c = tickets.c
        where: list[ColumnElement[bool]] = [c.resolution_due_at.is_not(None)]
        if window.department_id is not None:
            where.append(c.department_id == window.department_id)
        if window.created_from is not None:
            where.append(c.created_at >= window.created_from)
        if window.created_to is not None:
            where.append(c.created_at < window.created_to)
        group = (c.department_id, c.priority)
        instant = func.coalesce(c.resolved_at, c.sla_paused_since, _at(now))
        responded = c.first_responded_at.is_not(None)

        def count_of(condition: ColumnElement[bool]) -> Any:
            return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

        counts = (
            select(
                *group,
                func.count(),
                count_of(and_(responded, c.first_responded_at <= c.first_response_due_at)),
                count_of(
                    or_(
                        and_(responded, c.first_responded_at > c.first_response_due_at),
                        and_(c.first_responded_at.is_(None), instant > c.first_response_due_at),
                    )
                ),
                count_of(and_(c.resolved_at.is_not(None), c.resolved_at <= c.resolution_due_at)),
                count_of(instant > c.resolution_due_at),
            )
            .where(*where)
            .group_by(*group)
        )
        found: dict[tuple[UUID | None, str], list[Any]] = {
            (r[0], r[1]): [int(n) for n in r[2:]] for r in await self._conn.execute(counts)
        }
        times: dict[tuple[UUID | None, str], list[float | None]] = {}
        for column in (c.first_response_working_us, c.resolution_working_us):
            for key, values in (await self._percentiles(column, where)).items():
                times.setdefault(key, [None] * 4)
                offset = 0 if column is c.first_response_working_us else 2
                times[key][offset : offset + 2] = values
        return [
            SlaAttainment(key[0], Priority(key[1]), *numbers, *times.get(key, [None] * 4))
            for key, numbers in found.items()
        ]

    async def _percentiles(
        self, column: Any, where: list[ColumnElement[bool]]
    ) -> dict[tuple[UUID | None, str], list[float | None]]:
        """Median and p90 of `column` (microseconds) in minutes per department and priority:
        linear interpolation between the nearest ranks (`domain.reporting.percentile`), the
        ranks found with integer arithmetic so that SQLite and PostgreSQL agree."""
        c = tickets.c
        by = (c.department_id, c.priority)
        ranked = (
            select(
                *by,
                column.label("x"),
                (func.row_number().over(partition_by=by, order_by=column) - 1).label("rn"),
                func.count().over(partition_by=by).label("n"),
            )
            .where(*where, column.is_not(None))
            .subquery()
        )
        r = ranked.c
        picks: list[Any] = []
        for num, den in (MEDIAN, P90):
            scaled = (r.n - 1) * num
            low = scaled // den
            below = func.max(case((r.rn == low, r.x)))
            above = func.coalesce(func.max(case((r.rn == low + 1, r.x))), below)
            fraction = func.max(cast(scaled % den, Float) / den)
            picks.append((below + fraction * (above - below)) / 60_000_000.0)
        query = select(r.department_id, r.priority, *picks).group_by(r.department_id, r.priority)
        return {
            (row[0], row[1]): [float(v) if v is not None else None for v in row[2:]]
            for row in await self._conn.execute(query)
        }
