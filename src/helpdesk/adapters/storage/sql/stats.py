"""Reports computed by the database."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
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
    null,
    select,
    true,
)

from helpdesk.adapters.storage.sql.repositories import _Repository, is_active_ticket
from helpdesk.adapters.storage.sql.tables import (
    departments,
    profiles,
    ticket_daily_counts,
    tickets,
)
from helpdesk.application.ports.storage.stats import (
    AgentWorkload,
    CategoryQuality,
    DepartmentOverrides,
    ModeCounts,
    StatsWindow,
)
from helpdesk.domain.reporting import MICROS
from helpdesk.domain.routing_quality import STEP_TOLERANCE, STEPS, Evidence
from helpdesk.domain.taxonomy import (
    FINISHED_STATUSES,
    Category,
    Role,
    RoutingMode,
    TicketStatus,
)


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


# The daily counts keep confidences in tenths: finer would multiply their rows (a report sums
# them), and the default ten bins need no more.
DECILES = 10


def _count_if(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _verdict() -> Any:
    """domain.routing_quality.verdict, as SQL: 1 right, 0 wrong, NULL no verdict."""
    c = tickets.c
    return case(
        (c.category.is_(None), null()),
        (c.human_category.is_not(None), case((c.human_category == c.category, 1), else_=0)),
        (c.router_mode == str(RoutingMode.MANUAL), null()),
        (c.moved_by_human.is_(True), 0),
        (
            and_(
                c.router_mode == str(RoutingMode.AUTO),
                c.status.in_(sorted(str(s) for s in FINISHED_STATUSES)),
            ),
            1,
        ),
        (
            and_(
                c.router_mode == str(RoutingMode.SUGGESTED),
                c.status != str(TicketStatus.TRIAGE),
            ),
            1,
        ),
        else_=null(),
    )


@dataclass(frozen=True, slots=True)
class _Split:
    """A report window cut into whole UTC days, read from `ticket_daily_counts`, and the
    partial days at its edges, read from the tickets themselves."""

    counted: bool  # whether any whole days are read from the daily counts
    first_day: str | None  # inclusive, YYYY-MM-DD
    end_day: str | None  # exclusive
    edges: tuple[StatsWindow, ...]


def _midnight(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def _split(window: StatsWindow) -> _Split:
    start, end = window.created_from, window.created_to
    first = None if start is None else _midnight(start)
    if first is not None and start is not None and first < start:
        if first.date() == date.max:  # the calendar's last day: no whole day follows it
            return _Split(False, None, None, (window,))
        first += timedelta(days=1)
    last = None if end is None else _midnight(end)
    if first is not None and last is not None and first >= last:
        return _Split(False, None, None, (window,))  # less than a whole day
    edges = []
    if start is not None and first is not None and start < first:
        edges.append(replace(window, created_to=first))
    if end is not None and last is not None and last < end:
        edges.append(replace(window, created_from=last))
    return _Split(
        True,
        None if first is None else first.date().isoformat(),
        None if last is None else last.date().isoformat(),
        tuple(edges),
    )


def _daily(window: StatsWindow, split: _Split) -> list[ColumnElement[bool]]:
    d = ticket_daily_counts.c
    conditions: list[ColumnElement[bool]] = []
    if window.department_id is not None:
        conditions.append(d.department_id == window.department_id)
    if split.first_day is not None:
        conditions.append(d.day >= split.first_day)
    if split.end_day is not None:
        conditions.append(d.day < split.end_day)
    return conditions


class SqlStatsRepository(_Repository):
    """Whole days come from `ticket_daily_counts` (kept by triggers in the same transaction
    as every ticket change), the partial days at a window's edges from the tickets; both are
    exact, so every report equals a count over the tickets themselves."""

    async def _sums(self, split: _Split, window: StatsWindow, *keys: Any) -> list[Any]:
        if not split.counted:
            return []
        query = (
            select(*keys, func.sum(ticket_daily_counts.c.tickets))
            .where(*_daily(window, split))
            .group_by(*keys)
        )
        return [(*row[:-1], int(row[-1])) for row in await self._conn.execute(query)]

    async def routing_modes(self, window: StatsWindow) -> ModeCounts:
        split = _split(window)
        d = ticket_daily_counts.c
        total, overridden = 0, 0
        modes: Counter[str] = Counter()
        for mode, is_overridden, n in await self._sums(
            split, window, d.router_mode, d.routing_overridden
        ):
            total += n
            modes[mode] += n
            overridden += n if is_overridden else 0
        for edge in split.edges:
            part = await self._routing_modes(edge)
            total += part.total
            modes.update(
                {
                    RoutingMode.AUTO: part.auto,
                    RoutingMode.SUGGESTED: part.suggested,
                    RoutingMode.MANUAL: part.manual,
                }
            )
            overridden += part.overridden
        return ModeCounts(
            total,
            modes[RoutingMode.AUTO],
            modes[RoutingMode.SUGGESTED],
            modes[RoutingMode.MANUAL],
            overridden,
        )

    async def _routing_modes(self, window: StatsWindow) -> ModeCounts:
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
        if DECILES % bins:
            # A bin edge falls inside a tenth: count the tickets themselves.
            return await self._histogram(window, bins)
        split = _split(window)
        counts, unclassified = [0] * bins, 0
        per_bin = DECILES // bins
        for decile, n in await self._sums(split, window, ticket_daily_counts.c.confidence_decile):
            if decile < 0:
                unclassified += n
            else:
                # floor(micros × bins / 10⁶) = floor(decile / per_bin) when bins divides 10.
                counts[min(decile // per_bin, bins - 1)] += n
        for edge in split.edges:
            part, none = await self._histogram(edge, bins)
            counts = [a + b for a, b in zip(counts, part, strict=True)]
            unclassified += none
        return counts, unclassified

    async def _histogram(self, window: StatsWindow, bins: int) -> tuple[list[int], int]:
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
        split = _split(window)
        counts: Counter[str] = Counter()
        for category, n in await self._sums(split, window, ticket_daily_counts.c.category):
            counts[category] += n
        for edge in split.edges:
            query = (
                select(tickets.c.category, func.count())
                .where(*_window(edge))
                .group_by(tickets.c.category)
            )
            for category, n in await self._conn.execute(query):
                counts[category or ""] += int(n)
        unclassified = counts.pop("", 0)
        return {Category(c): n for c, n in counts.items() if n}, unclassified

    def _by_name(self, column: Any) -> Any:
        # Code-point order, as Python sorts: PostgreSQL's locale collation would differ.
        return column.collate("C") if self._postgres else column

    async def override_rate(self, window: StatsWindow) -> list[DepartmentOverrides]:
        split = _split(window)
        d = ticket_daily_counts.c
        totals: Counter[UUID] = Counter()
        overridden: Counter[UUID] = Counter()
        for department_id, is_overridden, n in await self._sums(
            split, window, d.department_id, d.routing_overridden
        ):
            totals[department_id] += n
            if is_overridden:
                overridden[department_id] += n
        for edge in split.edges:
            query = (
                select(
                    tickets.c.department_id,
                    func.count(),
                    _count_if(tickets.c.routing_overridden.is_(True)),
                )
                .where(tickets.c.department_id.is_not(None), *_window(edge))
                .group_by(tickets.c.department_id)
            )
            for department_id, n, o in await self._conn.execute(query):
                totals[department_id] += int(n)
                overridden[department_id] += int(o)
        query = (
            select(departments.c.id, departments.c.name)
            .where(
                departments.c.id == window.department_id
                if window.department_id is not None
                else true()
            )
            .order_by(self._by_name(departments.c.name), departments.c.id)
        )
        return [
            DepartmentOverrides(
                department_id, name, totals[department_id], overridden[department_id]
            )
            for department_id, name in await self._conn.execute(query)
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

    async def routing_quality(self, window: StatsWindow) -> list[CategoryQuality]:
        c = tickets.c
        # The verdict once per ticket (from the covering index), counted per category and the
        # few routing outcomes; the outcomes are folded into the report's figures here.
        judged = (
            select(
                c.category,
                c.router_mode,
                c.router_shadow,
                c.moved_by_human,
                _verdict().label("verdict"),
            )
            .where(c.category.is_not(None), *_window(window))
            .subquery()
        )
        j = judged.c
        outcomes = select(
            j.category,
            j.router_mode,
            j.router_shadow,
            j.moved_by_human,
            func.count(),
            func.count(j.verdict),
            _count_if(j.verdict == 1),
        ).group_by(j.category, j.router_mode, j.router_shadow, j.moved_by_human)
        found: dict[str, Counter[str]] = {}
        for category, mode, shadow, moved, n, judged_n, right in await self._conn.execute(outcomes):
            counts = found.setdefault(category, Counter())
            if mode == str(RoutingMode.AUTO):
                group = "auto"
            elif mode == str(RoutingMode.SUGGESTED):
                group = "shadow" if shadow else "suggested"
            else:
                continue
            counts[group] += int(n)
            counts[f"{group}_judged"] += int(judged_n)
            counts[f"{group}_right"] += int(right)
            if group == "auto" and moved:
                counts["auto_moved"] += int(n)
        labelled = (
            select(c.human_category, func.count(), _count_if(c.category == c.human_category))
            .where(c.human_category.is_not(None), *_window(window))
            .group_by(c.human_category)
        )
        for category, n, agreed in await self._conn.execute(labelled):
            counts = found.setdefault(category, Counter())
            counts["labelled"], counts["model_agreed"] = int(n), int(agreed)
        return [
            CategoryQuality(
                Category(category),
                auto_routed=n["auto"],
                auto_moved=n["auto_moved"],
                auto_judged=n["auto_judged"],
                auto_correct=n["auto_right"],
                suggested=n["suggested"],
                suggested_judged=n["suggested_judged"],
                suggested_accepted=n["suggested_right"],
                shadow=n["shadow"],
                shadow_judged=n["shadow_judged"],
                shadow_correct=n["shadow_right"],
                labelled=n["labelled"],
                model_agreed=n["model_agreed"],
            )
            for category, n in found.items()
        ]

    async def routing_evidence(self, window: StatsWindow) -> list[Evidence]:
        c = tickets.c
        # domain.routing_quality.confidence_step, as SQL (CAST truncates on SQLite, which is
        # floor for these non-negative values).
        shifted = c.routing_confidence * STEPS + STEP_TOLERANCE
        step = cast(func.floor(shifted), Integer) if self._postgres else cast(shifted, Integer)
        judged = (
            select(c.category, step.label("step"), _verdict().label("verdict"))
            .where(c.category.is_not(None), c.routing_confidence.is_not(None), *_window(window))
            .subquery()
        )
        j = judged.c
        query = (
            select(j.category, j.step, j.verdict, func.count())
            .where(j.verdict.is_not(None))
            .group_by(j.category, j.step, j.verdict)
        )
        return [
            Evidence(Category(category), int(at) / STEPS, bool(right), int(n))
            for category, at, right, n in await self._conn.execute(query)
        ]
