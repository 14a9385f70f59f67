"""The local login: email and password for a bearer token."""

from __future__ import annotations

from helpdesk.application.context import Context
from helpdesk.application.ports.identity import IdentityProvider
from helpdesk.application.ports.tokens import IssuedToken, TokenIssuer
from helpdesk.domain.errors import Forbidden, Unauthorized

LOGIN_TTL_SECONDS = 3600


class LoginUseCase:
    def __init__(self, ctx: Context, identity: IdentityProvider, issuer: TokenIssuer) -> None:
        self._ctx = ctx
        self._identity = identity
        self._issuer = issuer

    async def execute(self, email: str, password: str) -> IssuedToken:
        """A wrong email and a wrong password get the same answer, so emails cannot be probed."""
        user_id = await self._identity.authenticate(email, password)
        if user_id is None:
            raise Unauthorized("wrong email or password")
        async with self._ctx.uow() as uow:
            profile = await uow.profiles.get(user_id)
        if profile is not None and not profile.is_active:
            raise Forbidden("this account is deactivated")
        return self._issuer.issue(
            user_id, email=profile.email if profile else email, ttl_seconds=LOGIN_TTL_SECONDS
        )
