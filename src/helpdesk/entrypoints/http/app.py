"""The Litestar application factory: `helpdesk.entrypoints.http:create_app`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from dependency_injector import providers
from litestar import Litestar
from litestar.di import Provide
from litestar.middleware import DefineMiddleware

from helpdesk.container import Container, build_container, close_resources, open_resources
from helpdesk.entrypoints.http.admin_audit import admin_audit
from helpdesk.entrypoints.http.allow import allow_every_method
from helpdesk.entrypoints.http.auth import PUBLIC_PATHS, BearerAuthMiddleware
from helpdesk.entrypoints.http.classify import classify
from helpdesk.entrypoints.http.departments import DepartmentController
from helpdesk.entrypoints.http.dev_utilities import DevUtilitiesController
from helpdesk.entrypoints.http.health import health, ready
from helpdesk.entrypoints.http.mail import MailController
from helpdesk.entrypoints.http.metrics import forget_this_worker, metrics, request_metrics
from helpdesk.entrypoints.http.notifications import NotificationController
from helpdesk.entrypoints.http.openapi import openapi_config
from helpdesk.entrypoints.http.params import refuse_unstorable_text
from helpdesk.entrypoints.http.problems import EXCEPTION_HANDLERS, JsonRequest
from helpdesk.entrypoints.http.quick_actions import QuickActionController
from helpdesk.entrypoints.http.rate_limit import STORE_NAME, rate_limit_config, rate_limit_store
from helpdesk.entrypoints.http.request_ids import (
    REQUEST_ID_HEADER,
    echo_request_id,
    request_id_middleware,
)
from helpdesk.entrypoints.http.sla import CalendarController, SlaPolicyController
from helpdesk.entrypoints.http.stats import StatsController
from helpdesk.entrypoints.http.tickets import TicketController
from helpdesk.entrypoints.http.users import UserController, login
from helpdesk.entrypoints.logs import configure_logging
from helpdesk.settings import Settings, load_settings, with_development_secret

MAX_BODY_BYTES = 64 * 1024
log = logging.getLogger("helpdesk")


def _lifespan(container: Container) -> Any:
    @contextlib.asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        await open_resources(container)
        if container.settings().metrics_enabled:
            _meter_storage(container)
        # The server's workers keep callers' profiles; on PostgreSQL they hear each other's
        # profile changes (the command line, which identifies no caller, does not listen).
        listen = getattr(container.storage(), "listen_for_profile_changes", None)
        if listen is not None:
            await listen()
        try:
            # Shared rate-limit counters need the Redis client, open only now.
            app.stores.register(
                STORE_NAME, rate_limit_store(container.redis()), allow_override=True
            )
            async with _inline_scheduler(container):
                yield
        finally:
            forget_this_worker()
            await close_resources(container)

    return lifespan


@contextlib.asynccontextmanager
async def _inline_scheduler(container: Container) -> AsyncIterator[None]:
    """With HELPDESK_SCHEDULER=inline the server runs the periodic work beside the requests
    (each job's lock lets one process at a time do it); the turn under way finishes at
    shutdown."""
    if container.settings().scheduler != "inline":
        yield
        return
    stop = asyncio.Event()
    task = asyncio.create_task(container.periodic_runner().run(stop), name="periodic-runner")
    try:
        yield
    finally:
        stop.set()
        try:
            await task
        except Exception:
            log.exception("the periodic runner stopped with an error")


def _meter_storage(container: Container) -> None:
    engine = getattr(container.storage(), "engine", None)
    if engine is not None:  # SQL storage: count its pool's connections in use
        from helpdesk.adapters.metrics import meter_pool

        meter_pool(engine)


def _provide(provider: providers.Provider[Any]) -> Provide:
    def dependency() -> Any:
        return provider()

    return Provide(dependency, sync_to_thread=False)


def use_case_dependencies(container: Container) -> dict[str, Provide]:
    """Every use case of the container, by its provider name: a handler names the one it calls
    as a parameter (`create_ticket: CreateTicketUseCase`) and Litestar builds it per request."""
    found = {
        name: _provide(provider)
        for name, provider in container.providers.items()
        if isinstance(provider, providers.Factory)
    }
    found["settings"] = _provide(container.settings)
    return found


def create_app(settings: Settings | None = None, container: Container | None = None) -> Litestar:
    """Build the app from settings (read from the environment when not given)."""
    if container is None:  # a server's worker process: it configures its own logging
        settings = with_development_secret(settings or load_settings())
        configure_logging(settings.log_level, settings.log_format)
        container = build_container(settings)
    handlers: list[Any] = [
        health,
        ready,
        TicketController,
        UserController,
        DepartmentController,
        NotificationController,
        QuickActionController,
        SlaPolicyController,
        CalendarController,
        StatsController,
        MailController,
        admin_audit,
        classify,
    ]
    if not container.settings().uses_supabase_identity:
        handlers.append(login)  # with Supabase, clients log in with Supabase (404 here)
    if container.settings().dev_utilities_enabled:
        handlers.append(DevUtilitiesController)
    settings = container.settings()
    middleware: list[Any] = []
    if settings.metrics_enabled:
        handlers.append(metrics)
        # Outermost: refused requests (401, 403, 429) are counted and timed too.
        middleware.append(request_metrics())
    # The request id next (every log record of the request carries it); then authentication,
    # so that the limit counts per verified user.
    middleware.append(request_id_middleware)
    middleware.append(DefineMiddleware(BearerAuthMiddleware, exclude=PUBLIC_PATHS))
    limits = rate_limit_config(settings)
    if limits is not None:
        middleware.append(limits.middleware)
    app = Litestar(
        route_handlers=handlers,
        middleware=middleware,
        stores={STORE_NAME: rate_limit_store(None)},
        dependencies=use_case_dependencies(container),
        exception_handlers=EXCEPTION_HANDLERS,
        request_class=JsonRequest,
        before_request=refuse_unstorable_text,
        before_send=[echo_request_id, allow_every_method],
        response_headers=[REQUEST_ID_HEADER],
        logging_config=None,  # the process's logging is configured once (entrypoints/logs.py)
        openapi_config=openapi_config(rate_limited=limits is not None),
        lifespan=[_lifespan(container)],
        request_max_body_size=MAX_BODY_BYTES,
        debug=False,
    )
    app.state.container = container
    return app
