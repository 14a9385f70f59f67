"""The classify preview: what the router would do with a text, storing nothing."""

from __future__ import annotations

from dataclasses import dataclass

from helpdesk.application.context import Context
from helpdesk.domain.arabic import check_classify_text
from helpdesk.domain.classification import Classification
from helpdesk.domain.people import Actor, DepartmentDirectory
from helpdesk.domain.permissions import EVERYONE, require_role
from helpdesk.domain.routing import RoutingDecision, decide
from helpdesk.domain.text_preparation import prepared_description


@dataclass(frozen=True, slots=True)
class Preview:
    classification: Classification | None
    routing: RoutingDecision


class ClassifyPreviewUseCase:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    async def execute(self, actor: Actor, text: str) -> Preview:
        require_role(actor, EVERYONE)
        cleaned = check_classify_text(text, self._ctx.policies.text_policy)
        classification = await self._ctx.classifier.classify(prepared_description(cleaned))
        async with self._ctx.uow() as uow:
            directory = DepartmentDirectory.of(await uow.departments.all())
        return Preview(
            classification, decide(classification, directory, self._ctx.policies.thresholds)
        )
