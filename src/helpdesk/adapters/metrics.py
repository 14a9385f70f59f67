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
import weakref
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


# The pools being metered; a pool that is garbage-collected leaves the figures with it.
_POOLS: weakref.WeakSet[Any] = weakref.WeakSet()


def meter_pool(engine: AsyncEngine) -> None:
    """Count this engine's connections in use (checked out of its pool) from now on.

    Each checkout and checkin sets the gauge to what the pools say is checked out, rather
    than adding and subtracting one: a connection checked out before metering began, or one
    dropped without a checkin, would otherwise leave the count off for good."""
    pool = engine.sync_engine.pool
    if pool in _POOLS:
        return
    _POOLS.add(pool)
    # The capacity changes only when a pool joins: not recomputed on every checkout.
    DB_POOL_CAPACITY.set(sum(_capacity(p) for p in list(_POOLS)))
    _note_pools()
    event.listen(pool, "checkout", _checked_out_one)
    event.listen(pool, "checkin", _checked_in_one)


def _checked_out_one(*_: Any) -> None:
    _note_pools()


def _checked_in_one(*_: Any) -> None:
    # SQLAlchemy fires "checkin" before the pool takes the connection back: it is still
    # counted as checked out at this moment.
    _note_pools(returning=1)


def _note_pools(returning: int = 0) -> None:
    in_use = sum(_checked_out(pool) for pool in list(_POOLS)) - returning
    DB_CONNECTIONS_IN_USE.set(max(in_use, 0))


def _checked_out(pool: Any) -> int:
    counted = getattr(pool, "checkedout", None)
    return max(int(counted()), 0) if callable(counted) else 0


def _capacity(pool: Any) -> int:
    size = getattr(pool, "size", None)
    overflow = getattr(pool, "_max_overflow", 0)
    return size() + max(overflow, 0) if callable(size) else 0
