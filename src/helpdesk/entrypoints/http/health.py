"""`GET /health`: is the database reachable, and what does the classifier say."""

from __future__ import annotations

from litestar import Response, get
from litestar.di import NamedDependency

from helpdesk.application.health import CheckHealthUseCase
from helpdesk.entrypoints.http.schemas.health import HealthOut


@get("/health", tags=["health"], exclude_from_auth=True, security=[{}], operation_id="getHealth")
async def health(check_health: NamedDependency[CheckHealthUseCase]) -> Response[HealthOut]:
    found = await check_health.execute()
    return Response(
        HealthOut(
            "ok" if found.ok else "unavailable",
            {"database": found.database, "classifier": found.classifier},
        ),
        status_code=200 if found.ok else 503,
    )
