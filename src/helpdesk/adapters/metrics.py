"""Prometheus metrics (prometheus-client) that adapters and entrypoints record.

Under `helpdesk serve --workers N` every worker is its own process: the CLI then points
`PROMETHEUS_MULTIPROC_DIR` at a fresh folder before the workers start, each worker writes its
figures there, and `/metrics` (in whichever worker answers) adds them up. Gauges say how they
combine: connections in use are summed over the live workers, the breaker reports the worst
(an open breaker in any worker).

The HTTP request figures (count and latency by route template and status) are the HTTP
entrypoint's (`entrypoints/http/metrics.py`).
"""

from __future__ import annotations

import time
from typing import Any

from prometheus_client import Counter, Gauge, Histogram
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from helpdesk.adapters.classifier.circuit_breaker import BreakerState
from helpdesk.application.ports.classifier import Classifier, ClassifierHealth
from helpdesk.domain.classification import Classification

TICKETS_CREATED = Counter(
    "helpdesk_tickets_created_total",
    "Tickets filed through the API (replayed Idempotency-Keys not counted), by routing mode",
    ["routing_mode"],
)
CLASSIFIER_SECONDS = Histogram(
    "helpdesk_classifier_duration_seconds",
    "Time to classify a ticket's text, by outcome: classified, unavailable (an error, a "
    "timeout or an unusable answer) or skipped (the circuit breaker is open)",
    ["outcome"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
CLASSIFIER_BREAKER_OPEN = Gauge(
    "helpdesk_classifier_breaker_open",
    "1 while the classifier service's circuit breaker skips calls (in any worker), else 0",
    multiprocess_mode="livemax",
)
DB_CONNECTIONS_IN_USE = Gauge(
    "helpdesk_db_connections_in_use",
    "Database connections checked out of the pools (all workers)",
    multiprocess_mode="livesum",
)
DB_POOL_CAPACITY = Gauge(
    "helpdesk_db_pool_capacity",
    "Connections the pools may open, overflow included (all workers)",
    multiprocess_mode="livesum",
)


class MeteredClassifier:
    """Any classifier, timed. Answers exactly as the classifier it wraps."""

    def __init__(self, inner: Classifier) -> None:
        self._inner = inner
        self._breaker = getattr(inner, "breaker", None)  # the HTTP client's, if any
        self._note_breaker()

    async def classify(self, text: str) -> Classification | None:
        skipped = self._breaker is not None and self._breaker.state is BreakerState.OPEN
        started = time.perf_counter()
        try:
            found = await self._inner.classify(text)
        finally:
            elapsed = time.perf_counter() - started
        outcome = "classified" if found is not None else "skipped" if skipped else "unavailable"
        CLASSIFIER_SECONDS.labels(outcome).observe(elapsed)
        self._note_breaker()
        return found

    async def health(self) -> ClassifierHealth:
        answer = await self._inner.health()
        self._note_breaker()
        return answer

    def _note_breaker(self) -> None:
        if self._breaker is not None:
            CLASSIFIER_BREAKER_OPEN.set(1 if self._breaker.state is BreakerState.OPEN else 0)


_METERED = "helpdesk_metered"


def meter_pool(engine: AsyncEngine) -> None:
    """Count this engine's connections in use (checked out of its pool) from now on."""
    pool = engine.sync_engine.pool
    if getattr(pool, _METERED, False):
        return
    setattr(pool, _METERED, True)
    size = getattr(pool, "size", None)
    overflow = getattr(pool, "_max_overflow", 0)
    if callable(size):
        DB_POOL_CAPACITY.inc(size() + max(overflow, 0))

    def checked_out(*_: Any) -> None:
        DB_CONNECTIONS_IN_USE.inc()

    def checked_in(*_: Any) -> None:
        DB_CONNECTIONS_IN_USE.dec()

    event.listen(pool, "checkout", checked_out)
    event.listen(pool, "checkin", checked_in)
