"""A circuit breaker driven by an injectable clock: after `failure_threshold` failures in a row
it opens and calls are skipped; after `reset_after` seconds one probe is let through
(half-open); its success closes the circuit, its failure opens it again."""

from __future__ import annotations

from enum import StrEnum

from helpdesk.application.ports.clock import Clock


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    def __init__(
        self, clock: Clock, *, failure_threshold: int = 5, reset_after: float = 30.0
    ) -> None:
        self._clock = clock
        self._threshold = failure_threshold
        self._reset_after = reset_after
        self._failures = 0
        self._opened_at: float | None = None
        self._probing = False

    @property
    def state(self) -> BreakerState:
        if self._opened_at is None:
            return BreakerState.CLOSED
        if self._clock.now().timestamp() - self._opened_at >= self._reset_after:
            return BreakerState.HALF_OPEN
        return BreakerState.OPEN

    def allow(self) -> bool:
        """May a call go out now? In half-open state only one probe at a time."""
        state = self.state
        if state is BreakerState.CLOSED:
            return True
        if state is BreakerState.HALF_OPEN and not self._probing:
            self._probing = True
            return True
        return False

    def success(self) -> None:
        self._failures = 0
        self._opened_at = None
        self._probing = False

    def failure(self) -> None:
        self._failures += 1
        if self._probing or self._failures >= self._threshold:
            self._opened_at = self._clock.now().timestamp()
        self._probing = False
