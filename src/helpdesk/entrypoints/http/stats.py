"""`/api/v1/stats`: routing reports (admins all, agents their department)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from helpdesk.application.stats import (
    MAX_BINS,
    AgentWorkloadReport,
    ConfidenceHistogramReport,
    OverrideRateReport,
    Period,
    RoutingModesReport,
    RoutingQualityReport,
    SlaReport,
    TaxonomyReport,
)
from helpdesk.domain.people import Actor
from helpdesk.entrypoints.http.auth import staff_only
from helpdesk.entrypoints.http.params import as_utc, documented_range
from helpdesk.entrypoints.http.problems import ERRORS
from helpdesk.entrypoints.http.schemas.stats import (
    AgentWorkloadOut,
    BinOut,
    CategoryCountOut,
    CategoryQualityOut,
    DepartmentRateOut,
    HistogramOut,
    ModesOut,
    OverrideRateOut,
    RoutingModesOut,
    RoutingQualityOut,
    SlaRowOut,
    SlaStatsOut,
    TaxonomyOut,
    WorkloadOut,
)

AnyRequest = Request[Actor, Any, Any]
From = Annotated[datetime | None, QueryParameter(name="from", description="created at or after")]
To = Annotated[datetime | None, QueryParameter(name="to", description="created before")]


def _period(start: datetime | None, end: datetime | None) -> Period:
    return Period(as_utc(start, "from"), as_utc(end, "to"))


class StatsController(Controller):
    path = "/api/v1/stats"
    tags = ("stats",)
    guards = (staff_only,)

    @get(
        "/routing-modes",
        summary="Tickets by the router's own decision",
        responses=ERRORS,
        operation_id="getRoutingModes",
    )
    async def routing_modes(
        self,
        request: AnyRequest,
        routing_modes_report: NamedDependency[RoutingModesReport],
        start: From = None,
        end: To = None,
    ) -> RoutingModesOut:
        c = await routing_modes_report.execute(request.user, _period(start, end))
        return RoutingModesOut(c.total, ModesOut(c.auto, c.suggested, c.manual), c.overridden)

    @get(
        "/confidence-histogram",
        summary="Routing confidence in equal bins over [0, 1]",
        responses=ERRORS,
        operation_id="getConfidenceHistogram",
    )
    async def confidence_histogram(
        self,
        request: AnyRequest,
        confidence_histogram_report: NamedDependency[ConfidenceHistogramReport],
        bins: Annotated[int, documented_range(1, MAX_BINS, f"how many bins, 1–{MAX_BINS}")] = 10,
        start: From = None,
        end: To = None,
    ) -> HistogramOut:
        h = await confidence_histogram_report.execute(request.user, _period(start, end), bins)
        return HistogramOut([BinOut(b.lower, b.upper, b.count) for b in h.bins], h.unclassified)

    @get(
        "/taxonomy",
        summary="Tickets per classified category",
        responses=ERRORS,
        operation_id="getTaxonomy",
    )
    async def taxonomy(
        self,
        request: AnyRequest,
        taxonomy_report: NamedDependency[TaxonomyReport],
        start: From = None,
        end: To = None,
    ) -> TaxonomyOut:
        t = await taxonomy_report.execute(request.user, _period(start, end))
        return TaxonomyOut([CategoryCountOut(c, n) for c, n in t.categories], t.unclassified)

    @get(
        "/override-rate",
        summary="Overridden share per current department",
        responses=ERRORS,
        operation_id="getOverrideRate",
    )
    async def override_rate(
        self,
        request: AnyRequest,
        override_rate_report: NamedDependency[OverrideRateReport],
        start: From = None,
        end: To = None,
    ) -> OverrideRateOut:
        rows = await override_rate_report.execute(request.user, _period(start, end))
        return OverrideRateOut(
            [
                DepartmentRateOut(r.department_id, r.name, r.total, r.overridden, r.rate)
                for r in rows
            ]
        )

    @get(
        "/sla",
        summary="Service levels met and breached, and working minutes, per department and priority",
        operation_id="getSlaReport",
        responses=ERRORS,
    )
    async def sla(
        self,
        request: AnyRequest,
        sla_report: NamedDependency[SlaReport],
        start: From = None,
        end: To = None,
    ) -> SlaStatsOut:
        rows = await sla_report.execute(request.user, _period(start, end))

        def minutes(value: float | None) -> float | None:
            return None if value is None else round(value, 2)

        return SlaStatsOut(
            [
                SlaRowOut(
                    r.department_id,
                    r.priority,
                    r.total,
                    r.first_response_met,
                    r.first_response_breached,
                    r.resolution_met,
                    r.resolution_breached,
                    minutes(r.median_first_response_minutes),
                    minutes(r.p90_first_response_minutes),
                    minutes(r.median_resolution_minutes),
                    minutes(r.p90_resolution_minutes),
                )
                for r in rows
            ]
        )

    @get(
        "/routing-quality",
        summary="Per category: how automatic routing, suggestions and shadow decisions fared",
        responses=ERRORS,
        operation_id="getRoutingQuality",
    )
    async def routing_quality(
        self,
        request: AnyRequest,
        routing_quality_report: NamedDependency[RoutingQualityReport],
        start: From = None,
        end: To = None,
    ) -> RoutingQualityOut:
        rows = await routing_quality_report.execute(request.user, _period(start, end))
        return RoutingQualityOut(
            [
                CategoryQualityOut(
                    category=q.category,
                    auto_routed=q.auto_routed,
                    moved=q.auto_moved,
                    auto_judged=q.auto_judged,
                    auto_precision=q.auto_precision,
                    suggested=q.suggested,
                    suggested_judged=q.suggested_judged,
                    suggested_acceptance=q.suggested_acceptance,
                    shadow=q.shadow,
                    shadow_judged=q.shadow_judged,
                    shadow_precision=q.shadow_precision,
                    labelled=q.labelled,
                    model_accuracy=q.model_accuracy,
                )
                for q in rows
            ]
        )

    @get(
        "/agent-workload",
        summary="Active tickets per agent",
        responses=ERRORS,
        operation_id="getAgentWorkload",
    )
    async def agent_workload(
        self, request: AnyRequest, agent_workload_report: NamedDependency[AgentWorkloadReport]
    ) -> WorkloadOut:
        rows = await agent_workload_report.execute(request.user)
        return WorkloadOut(
            [
                AgentWorkloadOut(
                    r.agent_id,
                    r.full_name,
                    r.department_id,
                    r.open,
                    r.in_progress,
                    r.waiting,
                    r.total_active,
                )
                for r in rows
            ]
        )
