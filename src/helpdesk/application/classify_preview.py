"""The classify preview: what the router would do with a text, storing nothing."""

from __future__ import annotations

from dataclasses import dataclass

from helpdesk.application.ports.classifier import Classifier
from helpdesk.application.ports.storage.unit_of_work import UnitOfWorkFactory
from helpdesk.application.routing_evidence import RoutingThresholdCache, current_thresholds
from helpdesk.domain.arabic import TextPolicy, check_classify_text
from helpdesk.domain.classification import Classification
from helpdesk.domain.departments import DepartmentDirectory
from helpdesk.domain.people import Actor
from helpdesk.domain.permissions import EVERYONE, require_role
from helpdesk.domain.routing import RoutingDecision, Thresholds, decide
from helpdesk.domain.text_preparation import prepared_description


@dataclass(frozen=True, slots=True)
class Preview:
    classification: Classification | None
    routing: RoutingDecision


class ClassifyPreviewUseCase:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        classifier: Classifier,
        *,
        thresholds: Thresholds,
        text_policy: TextPolicy,
        routing_cache: RoutingThresholdCache | None = None,
    ) -> None:
        self._uow = uow
        self._classifier = classifier
        self._thresholds = thresholds
        self._routing_cache = routing_cache
        self._text_policy = text_policy

    async def execute(self, actor: Actor, text: str) -> Preview:
        require_role(actor, EVERYONE)
        cleaned = check_classify_text(text, self._text_policy)
        classification = await self._classifier.classify(prepared_description(cleaned))
        async with self._uow(read_only=True) as uow:
            directory = DepartmentDirectory.of(await uow.departments.all())
            thresholds = await current_thresholds(uow, self._thresholds, self._routing_cache)
        return Preview(classification, decide(classification, directory, thresholds))
