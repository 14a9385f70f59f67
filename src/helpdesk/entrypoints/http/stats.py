"""`/api/v1/stats`: routing reports, and the admin utilities under `/dev` when enabled."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, delete, get, post
from litestar.params import FromQuery, JSONBody, QueryParameter

from helpdesk.application.stats import Period
from helpdesk.domain.people import Actor
from helpdesk.domain.permissions import ADMINS, require_role
from helpdesk.entrypoints.http.auth import admins_only, staff_only
from helpdesk.entrypoints.http.responses import ERRORS, as_utc, container_of
from helpdesk.entrypoints.http.schemas import (
    AgentWorkloadOut,
    BinOut,
    CategoryCountOut,
    DepartmentRateOut,
    HistogramOut,
    ModesOut,
    OverrideRateOut,
    RoutingModesOut,
    TaxonomyOut,
    WorkloadOut,
)

AnyRequest = Request[Actor, Any, Any]
From = Annotated[datetime | None, QueryParameter(name="from", description="created at or after")]
To = Annotated[datetime | None, QueryParameter(name="to", description="created before")]


def _period(start: datetime | None, end: datetime | None) -> Period:
    return Period(as_utc(start), as_utc(end))


class StatsController(Controller):
    path = "/api/v1/stats"
    tags = ("stats",)
    guards = (staff_only,)

    @get("/routing-modes", summary="Tickets by the router's own decision", responses=ERRORS)
    async def routing_modes(
        self, request: AnyRequest, start: From = None, end: To = None
    ) -> RoutingModesOut:
        c = (
            await container_of(request)
            .routing_modes_report()
            .execute(request.user, _period(start, end))
        )
        return RoutingModesOut(c.total, ModesOut(c.auto, c.suggested, c.manual), c.overridden)

    @get(
        "/confidence-histogram",
        summary="Routing confidence in equal bins over [0, 1]",
        responses=ERRORS,
    )
    async def confidence_histogram(
        self, request: AnyRequest, bins: FromQuery[int] = 10, start: From = None, end: To = None
    ) -> HistogramOut:
        h = (
            await container_of(request)
            .confidence_histogram_report()
            .execute(request.user, _period(start, end), bins)
        )
        return HistogramOut([BinOut(b.lower, b.upper, b.count) for b in h.bins], h.unclassified)

    @get("/taxonomy", summary="Tickets per classified category", responses=ERRORS)
    async def taxonomy(
        self, request: AnyRequest, start: From = None, end: To = None
    ) -> TaxonomyOut:
        t = await container_of(request).taxonomy_report().execute(request.user, _period(start, end))
        return TaxonomyOut([CategoryCountOut(c, n) for c, n in t.categories], t.unclassified)

    @get("/override-rate", summary="Overridden share per current department", responses=ERRORS)
    async def override_rate(
        self, request: AnyRequest, start: From = None, end: To = None
    ) -> OverrideRateOut:
        rows = (
            await container_of(request)
            .override_rate_report()
            .execute(request.user, _period(start, end))
        )
        return OverrideRateOut(
            [
                DepartmentRateOut(
                    r.department_id,
                    r.name,
                    r.total,
                    r.overridden,
                    round(r.overridden / r.total, 6) if r.total else 0.0,
                )
                for r in rows
            ]
        )

    @get("/agent-workload", summary="Active tickets per agent", responses=ERRORS)
    async def agent_workload(self, request: AnyRequest) -> WorkloadOut:
        rows = await container_of(request).agent_workload_report().execute(request.user)
        return WorkloadOut(
            [
                AgentWorkloadOut(
                    r.agent_id,
                    r.full_name,
                    r.department_id,
                    r.open,
                    r.in_progress,
                    r.waiting,
                    r.open + r.in_progress + r.waiting,
                )
                for r in rows
            ]
        )


class ReseedRequest(msgspec.Struct, forbid_unknown_fields=True):
    count: int = 50


class DevUtilitiesController(Controller):
    """Present only when HELPDESK_DEV_UTILITIES is on and the environment is not production."""

    path = "/api/v1/stats/dev"
    tags = ("dev utilities",)
    guards = (admins_only,)

    @get("/config", summary="The effective settings, secrets masked (admin)", responses=ERRORS)
    async def config(self, request: AnyRequest) -> dict[str, Any]:
        require_role(request.user, ADMINS)
        return dict(container_of(request).settings().masked())

    @post(
        "/reseed-tickets",
        status_code=200,
        summary="Replace every ticket with demo tickets",
        responses=ERRORS,
    )
    async def reseed_tickets(
        self, request: AnyRequest, data: JSONBody[ReseedRequest | None] = None
    ) -> dict[str, int]:
        count = (data or ReseedRequest()).count
        deleted, created = await container_of(request).reseed_tickets().execute(request.user, count)
        return {"deleted": deleted, "created": created}

    @delete("/tickets", status_code=200, summary="Delete every ticket", responses=ERRORS)
    async def delete_tickets(self, request: AnyRequest) -> dict[str, int]:
        return {"deleted": await container_of(request).delete_tickets().execute(request.user)}

    @delete(
        "/notifications", status_code=200, summary="Delete every notification", responses=ERRORS
    )
    async def delete_notifications(self, request: AnyRequest) -> dict[str, int]:
        deleted = await container_of(request).delete_notifications().execute(request.user)
        return {"deleted": deleted}

    @post(
        "/reseed-quick-actions",
        status_code=200,
        summary="Restore the default quick actions",
        responses=ERRORS,
    )
    async def reseed_quick_actions(self, request: AnyRequest) -> dict[str, int]:
        return {"count": await container_of(request).reseed_quick_actions().execute(request.user)}
