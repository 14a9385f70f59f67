"""The local login: email and password for a bearer token."""

from __future__ import annotations

from helpdesk.application.ports.identity import PasswordHasher
from helpdesk.application.ports.storage.unit_of_work import UnitOfWorkFactory
from helpdesk.application.ports.tokens import IssuedToken, TokenIssuer
from helpdesk.domain.errors import Forbidden, Unauthorized, ValidationFailed
from helpdesk.domain.users import normalize_email

LOGIN_TTL_SECONDS = 3600


class LoginUseCase:
    def __init__(self, uow: UnitOfWorkFactory, hasher: PasswordHasher, issuer: TokenIssuer) -> None:
        self._uow = uow
        self._hasher = hasher
        self._issuer = issuer

    async def execute(self, email: str, password: str) -> IssuedToken:
        """A wrong email and a wrong password get the same answer, so emails cannot be probed."""
        try:
            address = normalize_email(email)
        except ValidationFailed:
            address = None  # no account can have it: still spend a hash, then refuse
        async with self._uow() as uow:
            credential = await uow.credentials.get_by_email(address) if address else None
            profile = await uow.profiles.get(credential.user_id) if credential else None
        hashed = credential.password_hash if credential and not credential.disabled else None
        if not await self._hasher.verify(hashed, password) or credential is None:
            raise Unauthorized("wrong email or password")
        if profile is not None and not profile.is_active:
            raise Forbidden("this account is deactivated")
        return self._issuer.issue(
            credential.user_id,
            email=profile.email if profile else credential.email,
            ttl_seconds=LOGIN_TTL_SECONDS,
        )
