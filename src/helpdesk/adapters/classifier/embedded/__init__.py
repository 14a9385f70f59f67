"""The embedded Arabic classifier: the default when no classifier URL is configured."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np

from helpdesk.adapters.classifier.embedded import model_folder
from helpdesk.adapters.classifier.embedded.model import LinearModel
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


def load_embedded_classifier(clock: Clock, folder: Path | None = None) -> EmbeddedClassifier:
    """The shipped model, or a trained model folder (`ModelFolderError` if it is unusable)."""
    model, metadata = model_folder.load(folder or model_folder.SHIPPED_MODEL)
    name = MODEL_NAME if folder is None else f"helpdesk-embedded/{metadata.get('name', 'trained')}"
    return EmbeddedClassifier(model, clock, name)
