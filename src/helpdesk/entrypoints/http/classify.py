"""`/api/v1/classify`: a routing preview that stores nothing."""

from __future__ import annotations

from typing import Any

from litestar import Request, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from helpdesk.application.classify_preview import ClassifyPreviewUseCase
from helpdesk.domain.people import Actor
from helpdesk.entrypoints.http.problems import ERRORS
from helpdesk.entrypoints.http.schemas.classify import (
    ClassifyRequest,
    ClassifyResponse,
    preview_out,
)


@post(
    "/api/v1/classify",
    status_code=200,
    tags=["classify"],
    responses=ERRORS,
    operation_id="classifyText",
)
async def classify(
    request: Request[Actor, Any, Any],
    data: JSONBody[ClassifyRequest],
    classify_preview: NamedDependency[ClassifyPreviewUseCase],
) -> ClassifyResponse:
    """Classify an Arabic text and say how it would be routed."""
    return preview_out(await classify_preview.execute(request.user, data.text))
