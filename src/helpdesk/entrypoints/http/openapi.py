"""The published contract: the OpenAPI document at `/schema/openapi.json` and the interactive
Swagger UI at `/schema`, both served by the app with no network (the UI's assets come from the
installed `swagger-ui-py` package, never a CDN).

Litestar builds the document from the handlers (operation ids, parameters, bodies and their
limits, the problem responses of `problems.ERRORS`); `published` then states what a handler
cannot declare — the 429 and its headers wherever rate limiting applies, and the problem
responses only where they can happen — so the document tells what the service does.
"""

from __future__ import annotations

import copy
from typing import Any

from litestar import Request
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.router import Router
from litestar.static_files import create_static_files_router
from swagger_ui.utils import SWAGGER_UI_PY_ROOT

from helpdesk.entrypoints.http.problems import PROBLEM_JSON, TITLES

SCHEMA_PATH = "/schema"
ASSETS = "/assets"  # under SCHEMA_PATH
METHODS = ("get", "put", "post", "patch", "delete")
RATE_LIMITED_PREFIX = "/api/v1/"

RETRY_AFTER = {
    "description": "Seconds to wait before trying again",
    "schema": {"type": "integer", "minimum": 0},
}
RATE_LIMIT_HEADERS = {
    "RateLimit-Limit": {
        "description": "Requests allowed per minute (HELPDESK_RATE_LIMIT)",
        "schema": {"type": "integer"},
    },
    "RateLimit-Remaining": {
        "description": "Requests left in the current minute",
        "schema": {"type": "integer"},
    },
    "RateLimit-Reset": {
        "description": "Seconds until the current minute's allowance resets",
        "schema": {"type": "integer"},
    },
    "RateLimit-Policy": {
        "description": "The policy, e.g. `120; w=60`",
        "schema": {"type": "string"},
    },
}


def _problem_response(status: int, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def _takes_if_match(operation: dict[str, Any]) -> bool:
    return any(p.get("name") == "If-Match" for p in operation.get("parameters", []))


def published(schema: dict[str, Any], *, rate_limited: bool) -> dict[str, Any]:
    """The document as published: Litestar's, with the 429 documented on every `/api/v1/*`
    operation when rate limiting is on (and `Retry-After` on any 429, such as the login's
    back-off), and the problem responses kept where they can happen: 400 and 413 only where a
    body is read, 412 only where `If-Match` is, 409 only on changes."""
    document = copy.deepcopy(schema)
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            responses: dict[str, Any] = operation.setdefault("responses", {})
            if "requestBody" not in operation:
                responses.pop("400", None)
                responses.pop("413", None)
            if not _takes_if_match(operation):
                responses.pop("412", None)
            if method == "get":
                responses.pop("409", None)
            limited = rate_limited and path.startswith(RATE_LIMITED_PREFIX)
            if limited:
                responses.setdefault(
                    "429",
                    _problem_response(429, f"{TITLES[429]}: the per-user rate limit, per minute"),
                )
            if "429" in responses:
                headers = dict(RATE_LIMIT_HEADERS) if limited else {}
                responses["429"]["headers"] = {**headers, "Retry-After": RETRY_AFTER}
    return document


class _Publishing:
    """Renders the published document (computed once per app) instead of Litestar's own."""

    rate_limited: bool
    _source: dict[str, Any] | None = None
    _published: dict[str, Any] | None = None

    def published(self, openapi_schema: dict[str, Any]) -> dict[str, Any]:
        if self._published is None or self._source is not openapi_schema:
            self._source = openapi_schema
            self._published = published(openapi_schema, rate_limited=self.rate_limited)
        return self._published


class PublishedJson(_Publishing, JsonRenderPlugin):
    def __init__(self, *, rate_limited: bool) -> None:
        super().__init__()
        self.rate_limited = rate_limited

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        return super().render(request, self.published(openapi_schema))


class OfflineSwaggerUI(_Publishing, SwaggerRenderPlugin):
    """Swagger UI from the installed package's assets, served beside the document."""

    def __init__(self, *, rate_limited: bool) -> None:
        assets = f"{SCHEMA_PATH}{ASSETS}"
        super().__init__(
            js_url=f"{assets}/swagger-ui-bundle.js",
            css_url=f"{assets}/swagger-ui.css",
            standalone_preset_js_url=f"{assets}/swagger-ui-standalone-preset.js",
            path="/swagger",
            favicon=f'<link rel="icon" type="image/png" href="{assets}/favicon-32x32.png">',
        )
        self.rate_limited = rate_limited

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        return super().render(request, self.published(openapi_schema))

    def receive_router(self, router: Router) -> None:
        super().receive_router(router)
        router.register(
            create_static_files_router(
                ASSETS,
                directories=[SWAGGER_UI_PY_ROOT / "static"],
                name="swagger-ui-assets",
                include_in_schema=False,
            )
        )


def openapi_config(*, rate_limited: bool) -> OpenAPIConfig:
    return OpenAPIConfig(
        title="Helpdesk API",
        version="1.0.0",
        description=(
            "Arabic helpdesk: ticket classification, routing and assignment. Errors are "
            "problem documents (`application/problem+json`); 422s name the fields."
        ),
        path=SCHEMA_PATH,
        # The first plugin is also served at /schema itself.
        render_plugins=[
            OfflineSwaggerUI(rate_limited=rate_limited),
            PublishedJson(rate_limited=rate_limited),
        ],
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
