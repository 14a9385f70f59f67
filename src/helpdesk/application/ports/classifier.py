"""The classifier port: the embedded model and the external FastAPI service both plug in here."""

from __future__ import annotations

from typing import Literal, Protocol

from helpdesk.domain.classification import Classification

ClassifierHealth = Literal["ok", "embedded", "unavailable"]


class Classifier(Protocol):
    async def classify(self, text: str) -> Classification | None:
        """Classify `title + "\\n" + description`; None when the classifier is unavailable.

        Never raises for a classifier failure: "no classification" is a normal outcome.
        """
        ...

    async def health(self) -> ClassifierHealth:
        """ "embedded" for the in-process model, "ok"/"unavailable" for a remote service."""
        ...
