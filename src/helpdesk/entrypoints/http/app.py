"""The Litestar application factory: `helpdesk.entrypoints.http:create_app`."""

from __future__ import annotations

import contextlib
import inspect
import logging
from collections.abc import AsyncIterator
from typing import Any

from litestar import Litestar
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin, SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme

from helpdesk.container import Container, build_container
from helpdesk.entrypoints.http.admin_audit import admin_audit
from helpdesk.entrypoints.http.auth import PUBLIC_PATHS, BearerAuthMiddleware
from helpdesk.entrypoints.http.classify import classify
from helpdesk.entrypoints.http.departments import DepartmentController
from helpdesk.entrypoints.http.health import health
from helpdesk.entrypoints.http.notifications import NotificationController
from helpdesk.entrypoints.http.problems import EXCEPTION_HANDLERS, JsonRequest
from helpdesk.entrypoints.http.quick_actions import QuickActionController
from helpdesk.entrypoints.http.rate_limit import STORE_NAME, rate_limit_config, rate_limit_store
from helpdesk.entrypoints.http.stats import DevUtilitiesController, StatsController
from helpdesk.entrypoints.http.tickets import TicketController
from helpdesk.entrypoints.http.users import UserController, login
from helpdesk.settings import Settings, load_settings, with_development_secret

MAX_BODY_BYTES = 64 * 1024
log = logging.getLogger("helpdesk")


async def _maybe_await(value: Any) -> None:
    if inspect.isawaitable(value):
        await value


def _lifespan(container: Container) -> Any:
    @contextlib.asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        verifier = container.token_verifier()
        jwks = getattr(verifier, "jwks", None)
        if jwks is not None:
            await jwks.load()
        try:
            yield
        finally:
            # Close what was opened: HTTP clients (classifier, identity, JWKS), database pools.
            for instance in (
                container.classifier(),
                container.identity(),
                jwks,
                container.storage(),
            ):
                for closer in ("aclose", "dispose"):
                    method = getattr(instance, closer, None)
                    if method is not None:
                        with contextlib.suppress(Exception):
                            await _maybe_await(method())

    return lifespan


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="Helpdesk API",
        version="1.0.0",
        description="Arabic helpdesk: ticket classification, routing and assignment.",
        path="/schema",
        render_plugins=[SwaggerRenderPlugin(path="/swagger"), ScalarRenderPlugin(path="/")],
        components=Components(
            security_schemes={
                "BearerAuth": SecurityScheme(
                    type="http",
                    scheme="bearer",
                    bearer_format="JWT",
                    description="A Supabase-compatible access token",
                )
            }
        ),
        security=[{"BearerAuth": []}],
    )


def create_app(settings: Settings | None = None, container: Container | None = None) -> Litestar:
    """Build the app from settings (read from the environment when not given)."""
    if container is None:
        settings = with_development_secret(settings or load_settings())
        container = build_container(settings)
    handlers: list[Any] = [
        health,
        TicketController,
        UserController,
        DepartmentController,
        NotificationController,
        QuickActionController,
        StatsController,
        admin_audit,
        classify,
    ]
    if not container.settings().uses_supabase_identity:
        handlers.append(login)  # with Supabase, clients log in with Supabase (404 here)
    if container.settings().dev_utilities_enabled:
        handlers.append(DevUtilitiesController)
    settings = container.settings()
    # Authentication runs first, so that the limit counts per verified user.
    middleware: list[Any] = [DefineMiddleware(BearerAuthMiddleware, exclude=PUBLIC_PATHS)]
    limits = rate_limit_config(settings)
    if limits is not None:
        middleware.append(limits.middleware)
    app = Litestar(
        route_handlers=handlers,
        middleware=middleware,
        stores={STORE_NAME: rate_limit_store(settings)},
        exception_handlers=EXCEPTION_HANDLERS,
        request_class=JsonRequest,
        openapi_config=openapi_config(),
        lifespan=[_lifespan(container)],
        request_max_body_size=MAX_BODY_BYTES,
        debug=False,
    )
    app.state.container = container
    return app
