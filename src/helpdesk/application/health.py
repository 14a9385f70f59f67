"""Health: is the database reachable, and what does the classifier say."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal, Protocol

from helpdesk.application.ports.classifier import Classifier, ClassifierHealth

log = logging.getLogger("helpdesk.health")


class Database(Protocol):
    async def ping(self) -> None:
        """Return when the database answers; raise when it does not."""
        ...


@dataclass(frozen=True, slots=True)
class Health:
    database: Literal["ok", "unavailable"]
    classifier: ClassifierHealth

    @property
    def ok(self) -> bool:
        return self.database == "ok"


class CheckHealthUseCase:
    def __init__(self, database: Database, classifier: Classifier) -> None:
        self._database = database
        self._classifier = classifier

    async def execute(self) -> Health:
        try:
            await self._database.ping()
            database: Literal["ok", "unavailable"] = "ok"
        except Exception:  # any failure to reach it means "down" to a load balancer
            log.warning("health: database unreachable", exc_info=True)
            database = "unavailable"
        return Health(database, await self._classifier.health())
