"""Bearer authentication: verify the token locally, then find who the caller is."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from helpdesk.domain.errors import Unauthorized

# Routes that need no token (api.md): health, the OpenAPI schema and the local login.
PUBLIC_PATHS = [r"^/health$", r"^/schema", r"^/api/v1/auth/token$"]


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
        return AuthenticationResult(user=actor, auth=claims)
