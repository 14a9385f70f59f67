"""`GET /health` (liveness: this process answers) and `GET /health/ready` (readiness: is the
database reachable, and what does the classifier say)."""

from __future__ import annotations

from litestar import Response, get
from litestar.di import NamedDependency

from helpdesk.application.health import CheckHealthUseCase
from helpdesk.entrypoints.http.schemas.health import HealthOut, LivenessOut

LIVE = LivenessOut("ok")


@get("/health", tags=["health"], exclude_from_auth=True, security=[{}], operation_id="getHealth")
async def health() -> LivenessOut:
    """Liveness: the worker's event loop answers. No database round trip, so a database
    outage never makes an orchestrator restart healthy workers; readiness is `/health/ready`."""
    return LIVE


@get(
    "/health/ready",
    tags=["health"],
    exclude_from_auth=True,
    security=[{}],
    operation_id="getReadiness",
)
async def ready(check_health: NamedDependency[CheckHealthUseCase]) -> Response[HealthOut]:
    """Readiness: 503 while the database is unreachable (the classifier being down is not a
    reason to stop sending traffic: tickets are still filed, for triage)."""
    found = await check_health.execute()
    return Response(
        HealthOut(
            "ok" if found.ok else "unavailable",
            {"database": found.database, "classifier": found.classifier},
        ),
        status_code=200 if found.ok else 503,
    )
