"""HTTP shapes (msgspec Structs): the classify preview."""

from __future__ import annotations

from uuid import UUID

import msgspec

from helpdesk.application.classify_preview import Preview
from helpdesk.domain.taxonomy import RoutingMode
from helpdesk.entrypoints.http.schemas.common import ClassifyText
from helpdesk.entrypoints.http.schemas.tickets import ClassificationOut, classification_out


class ClassifyRequest(msgspec.Struct, forbid_unknown_fields=True):
    text: ClassifyText


class RoutingOut(msgspec.Struct):
    mode: RoutingMode
    department_id: UUID | None
    confidence: float | None
    reason: str


class ClassifyResponse(msgspec.Struct):
    classification: ClassificationOut | None
    routing: RoutingOut


def preview_out(p: Preview) -> ClassifyResponse:
    r = p.routing
    return ClassifyResponse(
        classification=classification_out(p.classification),
        routing=RoutingOut(r.mode, r.department_id, r.confidence, r.reason),
    )
