"""Use cases wired by the real container over a storage, classifier and clock a test chose."""

from __future__ import annotations

from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from dependency_injector import providers

from helpdesk.container import Container, build_container
from helpdesk.settings import Settings


class QuickArgon2:
    """The password-hasher port with Argon2 at its cheapest settings, inline. Every test world
    seeds a dozen accounts with passwords; at the production cost that is seconds per world
    (minutes for a property test that builds a hundred). The production hasher's own behaviour
    (its cost, off the event loop) is tested in tests/http/test_hardening.py."""

    def __init__(self) -> None:
        self._argon2 = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)

    async def hash(self, password: str) -> str:
        return self._argon2.hash(password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        if password_hash is None:
            return False
        try:
            return self._argon2.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


def wired(storage: Any, classifier: Any, clock: Any = None, **settings: Any) -> Container:
    """A container whose resources are the given objects (no identity provider: local logins)."""
    container = build_container(Settings(database_url="memory://", env="test", **settings))
    container.storage.override(providers.Object(storage))
    container.classifier.override(providers.Object(classifier))
    container.identity.override(providers.Object(None))
    container.jwks.override(providers.Object(None))
    container.redis.override(providers.Object(None))
    container.password_hasher.override(providers.Object(QuickArgon2()))
    if clock is not None:
        container.clock.override(providers.Object(clock))
    return container
