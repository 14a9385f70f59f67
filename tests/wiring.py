"""Use cases wired by the real container over a storage, classifier and clock a test chose."""

from __future__ import annotations

from typing import Any

from argon2 import PasswordHasher
from dependency_injector import providers

from helpdesk.adapters.identity.local import Argon2PasswordHasher
from helpdesk.container import Container, build_container
from helpdesk.settings import Settings


def cheap_hasher() -> Argon2PasswordHasher:
    """Argon2 at its cheapest: the tests check what a login does, not what it costs."""
    return Argon2PasswordHasher(hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def wired(storage: Any, classifier: Any, clock: Any = None, **settings: Any) -> Container:
    """A container whose resources are the given objects (no identity provider: local logins)."""
    settings = {"jwt_secret": "tests-wiring-secret-" + "x" * 32, "scheduler": "off", **settings}
    container = build_container(Settings(database_url="memory://", env="test", **settings))
    container.storage.override(providers.Object(storage))
    container.classifier.override(providers.Object(classifier))
    container.identity.override(providers.Object(None))
    container.jwks.override(providers.Object(None))
    container.redis.override(providers.Object(None))
    container.password_hasher.override(providers.Object(cheap_hasher()))
    if clock is not None:
        container.clock.override(providers.Object(clock))
    return container
