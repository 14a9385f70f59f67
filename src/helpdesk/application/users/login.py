"""The local login: email and password for a bearer token, with a per-account back-off."""

from __future__ import annotations

from helpdesk.application.ports.clock import Clock, IdSource
from helpdesk.application.ports.identity import PasswordHasher
from helpdesk.application.ports.storage.people import Credential
from helpdesk.application.ports.storage.unit_of_work import UnitOfWorkFactory
from helpdesk.application.ports.tokens import IssuedToken, TokenIssuer
from helpdesk.domain import audit
from helpdesk.domain.errors import Forbidden, TooManyAttempts, Unauthorized, ValidationFailed
from helpdesk.domain.login import lock_after, seconds_left
from helpdesk.domain.people import SYSTEM
from helpdesk.domain.users import normalize_email

LOGIN_TTL_SECONDS = 3600


class LoginUseCase:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        hasher: PasswordHasher,
        issuer: TokenIssuer,
        clock: Clock,
        ids: IdSource,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._issuer = issuer
        self._clock = clock
        self._ids = ids

    async def execute(self, email: str, password: str) -> IssuedToken:
        """A wrong email and a wrong password get the same answer, so emails cannot be probed.
        A locked account answers 429 without checking the password at all."""
        try:
            address: str | None = normalize_email(email)
        except ValidationFailed:
            address = None  # no account can have it: still spend a hash, then refuse
        async with self._uow(read_only=True) as uow:
            credential = await uow.credentials.get_by_email(address) if address else None
            profile = await uow.profiles.get(credential.user_id) if credential else None
        if credential is not None:
            wait = seconds_left(credential.locked_until, self._clock.now())
            if wait:
                raise TooManyAttempts("too many wrong passwords; try again later", wait)
        hashed = credential.password_hash if credential and not credential.disabled else None
        # Hashing is slow: no transaction is open while it runs.
        if not await self._hasher.verify(hashed, password) or credential is None:
            if credential is not None and not credential.disabled:
                await self._count_failure(credential)
            raise Unauthorized("wrong email or password")
        if profile is not None and not profile.is_active:
            raise Forbidden("this account is deactivated")
        if credential.failed_logins:
            await self._reset(credential)
        return self._issuer.issue(
            credential.user_id,
            email=profile.email if profile else credential.email,
            ttl_seconds=LOGIN_TTL_SECONDS,
        )

    async def _count_failure(self, credential: Credential) -> None:
        now = self._clock.now()
        async with self._uow() as uow:
            failures = await uow.credentials.count_failure(credential.user_id)
            until = lock_after(failures, now)
            if until is not None:
                current = await uow.credentials.get(credential.user_id)
                assert current is not None
                await uow.credentials.update(
                    Credential(
                        current.user_id,
                        current.email,
                        current.password_hash,
                        current.disabled,
                        current.failed_logins,
                        until,
                    )
                )
                entry = audit.admin_action(
                    SYSTEM,
                    "user.login_locked",
                    "user",
                    credential.user_id,
                    {"failed_logins": failures, "locked_until": until.isoformat()},
                    now=now,
                    new_id=self._ids.new_id,
                )
                await uow.audit.add_all([entry])
            await uow.commit()

    async def _reset(self, credential: Credential) -> None:
        async with self._uow() as uow:
            current = await uow.credentials.get(credential.user_id)
            if current is not None:
                await uow.credentials.update(
                    Credential(
                        current.user_id, current.email, current.password_hash, current.disabled
                    )
                )
                await uow.commit()
