"""The whole app through Litestar's test client, seeded with the demo data."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import jwt
from dependency_injector import providers
from litestar.testing import TestClient

from helpdesk.container import build_container
from helpdesk.domain.people import Profile
from helpdesk.entrypoints.http import create_app
from helpdesk.settings import load_settings

from ..application.world import Clock, ScriptedClassifier

SECRET = "http-test-secret-0123456789abcdef0123456789"


def bearer(user_id: uuid.UUID | str, **claims: Any) -> dict[str, str]:
    payload = {"sub": str(user_id), "aud": "authenticated", "exp": int(time.time()) + 600, **claims}
    return {"Authorization": f"Bearer {jwt.encode(payload, SECRET, algorithm='HS256')}"}


@dataclass
class Api:
    client: TestClient  # type: ignore[type-arg]
    classifier: ScriptedClassifier
    admin: Profile
    agent: Profile  # it-support
    other_agent: Profile  # finance
    user: Profile
    container: Any

    def as_(self, who: Profile | uuid.UUID) -> dict[str, str]:
        return bearer(who.id if isinstance(who, Profile) else who)

    def file(self, who: Profile | None = None, **body: Any) -> dict[str, Any]:
        payload = {
            "title": "الشبكة لا تعمل",
            "description": "لا يوجد اتصال بالإنترنت في مكتبي منذ الصباح",
            **body,
        }
        response = self.client.post(
            "/api/v1/tickets", json=payload, headers=self.as_(who or self.user)
        )
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]


@contextmanager
def running_api(database_url: str = "memory://", **settings: Any) -> Iterator[Api]:
    config = load_settings(
        {"database_url": database_url, "jwt_secret": SECRET, "rate_limit": 0, **settings},
        environ={},
        env_file=None,
    )
    container = build_container(config)
    classifier = ScriptedClassifier(Clock())
    container.classifier.override(providers.Object(classifier))
    with TestClient(create_app(container=container)) as client:
        with client.portal() as portal:
            accounts = portal.call(container.seed_demo().execute)

            async def find(email: str) -> Profile:
                async with container.uow()() as uow:
                    found = await uow.profiles.get_by_email(email)
                assert found is not None
                return found

            other = portal.call(find, "agent1.finance@helpdesk.local")
        yield Api(
            client, classifier, accounts.admin, accounts.agent, other, accounts.end_user, container
        )
