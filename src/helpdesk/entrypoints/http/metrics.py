"""`GET /metrics`: the Prometheus exposition of this service (docs/decisions.md, "Metrics"),
and the middleware that counts and times every request.

Public like `/health` (a scraper carries no user token) and outside rate limiting; it is on by
default except in production (`HELPDESK_METRICS`), where an operator who turns it on restricts
it at the proxy or the network.
"""

from __future__ import annotations

import os
import time

from litestar import Response, get
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

from helpdesk.entrypoints.http.problems import status_of

MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"
LABELS = ["method", "route", "status"]
REQUESTS = Counter(
    "helpdesk_http_requests_total",
    "HTTP requests answered, by method, route template and status",
    LABELS,
)
REQUEST_SECONDS = Histogram(
    "helpdesk_http_request_duration_seconds",
    "Time from a request's arrival to the end of its answer, by method, route template and status",
    LABELS,
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


class RequestMetricsMiddleware(ASGIMiddleware):
    """Counts and times each request under its route template (`/api/v1/tickets/{ticket_id}`,
    one series per route, not per ticket) and the status the client got — a refusal raised
    below (401, 403, 422, …) counts with the status its problem document will carry."""

    scopes = (ScopeType.HTTP,)
    exclude_path_pattern = r"^/metrics$"

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        started = time.perf_counter()
        status = 500

        async def noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await next_app(scope, receive, noting_status)
        except BaseException as exc:
            status = status_of(exc)
            raise
        finally:
            method = scope.get("method", "GET")
            labels = (method, scope.get("path_template", "unmatched"), str(status))
            REQUESTS.labels(*labels).inc()
            REQUEST_SECONDS.labels(*labels).observe(time.perf_counter() - started)


def request_metrics() -> RequestMetricsMiddleware:
    return RequestMetricsMiddleware()


def multiprocess_mode() -> bool:
    return MULTIPROCESS_DIR in os.environ


def exposition() -> bytes:
    if not multiprocess_mode():
        return generate_latest(REGISTRY)
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return generate_latest(registry)


@get(
    "/metrics",
    exclude_from_auth=True,
    include_in_schema=False,
    operation_id="getMetrics",
    sync_to_thread=True,  # reads every worker's files in multi-process mode
)
def metrics() -> Response[bytes]:
    return Response(exposition(), media_type=CONTENT_TYPE_LATEST)


def forget_this_worker() -> None:
    """A worker that stops takes its live gauges (connections in use, …) with it."""
    if multiprocess_mode():
        multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]
