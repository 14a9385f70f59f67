"""The `Allow` header of an automatic OPTIONS answer, made to list every method of its path.

Litestar answers OPTIONS itself, from the methods its route had when the answer was made; when
a path's handlers are registered one after another (PATCH and DELETE on
`/api/v1/quick-actions/{id}`), the answer keeps the first route's methods and lists only some
of them, while a 405 on the same path lists them all. This `before_send` hook rewrites the
header from the app's routes, read once."""

from __future__ import annotations

from typing import Any

from litestar.datastructures import MutableScopeHeaders
from litestar.routes import HTTPRoute
from litestar.status_codes import HTTP_204_NO_CONTENT
from litestar.types import Message, Scope

_STATE_KEY = "allowed_methods_by_path"


def _allowed_methods(app: Any) -> dict[str, str]:
    known: dict[str, str] | None = getattr(app.state, _STATE_KEY, None)
    if known is None:
        known = {
            route.path_format: ", ".join(sorted(route.methods))
            for route in app.routes
            if isinstance(route, HTTPRoute)
        }
        setattr(app.state, _STATE_KEY, known)
    return known


async def allow_every_method(message: Message, scope: Scope) -> None:
    if (
        message["type"] != "http.response.start"
        or scope.get("method") != "OPTIONS"
        or message["status"] != HTTP_204_NO_CONTENT
    ):
        return
    methods = _allowed_methods(scope["app"]).get(scope.get("path_template", ""))
    if methods is not None:
        MutableScopeHeaders.from_message(message)["allow"] = methods
