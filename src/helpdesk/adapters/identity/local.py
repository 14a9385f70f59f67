"""The local identity provider: Argon2 password hashes in the helpdesk's own database."""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from helpdesk.application.ports.clock import IdSource
from helpdesk.application.ports.identity import NewIdentity
from helpdesk.application.ports.storage import Credential, DuplicateKey, UnitOfWorkFactory
from helpdesk.domain.errors import Conflict

# Verified when the email is unknown, so that a wrong email takes as long as a wrong password.
_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("no such user")


class LocalIdentityProvider:
    supports_password_login = True

    def __init__(self, uow: UnitOfWorkFactory, ids: IdSource) -> None:
        self._uow = uow
        self._ids = ids

    async def create(self, identity: NewIdentity) -> UUID:
        user_id = identity.user_id or self._ids.new_id()
        if identity.password is None:
            return user_id  # no local login: tokens come from `helpdesk token`
        credential = Credential(user_id, identity.email.lower(), _hasher.hash(identity.password))
        async with self._uow() as uow:
            try:
                await uow.credentials.add(credential)
            except DuplicateKey:
                raise Conflict(f"a login for {identity.email} already exists") from None
            await uow.commit()
        return user_id

    async def disable(self, user_id: UUID) -> None:
        async with self._uow() as uow:
            credential = await uow.credentials.get(user_id)
            if credential is not None and not credential.disabled:
                await uow.credentials.update(replace(credential, disabled=True))
                await uow.commit()

    async def authenticate(self, email: str, password: str) -> UUID | None:
        async with self._uow() as uow:
            credential = await uow.credentials.get_by_email(email.strip())
        try:
            _hasher.verify(credential.password_hash if credential else _DUMMY_HASH, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        if credential is None or credential.disabled:
            return None
        return credential.user_id
