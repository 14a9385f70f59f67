"""Schemathesis (property-based testing from the OpenAPI document) against the served schema,
the app in process on the memory storage, as an admin, an agent and an end user: no 5xx, every
status, content type and body as documented, and no operation that documents a bearer token
answers without one. Bounded (a few examples per operation) so it stays well under two minutes.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_schema_conformance,
    status_code_conformance,
)

from helpdesk.adapters.storage.memory.unit_of_work import MemoryStorage
from helpdesk.application.tickets.create import CreateTicket
from helpdesk.application.users.create import SYSTEM_ACTOR, CreateUser
from helpdesk.container import close_resources, open_resources
from helpdesk.domain.people import Actor
from helpdesk.domain.taxonomy import Role
from helpdesk.entrypoints.http import create_app

from ..wiring import cheap_hasher
from .conftest import PRINTER, ScriptedClassifier, container_for, mint

pytestmark = pytest.mark.slow
MAX_EXAMPLES = 5  # per operation and generation mode; each case is sent as three roles
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    ignored_auth,
]


@dataclass(frozen=True)
class Api:
    app: Any
    tokens: dict[str, str]  # by role
    ids: dict[str, str]  # path parameters naming things that exist (none of them a caller)


@pytest.fixture(scope="module")
def api() -> Api:
    """The app with the dev utilities on (every route), over a memory storage seeded with the
    demo data first; the app's own lifespan then runs where schemathesis calls it."""
    storage = MemoryStorage()
    overrides = {
        "storage": storage,
        "classifier": ScriptedClassifier(),
        "password_hasher": cheap_hasher(),
    }
    seeding = container_for(overrides=overrides)

    async def seed() -> tuple[Any, dict[str, str]]:
        await open_resources(seeding)
        try:
            accounts = await seeding.seed_demo().execute()
            ticket = await seeding.create_ticket().execute(
                Actor.of(accounts.end_user), CreateTicket(PRINTER["title"], PRINTER["description"])
            )
            other = await seeding.create_user().execute(
                SYSTEM_ACTOR, CreateUser("other@example.test", "مستخدم آخر", Role.END_USER)
            )
            async with seeding.uow()() as uow:
                department = (await uow.departments.all())[0]
                quick_action = (await uow.quick_actions.all())[0]
            ids = {
                "ticket_id": str(ticket.ticket.id),
                "user_id": str(other.id),
                "department_id": str(department.id),
                "quick_action_id": str(quick_action.id),
            }
            return accounts, ids
        finally:
            await close_resources(seeding)

    accounts, ids = asyncio.run(seed())
    container = container_for(overrides=overrides, dev_utilities=True)
    tokens = {
        "admin": mint(accounts.admin.id),
        "agent": mint(accounts.agent.id),
        "end_user": mint(accounts.end_user.id),
    }
    return Api(create_app(container=container), tokens, ids)


@pytest.fixture(scope="module")
def api_schema(api: Api) -> Any:
    return schemathesis.openapi.from_asgi("/schema/openapi.json", api.app)


def run_operation(
    operation: Any, mode: GenerationMode, tokens: dict[str, str], ids: dict[str, str] | None
) -> str | None:
    """Hypothesis over one operation's cases (no shrinking: the first failure is reported as
    found), with `ids` as its path parameters when given; each case is sent as every role. The
    failure's message, or None."""
    known = None
    if ids is not None:
        known = {p.name: ids[p.name] for p in operation.path_parameters if p.name in ids}
        if not known:
            return None  # the run without known ids covers it

    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=known))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        for token in tokens.values():
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

    try:
        check()
    except Unsatisfiable:
        return None  # nothing to make invalid (no parameters, no body)
    except Exception as failure:
        return f"{operation.label} ({mode.value}): {failure}"
    return None


@pytest.mark.parametrize(
    ("mode", "existing"),
    [
        (GenerationMode.POSITIVE, False),
        (GenerationMode.POSITIVE, True),  # path ids of a ticket, a user, … that exist
        (GenerationMode.NEGATIVE, False),
    ],
    ids=["positive", "positive-existing-ids", "negative"],
)
def test_the_api_keeps_its_published_contract(
    api: Api, api_schema: Any, mode: GenerationMode, existing: bool
) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 40
    ids = api.ids if existing else None
    failures = [
        found
        for operation in operations
        if (found := run_operation(operation, mode, api.tokens, ids))
    ]
    assert not failures, "\n\n".join(failures)
