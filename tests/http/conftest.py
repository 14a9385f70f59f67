"""Fixtures of the HTTP suite: the whole app through Litestar's test client, seeded with the
demo data, with a scripted classifier and tokens minted here with PyJWT (so every request also
exercises the real token verifier).

One app on the memory storage is shared by the session (`world`); tests keep to tickets they file
themselves. A test whose assertions depend on everything in the helpdesk (counts, reports, a
department switched off, an agent released) takes `fresh_world`; one that must hold on every
storage adapter takes `storage_world` (memory, SQLite and PostgreSQL, each fresh and migrated);
anything else calls `make_world(**settings)` itself.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import jwt
import pytest
from dependency_injector import providers
from litestar.testing import TestClient

from helpdesk.application.users.create import SYSTEM_ACTOR, CreateUser
from helpdesk.container import build_container
from helpdesk.domain.classification import Classification
from helpdesk.domain.departments import Department
from helpdesk.domain.people import Profile
from helpdesk.domain.taxonomy import Category, Role
from helpdesk.entrypoints.http import create_app
from helpdesk.settings import load_settings

from ..wiring import cheap_hasher
from .gotrue import SERVICE_KEY, GoTrue

SECRET = "tests-http-secret-" + "0123456789abcdef" * 4  # 82 bytes: enough for HS512 too
AUDIENCE = "authenticated"
PROBLEM_JSON = "application/problem+json"
PROBLEM_KEYS = {"type", "title", "status", "detail"}

# Words the scripted classifier reacts to, and what it answers (first match wins).
KEYWORDS: tuple[tuple[str, dict[Category, float]], ...] = (
    ("الطابعة", {Category.PRINTING: 0.93, Category.HARDWARE: 0.04}),  # auto → it-support
    ("الشبكة", {Category.NETWORK: 0.95, Category.SOFTWARE: 0.03}),  # auto → it-support
    ("الراتب", {Category.FINANCE: 0.91, Category.HR: 0.05}),  # auto → finance
    ("المكيف", {Category.FACILITIES: 0.65, Category.HARDWARE: 0.2}),  # suggested → facilities
)
FALLBACK = {Category.OTHER: 0.9}  # `other` has no department: manual, triage


class ScriptedClassifier:
    """Answers by keyword in the text; a test may force an answer (`forced`) or take the
    classifier down (`down`); `calls` counts the texts it was given."""

    def __init__(self) -> None:
        self.forced: dict[Category, float] | None = None
        self.down = False
        self.calls = 0

    async def classify(self, text: str) -> Classification | None:
        self.calls += 1
        if self.down:
            return None
        scores = self.forced or next(
            (answer for word, answer in KEYWORDS if word in text), FALLBACK
        )
        return Classification.from_scores(
            scores, model="scripted-1", classified_at=datetime.now(UTC)
        )

    async def health(self) -> str:
        return "unavailable" if self.down else "ok"

    @contextmanager
    def answering(self, scores: dict[Category, float] | None) -> Iterator[None]:
        """`None` means unavailable."""
        previous = (self.forced, self.down)
        self.forced, self.down = scores, scores is None
        try:
            yield
        finally:
            self.forced, self.down = previous


def mint(
    sub: Any = None,
    *,
    key: str | None = SECRET,
    algorithm: str = "HS256",
    expires_in: int = 600,
    drop: tuple[str, ...] = (),
    headers: dict[str, Any] | None = None,
    **claims: Any,
) -> str:
    """An access token like Supabase's: `sub`, `aud`, `exp`, plus `claims`; `drop` removes
    claims."""
    now = int(time.time())
    payload: dict[str, Any] = {
        "sub": str(sub if sub is not None else uuid.uuid4()),
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + expires_in,
        "role": "authenticated",
        **claims,
    }
    for name in drop:
        payload.pop(name, None)
    return jwt.encode(payload, key, algorithm=algorithm, headers=headers)


def bearer(who: Profile | uuid.UUID | str, **claims: Any) -> dict[str, str]:
    user_id = who.id if isinstance(who, Profile) else who
    return {"Authorization": f"Bearer {mint(user_id, **claims)}"}


def assert_problem(response: Any, status: int | None = None) -> dict[str, Any]:
    """An RFC 9457 document: the content type, the keys, `errors` exactly on 422, no trace."""
    if status is not None:
        assert response.status_code == status, (response.status_code, response.text)
    assert response.status_code >= 400, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON), response.headers
    body = response.json()
    assert isinstance(body, dict), body
    assert set(body) >= PROBLEM_KEYS, body
    assert body["status"] == response.status_code
    assert all(isinstance(body[k], str) and body[k] for k in ("type", "title", "detail")), body
    if response.status_code == 422:
        assert body["errors"], body
        for error in body["errors"]:
            assert set(error) == {"field", "message"}, error
            assert error["field"] and error["message"], error
    else:
        assert "errors" not in body, body
    if response.status_code == 401:
        assert response.headers["www-authenticate"].startswith("Bearer"), response.headers
    assert "Traceback" not in response.text and 'File "' not in response.text
    return body  # type: ignore[no-any-return]


def error_fields(response: Any) -> list[str]:
    return [e["field"] for e in assert_problem(response, 422)["errors"]]


# Texts that pass the Arabic rules, by where the scripted classifier sends them.
PRINTER = {"title": "الطابعة لا تطبع", "description": "الطابعة في الطابق الثاني لا تطبع أي ورقة"}
NETWORK = {"title": "الشبكة مقطوعة", "description": "لا يوجد اتصال بالشبكة في مكتبي منذ الصباح"}
SALARY = {"title": "خطأ في الراتب", "description": "الراتب لهذا الشهر ناقص عن المعتاد بكثير"}
COOLING = {"title": "المكيف معطل", "description": "المكيف في قاعة الاجتماعات لا يعمل أبدا"}
VAGUE = {"title": "استفسار عام", "description": "لدي سؤال عام عن الإجراءات المتبعة هنا"}


@dataclass
class World:
    client: TestClient  # type: ignore[type-arg]
    container: Any
    classifier: ScriptedClassifier
    admin: Profile
    user: Profile  # an end user
    other_user: Profile  # another end user
    it_agents: list[Profile]  # it-support
    finance_agent: Profile
    departments: dict[str, Department]
    deactivated: dict[Role, Profile] = field(default_factory=dict)

    def call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """Run an async callable on the app's event loop."""
        with self.client.portal() as portal:
            return portal.call(lambda: fn(*args, **kwargs))

    def request(
        self,
        method: str,
        path: str,
        who: Profile | uuid.UUID | str | None = None,
        *,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> Any:
        merged = {**(bearer(who) if who is not None else {}), **(headers or {})}
        return self.client.request(method, path, headers=merged, **kwargs)

    def file(
        self,
        who: Profile | uuid.UUID | str | None = None,
        text: dict[str, str] = PRINTER,
        **body: Any,
    ) -> dict[str, Any]:
        response = self.request("POST", "/api/v1/tickets", who or self.user, json={**text, **body})
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]

    def new_department(self, slug: str) -> str:
        """A department without categories, made by the admin over HTTP: its id."""
        body = {"slug": slug, "name": "قسم للاختبار", "categories": []}
        return self._created("/api/v1/departments", body)

    def new_quick_action(self) -> str:
        """A quick action made by the admin over HTTP: its id."""
        body = {"label": "اختبار", "title": "طلب اختبار", "description": "وصف طلب الاختبار هنا"}
        return self._created("/api/v1/quick-actions", body)

    def _created(self, path: str, body: dict[str, Any]) -> str:
        response = self.request("POST", path, self.admin, json=body)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    def profile(self, user_id: str | uuid.UUID) -> Profile:
        found = self.call(self._profile, uuid.UUID(str(user_id)))
        assert found is not None
        return found  # type: ignore[no-any-return]

    async def _profile(self, user_id: uuid.UUID) -> Profile | None:
        async with self.container.uow()() as uow:
            return await uow.profiles.get(user_id)  # type: ignore[no-any-return]

    def new_user(
        self, role: Role = Role.END_USER, *, slug: str | None = None, **kw: Any
    ) -> Profile:
        department = self.departments[slug].id if slug else None
        command = CreateUser(
            f"{role}-{uuid.uuid4().hex[:10]}@example.test",
            "مستخدم للاختبار",
            role,
            department_id=department,
            **kw,
        )
        return self.call(self.container.create_user().execute, SYSTEM_ACTOR, command)  # type: ignore[no-any-return]

    def deactivate(self, profile: Profile) -> Profile:
        async def run() -> Profile:
            async with self.container.uow()() as uow:
                stored = await uow.profiles.get(profile.id)
                assert stored is not None
                stored.is_active = False
                await uow.profiles.update(stored)
                await uow.commit()
                return stored

        return self.call(run)  # type: ignore[no-any-return]


def container_for(*, overrides: dict[str, Any] | None = None, **settings: Any) -> Any:
    """The container of a test app: the memory storage, the tests' JWT secret, no rate limit and
    no inline scheduler unless `settings` (as `load_settings` takes them) say otherwise (a test
    that wants the periodic work says `scheduler="inline"`), and `overrides` replacing
    providers by name before anything is built. Nothing else is replaced: no demo data, the
    configured classifier, the production password hasher."""
    config = load_settings(
        {
            "database_url": "memory://",
            "jwt_secret": SECRET,
            "rate_limit": 0,
            "scheduler": "off",
            **settings,
        },
        environ={},
        env_file=None,
    )
    container = build_container(config)
    for name, value in (overrides or {}).items():
        getattr(container, name).override(providers.Object(value))
    return container


@contextmanager
def make_world(*, overrides: dict[str, Any] | None = None, **settings: Any) -> Iterator[World]:
    """A running app with the demo data and the scripted classifier (see `container_for` for
    `settings` and `overrides`). Passwords are hashed with Argon2 at its cheapest settings unless
    `overrides` names another `password_hasher`."""
    classifier = ScriptedClassifier()
    container = container_for(
        overrides={
            "classifier": classifier,
            "password_hasher": cheap_hasher(),
            **(overrides or {}),
        },
        **settings,
    )
    app = create_app(container=container)
    with TestClient(app) as client:
        with client.portal() as portal:
            accounts = portal.call(container.seed_demo().execute)

            async def load() -> tuple[dict[str, Department], list[Profile], Profile]:
                async with container.uow()() as uow:
                    departments = {d.slug: d for d in await uow.departments.all()}
                    it = await uow.profiles.active_agents(departments["it-support"].id)
                    finance = await uow.profiles.active_agents(departments["finance"].id)
                return departments, sorted(it, key=lambda p: p.email), finance[0]

            departments, it_agents, finance_agent = portal.call(load)
        world = World(
            client=client,
            container=container,
            classifier=classifier,
            admin=accounts.admin,
            user=accounts.end_user,
            other_user=accounts.end_user,
            it_agents=it_agents,
            finance_agent=finance_agent,
            departments=departments,
        )
        world.other_user = world.new_user(Role.END_USER)
        for role, slug in ((Role.END_USER, None), (Role.AGENT, "it-support"), (Role.ADMIN, None)):
            world.deactivated[role] = world.deactivate(world.new_user(role, slug=slug))
        yield world


@pytest.fixture(scope="session")
def world() -> Iterator[World]:
    with make_world() as built:
        yield built


@pytest.fixture
def classifier(world: World) -> Iterator[ScriptedClassifier]:
    """The shared world's classifier, back to keyword answers after the test."""
    world.classifier.forced, world.classifier.down = None, False
    yield world.classifier
    world.classifier.forced, world.classifier.down = None, False


@pytest.fixture
def fresh_world() -> Iterator[World]:
    """A world of the test's own, on the memory storage."""
    with make_world() as built:
        yield built


@pytest.fixture
def storage_world(storage_url: str) -> Iterator[World]:
    """A world of the test's own on each storage adapter (PostgreSQL skips without a server,
    except under CI)."""
    with make_world(database_url=storage_url) as built:
        yield built


@pytest.fixture
def gotrue() -> Iterator[GoTrue]:
    """A GoTrue stand-in of the test's own."""
    server = GoTrue()
    yield server
    server.close()


@pytest.fixture
def supabase_world(gotrue: GoTrue) -> Iterator[World]:
    """A world whose identities live in Supabase Auth (the stand-in); the identity adapter gives
    up after half a second so that a hanging GoTrue is quick to test."""
    from helpdesk.adapters.identity.supabase import SupabaseIdentityProvider

    identity = SupabaseIdentityProvider(gotrue.url, SERVICE_KEY, timeout=2.0)
    settings = {"supabase_url": gotrue.url, "supabase_service_role_key": SERVICE_KEY}
    with make_world(overrides={"identity": identity}, **settings) as built:
        yield built
        built.call(identity.aclose)  # on the app's loop, where its connections live
