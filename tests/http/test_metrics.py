"""`/metrics`: what an operator scrapes after real requests — requests by route template and
status, tickets by routing mode, the classifier's timings and breaker, the pool in use — and
who may scrape it."""

from __future__ import annotations

import uuid

from prometheus_client.parser import text_string_to_metric_families

from .conftest import PRINTER, World, make_world

CREATE = {"method": "POST", "route": "/api/v1/tickets", "status": "201"}


def scrape(world: World) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    response = world.client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(
    samples: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str
) -> float:
    """The sum of the samples of `name` whose labels include `labels` (0 when none)."""
    wanted = set(labels.items())
    return sum(v for (n, got), v in samples.items() if n == name and wanted <= got)


def test_a_create_shows_in_the_metrics(world: World) -> None:
    before = scrape(world)
    ticket = world.file(text=PRINTER)
    key = {"Idempotency-Key": f"metrics-{uuid.uuid4()}"}
    world.request("POST", "/api/v1/tickets", world.user, json=PRINTER, headers=key)
    replay = world.request("POST", "/api/v1/tickets", world.user, json=PRINTER, headers=key)
    assert replay.status_code == 200
    after = scrape(world)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert ticket["routing_mode"] == "auto"
    # Two tickets were filed; the replay is an answer, not a ticket.
    assert grew("helpdesk_tickets_created_total", routing_mode="auto") == 2
    assert grew("helpdesk_http_requests_total", **CREATE) == 2
    assert grew("helpdesk_http_requests_total", method="POST", status="200") == 1
    assert grew("helpdesk_http_request_duration_seconds_count", **CREATE) == 2
    assert grew("helpdesk_http_request_duration_seconds_sum", **CREATE) > 0
    # The replay is answered before classification: two classifications.
    assert grew("helpdesk_classifier_duration_seconds_count", outcome="classified") == 2


def test_requests_are_counted_by_route_template_and_refusals_too(world: World) -> None:
    tickets = [world.file()["id"] for _ in range(2)]
    before = scrape(world)
    for ticket_id in tickets:
        assert world.request("GET", f"/api/v1/tickets/{ticket_id}", world.user).status_code == 200
    assert world.client.get("/api/v1/tickets").status_code == 401  # no token
    after = scrape(world)
    templates = {
        dict(labels)["route"] for name, labels in after if name.startswith("helpdesk_http")
    }
    assert not any(t in path for t in tickets for path in templates), "one series per ticket id"
    one_ticket = "/api/v1/tickets/{ticket_id}"
    assert one_ticket in templates
    got = value(after, "helpdesk_http_requests_total", route=one_ticket, status="200")
    assert got - value(before, "helpdesk_http_requests_total", route=one_ticket, status="200") == 2
    refused = {"route": "/api/v1/tickets", "method": "GET", "status": "401"}
    assert (
        value(after, "helpdesk_http_requests_total", **refused)
        - value(before, "helpdesk_http_requests_total", **refused)
        == 1
    )


def test_a_classifier_that_is_down_is_counted(world: World) -> None:
    before = scrape(world)
    with world.classifier.answering(None):
        assert world.file()["routing_mode"] == "manual"
    after = scrape(world)
    name = "helpdesk_classifier_duration_seconds_count"
    assert (
        value(after, name, outcome="unavailable") - value(before, name, outcome="unavailable") == 1
    )
    assert (
        value(after, "helpdesk_tickets_created_total", routing_mode="manual")
        - value(before, "helpdesk_tickets_created_total", routing_mode="manual")
        == 1
    )


def test_sql_storage_reports_its_pool(sqlite_url: str) -> None:
    with make_world(database_url=sqlite_url) as world:
        world.file()
        samples = scrape(world)
        assert value(samples, "helpdesk_db_pool_capacity") >= 10  # 5 + 5 overflow, at least
        # Scraping holds no connection: none is in use between requests.
        assert value(samples, "helpdesk_db_connections_in_use") == 0


def test_metrics_need_no_token_and_no_rate_limit() -> None:
    with make_world(rate_limit=2) as world:
        for headers in ({}, {"Authorization": "Bearer garbage"}):
            for _ in range(4):
                assert world.client.get("/metrics", headers=headers).status_code == 200


def test_metrics_are_off_in_production_unless_turned_on() -> None:
    with make_world(metrics=False) as world:
        assert world.client.get("/metrics").status_code == 404
        assert world.file()["routing_mode"] == "auto"  # requests are not metered, and work
    with make_world(metrics=True) as world:
        assert world.client.get("/metrics").status_code == 200
    openapi = None
    with make_world() as world:
        openapi = world.client.get("/schema/openapi.json").json()
    assert "/metrics" not in openapi["paths"]
