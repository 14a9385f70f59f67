"""The adapters' metrics: the classifier's timings by outcome and its circuit breaker, and a
SQL pool's connections in use, as a scrape of the process's registry shows them."""

from __future__ import annotations

import uuid
from datetime import timedelta

from prometheus_client import REGISTRY

from helpdesk.adapters.classifier.http_client import HttpClassifier
from helpdesk.adapters.metrics import MeteredClassifier, meter_pool
from helpdesk.adapters.storage.sql.unit_of_work import SqlStorage

from .classifier.test_http_client import GOOD, TEXT, ClassifierServer, FakeClock, answer


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def timed(outcome: str) -> float:
    return sample("helpdesk_classifier_duration_seconds_count", outcome=outcome)


async def test_the_classifier_is_timed_by_outcome_and_its_breaker_shows() -> None:
    server = ClassifierServer()
    server.behaviour = lambda h, n: answer(h, 500, {}) if n == 1 else answer(h, 200, GOOD)
    clock = FakeClock()
    client = HttpClassifier(server.url, timeout=0.5, clock=clock, failure_threshold=1)
    metered = MeteredClassifier(client)
    before = {o: timed(o) for o in ("classified", "unavailable", "skipped")}
    try:
        assert sample("helpdesk_classifier_breaker_open") == 0
        assert await metered.classify(TEXT) is None  # HTTP 500: the breaker opens
        assert sample("helpdesk_classifier_breaker_open") == 1
        assert await metered.classify(TEXT) is None  # skipped while open
        assert len(server.calls) == 1
        clock.at += timedelta(seconds=31)  # half-open: one probe goes through and succeeds
        assert await metered.classify(TEXT) is not None
        assert sample("helpdesk_classifier_breaker_open") == 0
    finally:
        await client.aclose()
        server.server.shutdown()
    grew = {o: timed(o) - before[o] for o in before}
    assert grew == {"classified": 1, "unavailable": 1, "skipped": 1}


async def test_connections_in_use_follow_the_pool(sqlite_url: str) -> None:
    storage = SqlStorage(sqlite_url)
    meter_pool(storage.engine)
    meter_pool(storage.engine)  # twice is once
    idle = sample("helpdesk_db_connections_in_use")
    try:
        async with storage.unit_of_work(read_only=True) as first:
            async with storage.unit_of_work(read_only=True):
                assert sample("helpdesk_db_connections_in_use") == idle + 2
            assert sample("helpdesk_db_connections_in_use") == idle + 1
            await first.profiles.get(uuid.uuid4())  # the connection works
        assert sample("helpdesk_db_connections_in_use") == idle
    finally:
        await storage.dispose()
