"""The embedded Arabic classifier: the default when no classifier URL is configured."""

from __future__ import annotations

from datetime import datetime

import numpy as np

from helpdesk.adapters.classifier.embedded.model import MODEL_FILE, LinearModel
from helpdesk.application.ports.classifier import ClassifierHealth
from helpdesk.application.ports.clock import Clock
from helpdesk.domain.classification import Classification

MODEL_NAME = "helpdesk-embedded/1"


class EmbeddedClassifier:
    """Runs in-process: never unavailable, well under a millisecond a ticket."""

    def __init__(self, model: LinearModel, clock: Clock, name: str = MODEL_NAME) -> None:
        self._model = model
        self._clock = clock
        self.name = name

    def scores(self, text: str) -> list[tuple[str, float]]:
        probabilities = self._model.probabilities(text)
        return [(str(c), float(p)) for c, p in zip(self._model.labels, probabilities, strict=True)]

    def classify_now(self, text: str, at: datetime) -> Classification:
        probabilities = np.round(self._model.probabilities(text), 6)
        return Classification.from_scores(
            list(zip(self._model.labels, (float(p) for p in probabilities), strict=True)),
            model=self.name,
            classified_at=at,
        )

    async def classify(self, text: str) -> Classification | None:
        return self.classify_now(text, self._clock.now())

    async def health(self) -> ClassifierHealth:
        return "embedded"


def load_embedded_classifier(clock: Clock) -> EmbeddedClassifier:
    return EmbeddedClassifier(LinearModel.load(MODEL_FILE), clock)
