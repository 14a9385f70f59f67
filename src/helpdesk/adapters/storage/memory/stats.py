"""Reports over the in-memory tables, computed the way the SQL adapters compute them."""

from __future__ import annotations

from collections import Counter
from uuid import UUID

from helpdesk.adapters.storage.memory.store import Transaction
from helpdesk.application.ports.storage.stats import (
    AgentWorkload,
    CategoryQuality,
    DepartmentOverrides,
    ModeCounts,
    StatsWindow,
)
from helpdesk.domain.reporting import confidence_bin
from helpdesk.domain.routing_quality import STEPS, Evidence, confidence_step, ticket_verdict
from helpdesk.domain.taxonomy import Category, Role, RoutingMode, TicketStatus
from helpdesk.domain.ticket import Ticket


class MemoryStatsRepository:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def _tickets(self, window: StatsWindow) -> list[Ticket]:
        return [
            t
            for t in self._tx.read("tickets").values()
            if (window.department_id is None or t.department_id == window.department_id)
            and (window.created_from is None or t.created_at >= window.created_from)
            and (window.created_to is None or t.created_at < window.created_to)
        ]

    async def routing_modes(self, window: StatsWindow) -> ModeCounts:
        tickets = self._tickets(window)
        modes = Counter(t.router_mode for t in tickets)
        return ModeCounts(
            total=len(tickets),
            auto=modes[RoutingMode.AUTO],
            suggested=modes[RoutingMode.SUGGESTED],
            manual=modes[RoutingMode.MANUAL],
            overridden=sum(1 for t in tickets if t.routing_overridden),
        )

    async def confidence_histogram(self, window: StatsWindow, bins: int) -> tuple[list[int], int]:
        counts = [0] * bins
        unclassified = 0
        for ticket in self._tickets(window):
            if ticket.routing_confidence is None:
                unclassified += 1
            else:
                counts[confidence_bin(ticket.routing_confidence, bins)] += 1
        return counts, unclassified

    async def taxonomy(self, window: StatsWindow) -> tuple[dict[Category, int], int]:
        tickets = self._tickets(window)
        counts = Counter(t.classification.category for t in tickets if t.classification)
        return dict(counts), sum(1 for t in tickets if t.classification is None)

    async def override_rate(self, window: StatsWindow) -> list[DepartmentOverrides]:
        tickets = self._tickets(window)
        departments = [
            d
            for d in self._tx.read("departments").values()
            if window.department_id is None or d.id == window.department_id
        ]
        return [
            DepartmentOverrides(
                department_id=d.id,
                name=d.name,
                total=sum(1 for t in tickets if t.department_id == d.id),
                overridden=sum(
                    1 for t in tickets if t.department_id == d.id and t.routing_overridden
                ),
            )
            for d in sorted(departments, key=lambda d: (d.name, d.id.int))
        ]

    async def agent_workload(self, department_id: UUID | None) -> list[AgentWorkload]:
        agents = [
            p
            for p in self._tx.read("profiles").values()
            if p.role is Role.AGENT
            and p.is_active
            and (department_id is None or p.department_id == department_id)
        ]
        per_agent = Counter(
            (t.assigned_agent_id, t.status)
            for t in self._tx.read("tickets").values()
            if t.assigned_agent_id is not None
        )
        return [
            AgentWorkload(
                agent_id=a.id,
                full_name=a.full_name,
                department_id=a.department_id,
                open=per_agent[(a.id, TicketStatus.OPEN)],
                in_progress=per_agent[(a.id, TicketStatus.IN_PROGRESS)],
                waiting=per_agent[(a.id, TicketStatus.WAITING)],
            )
            for a in sorted(agents, key=lambda a: (a.full_name, a.id.int))
        ]

    async def routing_quality(self, window: StatsWindow) -> list[CategoryQuality]:
        counts: dict[Category, Counter[str]] = {}
        for t in self._tickets(window):
            judged = ticket_verdict(t)
            if t.classification is not None:
                c = counts.setdefault(t.classification.category, Counter())
                if t.router_mode is RoutingMode.AUTO:
                    group = "auto"
                    c["auto_moved"] += t.moved_by_human
                elif t.router_mode is RoutingMode.SUGGESTED:
                    group = "shadow" if t.router_shadow else "suggested"
                else:
                    group = ""
                if group:
                    c[group] += 1
                    c[f"{group}_judged"] += judged is not None
                    c[f"{group}_right"] += judged is True
            if t.human_category is not None:
                h = counts.setdefault(t.human_category, Counter())
                h["labelled"] += 1
                h["model_agreed"] += t.category == t.human_category
        return [
            CategoryQuality(
                category,
                auto_routed=c["auto"],
                auto_moved=c["auto_moved"],
                auto_judged=c["auto_judged"],
                auto_correct=c["auto_right"],
                suggested=c["suggested"],
                suggested_judged=c["suggested_judged"],
                suggested_accepted=c["suggested_right"],
                shadow=c["shadow"],
                shadow_judged=c["shadow_judged"],
                shadow_correct=c["shadow_right"],
                labelled=c["labelled"],
                model_agreed=c["model_agreed"],
            )
            for category, c in counts.items()
        ]

    async def routing_evidence(self, window: StatsWindow) -> list[Evidence]:
        counted: Counter[tuple[Category, int, bool]] = Counter()
        for t in self._tickets(window):
            judged = ticket_verdict(t)
            if judged is not None and t.classification is not None:
                step = confidence_step(t.classification.confidence)
                counted[(t.classification.category, step, judged)] += 1
        return [
            Evidence(category, step / STEPS, judged, n)
            for (category, step, judged), n in counted.items()
        ]
