"""The client of the external FastAPI classifier (api.md, "Classifier service contract").

Any failure — down, slow, redirected, garbage, a label outside the taxonomy only, a confidence
outside [0, 1] — is "no classification": `classify` returns None and never raises, so a ticket
is never lost to the classifier.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time

import httpx
import msgspec

from helpdesk.adapters.classifier.circuit_breaker import BreakerState, CircuitBreaker
from helpdesk.application.ports.classifier import ClassifierHealth
from helpdesk.application.ports.clock import Clock
from helpdesk.domain.classification import Classification
from helpdesk.domain.taxonomy import Category

log = logging.getLogger("helpdesk.classifier.http")
RETRYABLE_STATUS = frozenset({502, 503, 504})
HEALTH_TIMEOUT = 1.0
_LABELS = frozenset(c.value for c in Category)


class _Prediction(msgspec.Struct):
    label: str
    confidence: float


class _Answer(msgspec.Struct):
    predictions: list[_Prediction]
    model: str


class _Unavailable(Exception):
    pass


def decode(body: bytes, clock: Clock) -> Classification:
    """Strict decoding: unknown labels are ignored; anything else wrong makes it unusable."""
    try:
        answer = msgspec.json.decode(body, type=_Answer)
    except (msgspec.DecodeError, msgspec.ValidationError) as e:
        raise _Unavailable(f"malformed answer: {e}") from None
    scores: dict[Category, float] = {}
    for prediction in answer.predictions:
        c = prediction.confidence
        if not (math.isfinite(c) and 0.0 <= c <= 1.0):
            raise _Unavailable(f"confidence {c!r} outside [0, 1]")
        if prediction.label in _LABELS:
            scores[Category(prediction.label)] = c
    if not scores:
        raise _Unavailable("no label of the taxonomy")
    return Classification.from_scores(scores, model=answer.model, classified_at=clock.now())


class HttpClassifier:
    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 2.0,
        clock: Clock,
        client: httpx.AsyncClient | None = None,
        failure_threshold: int = 5,
        reset_after: float = 30.0,
    ) -> None:
        self._url = base_url.rstrip("/")
        self._timeout = timeout
        self._clock = clock
        self._client = client or httpx.AsyncClient(follow_redirects=False)
        self.breaker = CircuitBreaker(
            clock, failure_threshold=failure_threshold, reset_after=reset_after
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def classify(self, text: str) -> Classification | None:
        if not self.breaker.allow():
            return None
        try:
            async with asyncio.timeout(self._timeout):
                classification = await self._call(text)
        except (TimeoutError, _Unavailable, httpx.HTTPError) as e:
            log.warning("classifier unavailable: %s", str(e) or type(e).__name__)
            self.breaker.failure()
            return None
        self.breaker.success()
        return classification

    async def _call(self, text: str) -> Classification:
        deadline = time.monotonic() + self._timeout
        for attempt in (1, 2):  # one retry, inside the same budget
            remaining = max(deadline - time.monotonic(), 0.001)
            try:
                response = await self._client.post(
                    f"{self._url}/classify",
                    json={"text": text},
                    timeout=httpx.Timeout(remaining),
                    follow_redirects=False,
                )
            except httpx.ConnectError:
                if attempt == 2:
                    raise
                continue
            if response.status_code in RETRYABLE_STATUS and attempt == 1:
                continue
            if response.status_code != 200:
                raise _Unavailable(f"HTTP {response.status_code}")
            return decode(response.content, self._clock)
        raise _Unavailable("no answer")

    async def health(self) -> ClassifierHealth:
        if self.breaker.state is BreakerState.OPEN:
            return "unavailable"
        try:
            response = await self._client.get(f"{self._url}/health", timeout=HEALTH_TIMEOUT)
        except httpx.HTTPError:
            return "unavailable"
        return "ok" if response.status_code == 200 else "unavailable"
