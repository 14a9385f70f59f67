"""`/api/v1/classify`: a routing preview that stores nothing."""

from __future__ import annotations

from typing import Any

from litestar import Request, post
from litestar.params import JSONBody

from helpdesk.domain.people import Actor
from helpdesk.entrypoints.http.responses import ERRORS, container_of
from helpdesk.entrypoints.http.schemas import ClassifyRequest, ClassifyResponse, preview_out


@post("/api/v1/classify", status_code=200, tags=["classify"], responses=ERRORS)
async def classify(
    request: Request[Actor, Any, Any], data: JSONBody[ClassifyRequest]
) -> ClassifyResponse:
    """Classify an Arabic text and say how it would be routed."""
    preview = await container_of(request).classify_preview().execute(request.user, data.text)
    return preview_out(preview)
