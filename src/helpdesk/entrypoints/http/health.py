"""`GET /health`: is the database reachable, and what does the classifier say."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response, get

from helpdesk.entrypoints.http.responses import container_of
from helpdesk.entrypoints.http.schemas import HealthOut

log = logging.getLogger("helpdesk.health")


@get("/health", tags=["health"], exclude_from_auth=True, security=[{}])
async def health(request: Request[Any, Any, Any]) -> Response[HealthOut]:
    container = container_of(request)
    try:
        await container.storage().ping()
        database = "ok"
    except Exception:  # any failure to reach it means "down" to a load balancer
        log.warning("health: database unreachable", exc_info=True)
        database = "unavailable"
    classifier = await container.classifier().health()
    ok = database == "ok"
    return Response(
        HealthOut("ok" if ok else "unavailable", {"database": database, "classifier": classifier}),
        status_code=200 if ok else 503,
    )
