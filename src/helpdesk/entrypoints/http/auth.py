"""Bearer authentication: verify the token locally, then find who the caller is.

The first checks of docs/rules.md's order (401 token → 403 deactivated → 403 role) run here, before
Litestar reads the path, the query or the body: a deactivated profile is refused in the
middleware, and a route that only some roles may call declares a guard (guards run before
parameters are parsed), so that neither a malformed id nor a bad body turns those 403s into a
404, 400 or 422. The use cases check the same rules again.
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.types import Guard

from helpdesk.domain.errors import Unauthorized
from helpdesk.domain.permissions import ADMINS, STAFF, require_active, require_role
from helpdesk.domain.taxonomy import Role

# Routes that need no token (api.md): health (liveness and readiness), the Prometheus metrics,
# the OpenAPI schema and the local login.
PUBLIC_PATHS = [r"^/health(/ready)?$", r"^/metrics$", r"^/schema", r"^/api/v1/auth/token$"]


class BearerAuthMiddleware(AbstractAuthenticationMiddleware):
    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        header = connection.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("a bearer token is required")
        container = connection.app.state.container
        claims = await container.token_verifier().verify(token.strip())
        actor = await container.identify_caller().execute(claims)
        require_active(actor)  # 403 everywhere, before anything about the request is read
        return AuthenticationResult(user=actor, auth=claims)


def roles_guard(allowed: frozenset[Role]) -> Guard:
    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        if connection.scope.get("method") == "OPTIONS":
            # The automatic OPTIONS answer (the allowed methods) runs without authentication,
            # like a CORS preflight; there is no caller to check and nothing to protect.
            return
        require_role(connection.user, allowed)

    return guard


staff_only = roles_guard(STAFF)
admins_only = roles_guard(ADMINS)
