"""What a worker keeps: callers' profiles and reference data (departments, SLA policies).
Expiry, no stale entry after a change, and on PostgreSQL a change committed by another worker
(another storage, its own pool) forgets what was kept; a read-only unit of work opens no
transaction."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import text

from helpdesk.adapters.storage.profile_cache import TtlProfileCache
from helpdesk.adapters.storage.sql.unit_of_work import SqlStorage
from helpdesk.application.ports.tokens import TokenClaims
from helpdesk.application.users.identify import IdentifyCallerUseCase
from helpdesk.domain.departments import Department
from helpdesk.domain.people import Profile
from helpdesk.domain.sla.policy import SlaPolicy
from helpdesk.domain.taxonomy import Priority, Role


def profile(role: Role = Role.AGENT, **changes: object) -> Profile:
    made = Profile(
        id=uuid.uuid4(),
        email=f"{uuid.uuid4().hex[:8]}@x.io",
        full_name="وكيل",
        role=role,
        department_id=None,
        is_active=True,
        is_available=True,
        max_open_tickets=None,
        created_at=datetime.now(UTC),
    )
    return replace(made, **changes)  # type: ignore[arg-type]


class Clock:
    def __init__(self) -> None:
        self.at = 100.0

    def __call__(self) -> float:
        return self.at


def test_kept_until_it_expires() -> None:
    clock = Clock()
    cache = TtlProfileCache(5, clock=clock)
    kept = profile()
    cache.put(kept, cache.version())
    assert cache.get(kept.id) is kept
    clock.at += 4.9
    assert cache.get(kept.id) is kept
    clock.at += 0.1
    assert cache.get(kept.id) is None


def test_a_load_that_raced_a_change_is_not_kept() -> None:
    cache = TtlProfileCache(5)
    stale = profile()
    seen = cache.version()  # a request starts loading the profile …
    cache.forget([stale.id])  # … a change commits meanwhile …
    cache.put(stale, seen)  # … what it loaded may predate the change
    assert cache.get(stale.id) is None


def test_nothing_is_kept_while_suspended_or_with_no_time() -> None:
    cache = TtlProfileCache(5)
    cache.suspend()
    one = profile()
    cache.put(one, cache.version())
    assert cache.get(one.id) is None
    cache.resume()
    cache.put(one, cache.version())
    assert cache.get(one.id) is one
    off = TtlProfileCache(0)
    off.put(one, off.version())
    assert off.get(one.id) is None


def test_the_oldest_make_room() -> None:
    cache = TtlProfileCache(5, max_entries=3)
    made = [profile() for _ in range(4)]
    for p in made:
        cache.put(p, cache.version())
    assert cache.get(made[0].id) is None
    assert all(cache.get(p.id) is p for p in made[1:])


async def _add(storage: SqlStorage, p: Profile) -> None:
    async with storage.unit_of_work() as uow:
        await uow.profiles.add(p)
        await uow.commit()


async def _deactivate(storage: SqlStorage, user_id: uuid.UUID, *, commit: bool = True) -> None:
    async with storage.unit_of_work() as uow:
        found = await uow.profiles.get(user_id)
        assert found is not None
        found.is_active = False
        await uow.profiles.update(found)
        if commit:
            await uow.commit()


async def _caller(storage: SqlStorage, user_id: uuid.UUID) -> object:
    identify = IdentifyCallerUseCase(storage.unit_of_work, storage.profile_cache)
    return await identify.execute(TokenClaims(user_id=user_id, email=None, full_name=None))


async def test_a_change_in_this_worker_is_seen_at_once(sqlite_url: str) -> None:
    storage = SqlStorage(sqlite_url, profile_cache_seconds=60)
    try:
        agent = profile()
        await _add(storage, agent)
        assert (await _caller(storage, agent.id)).is_active  # type: ignore[attr-defined]
        assert storage.profile_cache is not None and storage.profile_cache.get(agent.id)
        await _deactivate(storage, agent.id, commit=False)  # rolled back: still kept
        assert storage.profile_cache.get(agent.id) is not None
        await _deactivate(storage, agent.id)
        assert storage.profile_cache.get(agent.id) is None
        assert not (await _caller(storage, agent.id)).is_active  # type: ignore[attr-defined]
    finally:
        await storage.dispose()


async def test_a_change_in_another_worker_is_heard(postgres_url: str) -> None:
    """Two storages, as two worker processes would have: each keeps profiles; a commit in one
    makes the other forget (NOTIFY, delivered at commit)."""
    one = SqlStorage(postgres_url, profile_cache_seconds=60)
    other = SqlStorage(postgres_url, profile_cache_seconds=60)
    try:
        await one.listen_for_profile_changes()
        await other.listen_for_profile_changes()
        agent = profile()
        await _add(other, agent)
        assert (await _caller(one, agent.id)).is_active  # type: ignore[attr-defined]
        assert one.profile_cache is not None and one.profile_cache.get(agent.id)
        await _deactivate(other, agent.id)
        deadline = time.monotonic() + 5
        while one.profile_cache.get(agent.id) is not None:
            assert time.monotonic() < deadline, "the other worker's change was not heard"
            await asyncio.sleep(0.02)
        assert not (await _caller(one, agent.id)).is_active  # type: ignore[attr-defined]
    finally:
        await one.dispose()
        await other.dispose()


async def test_postgres_keeps_nothing_until_it_listens(postgres_url: str) -> None:
    storage = SqlStorage(postgres_url, profile_cache_seconds=60)
    try:
        agent = profile()
        await _add(storage, agent)
        await _caller(storage, agent.id)
        assert storage.profile_cache is not None
        assert storage.profile_cache.get(agent.id) is None  # changes elsewhere unheard yet
        await storage.listen_for_profile_changes()
        await _caller(storage, agent.id)
        assert storage.profile_cache.get(agent.id) is not None
    finally:
        await storage.dispose()


async def test_a_read_only_unit_of_work_opens_no_transaction(postgres_url: str) -> None:
    """No BEGIN and ROLLBACK round trips: each statement is its own transaction."""
    storage = SqlStorage(postgres_url)
    try:
        async with storage.unit_of_work(read_only=True) as uow:
            conn = uow._conn
            assert conn is not None
            first = (await conn.execute(text("SELECT txid_current()"))).scalar_one()
            second = (await conn.execute(text("SELECT txid_current()"))).scalar_one()
            assert first != second
        async with storage.unit_of_work() as uow:
            conn = uow._conn
            assert conn is not None
            first = (await conn.execute(text("SELECT txid_current()"))).scalar_one()
            second = (await conn.execute(text("SELECT txid_current()"))).scalar_one()
            assert first == second  # a writing one is one transaction
    finally:
        await storage.dispose()


# --- reference data: departments, SLA policies, calendars ---------------------------------


def department(slug: str) -> Department:
    return Department(
        id=uuid.uuid4(),
        slug=slug,
        name="قسم",
        description="",
        categories=(),
        is_active=True,
        created_at=datetime.now(UTC),
    )


async def _departments(storage: SqlStorage) -> dict[uuid.UUID, Department]:
    """As a create reads them (a writing unit of work: the kept copies)."""
    async with storage.unit_of_work() as uow:
        return {d.id: d for d in await uow.departments.all()}


async def _policies(storage: SqlStorage) -> set[uuid.UUID]:
    async with storage.unit_of_work() as uow:
        return {p.id for p in await uow.sla.policies()}


async def _set_active(storage: SqlStorage, d: Department, active: bool, *, commit: bool) -> None:
    async with storage.unit_of_work() as uow:
        d.is_active = active
        await uow.departments.update(d)
        # What this unit of work wrote, it reads back, kept copies notwithstanding.
        assert (await uow.departments.all())[0].is_active is active
        if commit:
            await uow.commit()


async def test_reference_data_written_in_this_worker_is_read_at_once(sqlite_url: str) -> None:
    storage = SqlStorage(sqlite_url, profile_cache_seconds=60)
    try:
        it = department("it-kept")
        async with storage.unit_of_work() as uow:
            await uow.departments.add(it)
            await uow.commit()
        assert (await _departments(storage))[it.id].is_active
        kept = await _departments(storage)
        kept[it.id].is_active = False  # a caller changing its copy changes nothing kept
        assert (await _departments(storage))[it.id].is_active
        await _set_active(storage, it, False, commit=False)  # rolled back
        assert (await _departments(storage))[it.id].is_active
        await _set_active(storage, it, False, commit=True)
        assert not (await _departments(storage))[it.id].is_active
        async with storage.engine.begin() as conn:  # by hand, around the service: kept
            await conn.execute(text("UPDATE departments SET is_active = true"))
        assert not (await _departments(storage))[it.id].is_active
        async with storage.unit_of_work(read_only=True) as uow:  # what a list shows: fresh
            assert {d.id: d for d in await uow.departments.all()}[it.id].is_active
    finally:
        await storage.dispose()


async def test_reference_data_written_by_another_worker_is_heard(postgres_url: str) -> None:
    one = SqlStorage(postgres_url, profile_cache_seconds=60)
    other = SqlStorage(postgres_url, profile_cache_seconds=60)
    try:
        await one.listen_for_profile_changes()
        await other.listen_for_profile_changes()
        it = department(f"it-{uuid.uuid4().hex[:8]}")
        async with other.unit_of_work() as uow:
            await uow.departments.add(it)
            await uow.commit()

        async def heard(check: Callable[[], Awaitable[bool]]) -> None:
            deadline = time.monotonic() + 5
            while not await check():
                assert time.monotonic() < deadline, "the other worker's change was not heard"
                await asyncio.sleep(0.02)

        await heard(lambda: _has(one, it.id))
        before = await _policies(one)
        await _set_active(other, it, False, commit=True)
        await heard(lambda: _inactive(one, it.id))
        policy = SlaPolicy(uuid.uuid4(), "سياسة", Priority.LOW, 60, 600, datetime.now(UTC), it.id)
        async with other.unit_of_work() as uow:
            await uow.sla.add_policy(policy)
            await uow.commit()
        assert policy.id not in before
        await heard(lambda: _has_policy(one, policy.id))
    finally:
        await one.dispose()
        await other.dispose()


async def _has(storage: SqlStorage, department_id: uuid.UUID) -> bool:
    return department_id in await _departments(storage)


async def _inactive(storage: SqlStorage, department_id: uuid.UUID) -> bool:
    return not (await _departments(storage))[department_id].is_active


async def _has_policy(storage: SqlStorage, policy_id: uuid.UUID) -> bool:
    return policy_id in await _policies(storage)


async def test_a_read_only_unit_of_work_opens_no_transaction_on_sqlite(sqlite_url: str) -> None:
    """No BEGIN: each statement reads its own snapshot, and nothing is left open."""
    storage = SqlStorage(sqlite_url)
    try:
        async with storage.unit_of_work(read_only=True) as uow:
            await uow.departments.all()
            conn = uow._conn
            assert conn is not None
            raw = await conn.get_raw_connection()
            assert raw.driver_connection is not None
            assert not raw.driver_connection.in_transaction
        async with storage.unit_of_work() as uow:
            await uow.departments.all()
            conn = uow._conn
            assert conn is not None
            raw = await conn.get_raw_connection()
            assert raw.driver_connection is not None
            assert raw.driver_connection.in_transaction  # a writing one is one transaction
    finally:
        await storage.dispose()
