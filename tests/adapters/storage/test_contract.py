"""The storage contract: every adapter (memory, SQLite, PostgreSQL, and PostgreSQL behind
pgbouncer in transaction mode) behaves exactly like the others. The memory adapter is the
reference; each test here runs on all four (`storage` in conftest.py)."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import replace
from datetime import timedelta, timezone
from typing import Any

import pytest

from helpdesk.application.ports.storage.common import DuplicateKey
from helpdesk.application.ports.storage.people import Credential
from helpdesk.application.ports.storage.stats import StatsWindow
from helpdesk.application.ports.storage.tickets import (
    AdminAuditFilter,
    DuplicateIdempotencyKey,
    IdempotencyRecord,
    StaleVersion,
    TicketFilter,
)
from helpdesk.domain.arabic import fold
from helpdesk.domain.keyset import Position
from helpdesk.domain.permissions import TicketScope
from helpdesk.domain.records import AuditEntry, Comment, Notification, QuickAction
from helpdesk.domain.taxonomy import Category, Priority, Role, RoutingMode, TicketStatus

from .builders import (
    EVERYTHING,
    T0,
    department,
    manual_ticket,
    profile,
    seed,
    ticket,
    uuid_with_prefix,
)

RIYADH = timezone(timedelta(hours=3))

# --- tickets ---------------------------------------------------------------------------------


async def test_tickets_round_trip_with_increasing_numbers(storage: Any) -> None:
    dept = department()
    submitter, agent = profile(Role.END_USER), profile(Role.AGENT, None)
    agent.department_id = dept.id
    first = ticket(submitter, department_id=dept.id, assignee=agent.id)
    second = manual_ticket(submitter, at=T0 + timedelta(seconds=1))
    await seed(storage, dept, submitter, agent, first, second)
    assert 0 < first.number < second.number
    async with storage.unit_of_work() as uow:
        assert await uow.tickets.get(first.id) == first
        assert await uow.tickets.get(second.id) == second
        assert await uow.tickets.get(uuid.uuid4()) is None
        stored = await uow.tickets.get(first.id)
    assert stored is not None
    # Times come back aware, in UTC.
    assert stored.created_at.utcoffset() == timedelta(0)
    assert stored.classification is not None
    assert stored.classification.classified_at == first.created_at


async def test_numbers_are_never_given_twice(storage: Any) -> None:
    submitter = profile(Role.END_USER)
    first = manual_ticket(submitter)
    await seed(storage, submitter, first)
    async with storage.unit_of_work() as uow:
        assert await uow.tickets.delete_all() == 1
        await uow.commit()
    again = manual_ticket(submitter)
    await seed(storage, again)
    assert again.number > first.number


async def test_a_time_in_another_zone_is_the_same_instant(storage: Any) -> None:
    submitter = profile(Role.END_USER)
    t = manual_ticket(submitter, at=T0.astimezone(RIYADH))
    await seed(storage, submitter, t)
    async with storage.unit_of_work() as uow:
        stored = await uow.tickets.get(t.id)
        assert stored is not None and stored.created_at == T0
        found = await uow.tickets.search(
            EVERYTHING, TicketFilter(created_after=T0, created_before=T0 + timedelta(1)), None, 5
        )
        assert [x.id for x in found] == [t.id]


async def test_updates_check_the_version(storage: Any) -> None:
    submitter = profile(Role.END_USER)
    t = manual_ticket(submitter)
    await seed(storage, submitter, t)
    changed = replace(
        t,
        priority=Priority.URGENT,
        title="انقطاع الكهرباء",
        version=2,
        updated_at=T0 + timedelta(hours=1),
    )
    async with storage.unit_of_work() as uow:
        await uow.tickets.update(changed, expected_version=1)
        await uow.commit()
    async with storage.unit_of_work() as uow:
        assert (await uow.tickets.get(t.id)) == changed
        with pytest.raises(StaleVersion):
            await uow.tickets.update(replace(changed, version=3), expected_version=1)
        with pytest.raises(StaleVersion):
            await uow.tickets.update(
                replace(changed, id=uuid.uuid4(), version=3), expected_version=2
            )
        # The text search follows the new title, and forgets the old one.
        assert [
            x.id
            for x in await uow.tickets.search(
                EVERYTHING, TicketFilter(text=fold("الكهرباء")), None, 5
            )
        ] == [t.id]
        assert (
            await uow.tickets.search(
                EVERYTHING, TicketFilter(text=fold("الطابعة لا تعمل")), None, 5
            )
            == []
        )


async def test_a_ticket_read_in_a_unit_of_work_is_held_until_it_ends(storage: Any) -> None:
    """Read-modify-write: a second writer of the same ticket reads it only after the first
    transaction ended (memory and SQLite serialize whole transactions; PostgreSQL locks the
    row on `get`), so it sees the new version instead of failing its version check."""
    submitter = profile(Role.END_USER)
    t = manual_ticket(submitter)
    await seed(storage, submitter, t)
    held, release = asyncio.Event(), asyncio.Event()

    async def first() -> None:
        async with storage.unit_of_work() as uow:
            mine = await uow.tickets.get(t.id)
            assert mine is not None
            held.set()
            await release.wait()
            await uow.tickets.update(
                replace(mine, priority=Priority.HIGH, version=2), expected_version=1
            )
            await uow.commit()

    async def second() -> int:
        async with storage.unit_of_work() as uow:
            theirs = await uow.tickets.get(t.id)
            assert theirs is not None
            await uow.tickets.update(
                replace(theirs, priority=Priority.LOW, version=theirs.version + 1),
                expected_version=theirs.version,
            )
            await uow.commit()
            return int(theirs.version)

    one = asyncio.create_task(first())
    await held.wait()
    two = asyncio.create_task(second())
    done, _ = await asyncio.wait({two}, timeout=0.5)
    assert not done, "the second writer read the ticket while the first held it"
    release.set()
    await one
    assert await two == 2
    async with storage.unit_of_work() as uow:
        final = await uow.tickets.get(t.id)
    assert final is not None and (final.version, final.priority) == (3, Priority.LOW)


async def test_search_filters_order_and_keyset(storage: Any) -> None:
    it, hr = department("it"), department("hr", (Category.HR,))
    submitter = profile(Role.END_USER)
    agent = profile(Role.AGENT, it.id)
    other = profile(Role.END_USER)
    same_time = T0 + timedelta(minutes=5)
    rows = [
        ticket(submitter, at=T0, department_id=it.id, assignee=agent.id),
        ticket(
            submitter,
            at=same_time,
            title="إعادة تعيين كلمة المرور",
            description="أحتاج إلى إعادة تعيين كلمة المرور لحسابي",
            category=Category.ACCOUNTS_ACCESS,
            confidence=0.6,
            mode=RoutingMode.SUGGESTED,
            department_id=hr.id,
        ),
        manual_ticket(other, at=same_time),
        ticket(
            other, at=T0 + timedelta(minutes=9), department_id=it.id, status=TicketStatus.RESOLVED
        ),
    ]
    rows[3].priority = Priority.HIGH
    rows[1].routing_overridden = True
    await seed(storage, it, hr, submitter, agent, other, *rows)
    async with storage.unit_of_work() as uow:
        found = await uow.tickets.search(EVERYTHING, TicketFilter(), None, 10)
        # Newest first; equal times by id, descending.
        assert found == sorted(rows, key=lambda t: (t.created_at, t.id.int), reverse=True)
        page = await uow.tickets.search(EVERYTHING, TicketFilter(), None, 2)
        rest = await uow.tickets.search(
            EVERYTHING, TicketFilter(), Position(page[-1].created_at, page[-1].id), 10
        )
        assert [t.id for t in page + rest] == [t.id for t in found]

        async def ids(where: TicketFilter, scope: TicketScope = EVERYTHING) -> set[uuid.UUID]:
            return {t.id for t in await uow.tickets.search(scope, where, None, 50)}

        assert await ids(TicketFilter(unassigned=True)) == {rows[1].id, rows[2].id, rows[3].id}
        assert await ids(TicketFilter(assignee_id=agent.id)) == {rows[0].id}
        assert await ids(TicketFilter(statuses=frozenset({TicketStatus.TRIAGE}))) == {
            rows[1].id,
            rows[2].id,
        }
        assert await ids(
            TicketFilter(statuses=frozenset({TicketStatus.OPEN, TicketStatus.RESOLVED}))
        ) == {rows[0].id, rows[3].id}
        assert await ids(TicketFilter(statuses=frozenset())) == set()
        assert await ids(TicketFilter(priority=Priority.HIGH)) == {rows[3].id}
        assert await ids(TicketFilter(overridden=True)) == {rows[1].id}
        assert await ids(TicketFilter(overridden=False)) == {rows[0].id, rows[2].id, rows[3].id}
        assert await ids(TicketFilter(category=Category.ACCOUNTS_ACCESS)) == {rows[1].id}
        assert await ids(TicketFilter(routing_mode=RoutingMode.MANUAL)) == {rows[2].id}
        assert await ids(TicketFilter(department_id=it.id)) == {rows[0].id, rows[3].id}
        assert await ids(TicketFilter(department_id=it.id, unassigned=True)) == {rows[3].id}
        # Half-open ranges: from inclusive, to exclusive.
        assert await ids(
            TicketFilter(created_after=same_time, created_before=T0 + timedelta(minutes=9))
        ) == {rows[1].id, rows[2].id}
        assert await ids(TicketFilter(created_before=same_time)) == {rows[0].id}
        # Scopes are unions; an empty scope sees nothing.
        mine = TicketScope(submitter_id=other.id, assignee_id=agent.id)
        assert await ids(TicketFilter(), mine) == {rows[0].id, rows[2].id, rows[3].id}
        assert await ids(TicketFilter(), TicketScope(department_id=hr.id)) == {rows[1].id}
        assert await ids(TicketFilter(), TicketScope()) == set()
        # Scope and filter together.
        assert await ids(TicketFilter(department_id=it.id), mine) == {rows[0].id, rows[3].id}
        # The page size is a limit.
        assert len(await uow.tickets.search(EVERYTHING, TicketFilter(), None, 3)) == 3


async def test_equal_times_are_ordered_by_id_as_uuid_int(storage: Any) -> None:
    """Ties sort by `UUID.int` on every engine (native uuid on PostgreSQL, hex text on
    SQLite): ids are made to differ in their first byte, including the sign-bit-like ones."""
    submitter = profile(Role.END_USER)
    prefixes = (0x00, 0x01, 0x0F, 0x10, 0x7F, 0x80, 0x9A, 0xA0, 0xF0, 0xFF, 0x3C, 0xC3)
    rows = [manual_ticket(submitter, at=T0, id=uuid_with_prefix(p)) for p in prefixes]
    rows.append(manual_ticket(submitter, at=T0 + timedelta(microseconds=1)))
    rows.append(manual_ticket(submitter, at=T0 - timedelta(microseconds=1)))
    await seed(storage, submitter, *rows)
    expected = [t.id for t in sorted(rows, key=lambda t: (t.created_at, t.id.int), reverse=True)]
    async with storage.unit_of_work() as uow:
        seen: list[uuid.UUID] = []
        after = None
        while page := await uow.tickets.search(EVERYTHING, TicketFilter(), after, 5):
            seen += [t.id for t in page]
            after = Position(page[-1].created_at, page[-1].id)
        assert seen == expected

        # Oldest-first lists tie-break the same way, ascending.
        comments = [
            Comment(uuid_with_prefix(p), rows[0].id, submitter.id, "نص", False, T0)
            for p in prefixes
        ]
        for c in comments:
            await uow.comments.add(c)
        listed: list[uuid.UUID] = []
        position = None
        while page_c := await uow.comments.list(
            rows[0].id, include_internal=True, after=position, limit=4
        ):
            listed += [c.id for c in page_c]
            position = Position(page_c[-1].created_at, page_c[-1].id)
        assert listed == sorted((c.id for c in comments), key=lambda i: i.int)


async def test_keyset_positions_may_be_in_any_time_zone(storage: Any) -> None:
    submitter = profile(Role.END_USER)
    rows = [manual_ticket(submitter, at=T0 + timedelta(minutes=i)) for i in range(4)]
    await seed(storage, submitter, *rows)
    async with storage.unit_of_work() as uow:
        anchor = rows[2]
        in_utc = Position(anchor.created_at, anchor.id)
        elsewhere = Position(anchor.created_at.astimezone(RIYADH), anchor.id)
        a = await uow.tickets.search(EVERYTHING, TicketFilter(), in_utc, 10)
        b = await uow.tickets.search(EVERYTHING, TicketFilter(), elsewhere, 10)
        assert [t.id for t in a] == [t.id for t in b] == [rows[1].id, rows[0].id]


async def test_text_search_folds_arabic_and_takes_wildcards_literally(storage: Any) -> None:
    submitter = profile(Role.END_USER)
    reset = manual_ticket(
        submitter,
        title="طلب إعادة تعيين كلمة المرور",
        description="نسيتُ كلمةَ المرور الخاصّة بحسابي",
    )
    discount = manual_ticket(submitter, title="خصم 50% على الطابعات", description="عرض خاص للقسم")
    vpn = manual_ticket(submitter, title="مشكلة في VPN", description="لا يعمل الاتصال عن بعد")
    await seed(storage, submitter, reset, discount, vpn)

    async def found(needle: str) -> set[uuid.UUID]:
        async with storage.unit_of_work() as uow:
            return {
                t.id
                for t in await uow.tickets.search(
                    EVERYTHING, TicketFilter(text=fold(needle)), None, 10
                )
            }

    assert await found("اعاده") == {reset.id}  # no hamza, ه for ة
    assert await found("إعادة") == {reset.id}
    assert await found("كلمه المرور الخاصه") == {reset.id}  # stored with diacritics
    assert await found("نسيت") == {reset.id}
    assert await found("vpn") == {vpn.id}  # Latin is folded to lower case
    assert await found("50%") == {discount.id}
    assert await found("%") == {discount.id}
    assert await found("_") == set()
    assert await found("5_%") == set()
    assert await found("\\") == set()
    assert await found("ط") == {reset.id, discount.id}
    assert await found("الطابعات عرض") == {discount.id}  # across title and description


# --- units of work ---------------------------------------------------------------------------


async def test_nothing_is_kept_without_commit(storage: Any) -> None:
    dept = department()
    async with storage.unit_of_work() as uow:
        await uow.departments.add(dept)
    with pytest.raises(RuntimeError):
        async with storage.unit_of_work() as uow:
            await uow.departments.add(department("other"))
            raise RuntimeError("boom")
    async with storage.unit_of_work() as uow:
        assert await uow.departments.all() == []


async def test_nothing_is_visible_to_another_unit_of_work_before_commit(storage: Any) -> None:
    dept = department()
    written, release = asyncio.Event(), asyncio.Event()

    async def writer() -> None:
        async with storage.unit_of_work() as uow:
            await uow.departments.add(dept)
            written.set()
            await release.wait()
            await uow.commit()

    async def reader() -> list[Any]:
        async with storage.unit_of_work() as uow:
            return list(await uow.departments.all())

    writing = asyncio.create_task(writer())
    await written.wait()
    reading = asyncio.create_task(reader())
    # A reader either does not see the open transaction's row (PostgreSQL's snapshots) or
    # waits for it to end (memory's single writer, SQLite's immediate transactions).
    done, _ = await asyncio.wait({reading}, timeout=0.5)
    if done:
        assert reading.result() == []
    release.set()
    await writing
    await reading
    async with storage.unit_of_work() as uow:
        assert [d.id for d in await uow.departments.all()] == [dept.id]


# --- people and departments ------------------------------------------------------------------


async def test_unique_slugs_and_emails(storage: Any) -> None:
    # Addresses arrive normalized (domain.users.normalize_email): storage compares them exactly.
    admin = profile(Role.ADMIN, email="admin@example.com")
    await seed(storage, department("it"), admin)
    async with storage.unit_of_work() as uow:
        with pytest.raises(DuplicateKey):
            await uow.departments.add(department("it"))
        # The transaction is still usable after a refused row.
        hr = department("hr")
        await uow.departments.add(hr)
        await uow.commit()
    async with storage.unit_of_work() as uow:
        assert [d.slug for d in await uow.departments.all()] == ["hr", "it"]
    async with storage.unit_of_work() as uow:
        with pytest.raises(DuplicateKey):
            await uow.profiles.add(profile(Role.END_USER, email="admin@example.com"))
        with pytest.raises(DuplicateKey):  # the same id
            await uow.profiles.add(profile(Role.END_USER, id=admin.id))
        # Profiles without an email (a token that carried none) do not collide.
        await uow.profiles.add(profile(Role.END_USER, email=""))
        await uow.profiles.add(profile(Role.END_USER, email=""))
        found = await uow.profiles.get_by_email("admin@example.com")
        assert found is not None and found.id == admin.id
        assert await uow.profiles.get_by_email("") is None
        assert await uow.profiles.get_by_email("nobody@example.com") is None
        await uow.commit()


async def test_departments_round_trip(storage: Any) -> None:
    it = department("it", (Category.NETWORK, Category.HARDWARE))
    await seed(storage, department("zz"), it, department("aa"))
    async with storage.unit_of_work() as uow:
        assert await uow.departments.get(it.id) == it
        assert await uow.departments.get(uuid.uuid4()) is None
        assert [d.slug for d in await uow.departments.all()] == ["aa", "it", "zz"]
        changed = replace(it, name="الشبكات", categories=(Category.NETWORK,), is_active=False)
        await uow.departments.update(changed)
        await uow.commit()
    async with storage.unit_of_work() as uow:
        assert await uow.departments.get(it.id) == changed


async def test_profiles_round_trip_and_lists(storage: Any) -> None:
    it, hr = department("it"), department("hr")
    agent = profile(Role.AGENT, it.id, max_open_tickets=5, last_assigned_at=T0)
    away = profile(Role.AGENT, it.id, is_available=False)
    gone = profile(Role.AGENT, it.id, is_active=False)
    elsewhere = profile(Role.AGENT, hr.id)
    admin, retired = profile(Role.ADMIN), profile(Role.ADMIN, is_active=False)
    await seed(storage, it, hr, agent, away, gone, elsewhere, admin, retired)
    async with storage.unit_of_work() as uow:
        assert await uow.profiles.get(agent.id) == agent
        assert await uow.profiles.get(uuid.uuid4()) is None
        assert [p.id for p in await uow.profiles.active_agents(it.id)] == sorted(
            [agent.id, away.id], key=lambda i: i.int
        )
        assert [p.id for p in await uow.profiles.active_admins()] == [admin.id]
        moved = replace(agent, department_id=hr.id, full_name="سالم", email="s@x.io")
        await uow.profiles.update(moved)
        await uow.commit()
    async with storage.unit_of_work() as uow:
        assert await uow.profiles.get(agent.id) == moved
        assert await uow.profiles.get_by_email("s@x.io") == moved


async def test_profile_search(storage: Any) -> None:
    it = department()
    people = [
        profile(Role.AGENT, it.id, email="sara@x.io", full_name="سارة", created_at=T0),
        profile(
            Role.AGENT, it.id, email="omar@x.io", full_name="عمر", created_at=T0 + timedelta(1)
        ),
        profile(
            Role.ADMIN, None, email="boss@x.io", full_name="مدير", created_at=T0 + timedelta(2)
        ),
        profile(Role.END_USER, None, email="a_b%c@x.io", created_at=T0 + timedelta(3)),
    ]
    await seed(storage, it, *people)
    async with storage.unit_of_work() as uow:

        async def emails(**kw: Any) -> list[str]:
            query: dict[str, Any] = {
                "role": None,
                "department_id": None,
                "text": None,
                "after": None,
                "limit": 10,
            }
            return [p.email for p in await uow.profiles.search(**(query | kw))]

        assert await emails() == ["a_b%c@x.io", "boss@x.io", "omar@x.io", "sara@x.io"]
        agents = await uow.profiles.search(
            role=Role.AGENT, department_id=it.id, text=None, after=None, limit=1
        )
        assert [p.email for p in agents] == ["omar@x.io"]
        after = Position(agents[0].created_at, agents[0].id)
        assert await emails(role=Role.AGENT, department_id=it.id, after=after) == ["sara@x.io"]
        assert await emails(text="سار") == ["sara@x.io"]
        assert await emails(text="BOSS") == ["boss@x.io"]
        assert await emails(text="%") == ["a_b%c@x.io"]
        assert await emails(text="_") == ["a_b%c@x.io"]
        assert await emails(text="r_") == []


# --- assignment ------------------------------------------------------------------------------


async def test_loads_count_active_tickets_only(storage: Any) -> None:
    it, hr = department(), department("hr")
    submitter = profile(Role.END_USER)
    busy, idle = profile(Role.AGENT, it.id), profile(Role.AGENT, it.id)
    inactive = profile(Role.AGENT, it.id, is_active=False)
    other = profile(Role.AGENT, hr.id)
    admin = profile(Role.ADMIN, it.id)
    rows = [
        ticket(submitter, department_id=it.id, assignee=busy.id),
        ticket(submitter, department_id=it.id, assignee=busy.id, status=TicketStatus.WAITING),
        ticket(submitter, department_id=it.id, assignee=busy.id, status=TicketStatus.IN_PROGRESS),
        ticket(submitter, department_id=it.id, assignee=busy.id, status=TicketStatus.RESOLVED),
        ticket(submitter, department_id=it.id, assignee=idle.id, status=TicketStatus.CLOSED),
        ticket(submitter, department_id=hr.id, assignee=other.id),
    ]
    await seed(storage, it, hr, submitter, busy, idle, inactive, other, admin, *rows)
    async with storage.unit_of_work() as uow:
        loads = {a.profile.id: a.load for a in await uow.assignment.loads(it.id)}
        # Every agent of the department (the domain decides who is eligible), agents only.
        assert loads == {busy.id: 3, idle.id: 0, inactive.id: 0}
        profiles = {a.profile.id: a.profile for a in await uow.assignment.loads(it.id)}
        assert profiles[inactive.id] == inactive
        one = await uow.assignment.load_of(busy.id)
        assert one is not None and one.load == 3 and one.profile == busy
        assert await uow.assignment.load_of(uuid.uuid4()) is None
        await uow.assignment.mark_assigned(idle.id, T0 + timedelta(hours=1))
        await uow.assignment.mark_assigned(uuid.uuid4(), T0)  # unknown: nothing to record
        active = await uow.tickets.active_assigned_to(busy.id)
        assert [t.id for t in active] == [
            t.id for t in sorted(rows[:3], key=lambda t: (t.created_at, t.id.int))
        ]
        await uow.commit()
    async with storage.unit_of_work() as uow:
        refreshed = await uow.profiles.get(idle.id)
        assert refreshed is not None and refreshed.last_assigned_at == T0 + timedelta(hours=1)
        assert {
            a.profile.id: a.profile.last_assigned_at for a in await uow.assignment.loads(it.id)
        }[idle.id] == T0 + timedelta(hours=1)


# --- idempotency -----------------------------------------------------------------------------


async def test_idempotency_keys(storage: Any) -> None:
    submitter, other = profile(Role.END_USER), profile(Role.END_USER)
    t = manual_ticket(submitter)
    await seed(storage, submitter, other, t)
    record = IdempotencyRecord(submitter.id, "key-1", "hash", t.id, T0)
    since = T0 - timedelta(hours=24)
    async with storage.unit_of_work() as uow:
        await uow.idempotency.claim(record, since=since)
        await uow.commit()
    async with storage.unit_of_work() as uow:
        assert await uow.idempotency.get(submitter.id, "key-1", since=since) == record
        assert await uow.idempotency.get(submitter.id, "key-1", since=T0) == record  # inclusive
        assert await uow.idempotency.get(submitter.id, "key-2", since=since) is None
        assert await uow.idempotency.get(other.id, "key-1", since=since) is None
        with pytest.raises(DuplicateIdempotencyKey):
            await uow.idempotency.claim(replace(record, request_hash="other"), since=since)
        # Keys belong to their submitter.
        await uow.idempotency.claim(replace(record, submitter_id=other.id), since=since)
        await uow.commit()
    # A day later the key is free again, and the new record replaces the old one.
    later = T0 + timedelta(hours=25)
    fresh = replace(record, request_hash="new", created_at=later)
    async with storage.unit_of_work() as uow:
        assert (
            await uow.idempotency.get(submitter.id, "key-1", since=later - timedelta(hours=24))
            is None
        )
        await uow.idempotency.claim(fresh, since=later - timedelta(hours=24))
        await uow.commit()
    async with storage.unit_of_work() as uow:
        assert await uow.idempotency.get(submitter.id, "key-1", since=since) == fresh


@pytest.mark.parametrize("first_ends_by", ["commit", "rollback"])
async def test_a_concurrent_claim_waits_for_the_first(storage: Any, first_ends_by: str) -> None:
    submitter = profile(Role.END_USER)
    await seed(storage, submitter)
    since = T0 - timedelta(hours=24)
    first = IdempotencyRecord(submitter.id, "same", "h1", uuid.uuid4(), T0)
    second = replace(first, request_hash="h2", ticket_id=uuid.uuid4())
    claimed, end = asyncio.Event(), asyncio.Event()

    async def first_request() -> None:
        async with storage.unit_of_work() as uow:
            await uow.idempotency.claim(first, since=since)
            claimed.set()
            await end.wait()
            if first_ends_by == "commit":
                await uow.commit()

    async def second_request() -> None:
        async with storage.unit_of_work() as uow:
            await uow.idempotency.claim(second, since=since)
            await uow.commit()

    one = asyncio.create_task(first_request())
    await claimed.wait()
    two = asyncio.create_task(second_request())
    done, _ = await asyncio.wait({two}, timeout=0.5)
    assert not done, "the second claim did not wait for the first transaction"
    end.set()
    await one
    if first_ends_by == "commit":
        with pytest.raises(DuplicateIdempotencyKey):
            await two
        winner = first
    else:
        await two
        winner = second
    async with storage.unit_of_work() as uow:
        assert await uow.idempotency.get(submitter.id, "same", since=since) == winner


# --- comments, audit, notifications ----------------------------------------------------------


async def test_comments_audit_and_notifications(storage: Any) -> None:
    submitter = profile(Role.END_USER)
    t = manual_ticket(submitter)
    await seed(storage, submitter, t)
    public = Comment(uuid.uuid4(), t.id, submitter.id, "شكرا", False, T0)
    note = Comment(uuid.uuid4(), t.id, submitter.id, "ملاحظة", True, T0 + timedelta(seconds=1))
    entries = [
        AuditEntry(
            uuid.uuid4(), submitter.id, "ticket.created", {"a": [1, "ب"]}, T0, ticket_id=t.id
        ),
        AuditEntry(
            uuid.uuid4(),
            submitter.id,
            "ticket.assigned",
            {"to": None},
            T0 + timedelta(microseconds=1),
            ticket_id=t.id,
        ),
        AuditEntry(
            uuid.uuid4(), None, "user.created", {}, T0, entity_type="user", entity_id=submitter.id
        ),
        AuditEntry(
            uuid.uuid4(),
            submitter.id,
            "department.updated",
            {"x": 1.5},
            T0 + timedelta(hours=1),
            entity_type="department",
            entity_id=uuid.uuid4(),
        ),
    ]
    told = [
        Notification(
            uuid.uuid4(), submitter.id, t.id, "k", "عنوان", "نص", T0 + timedelta(seconds=i)
        )
        for i in range(3)
    ]
    async with storage.unit_of_work() as uow:
        await uow.comments.add(public)
        await uow.comments.add(note)
        await uow.audit.add_all(entries)
        await uow.audit.add_all([])
        await uow.notifications.add_all(told)
        await uow.notifications.add_all([])
        await uow.commit()
    async with storage.unit_of_work() as uow:
        assert await uow.comments.list(t.id, include_internal=True, after=None, limit=10) == [
            public,
            note,
        ]
        assert await uow.comments.list(t.id, include_internal=False, after=None, limit=10) == [
            public
        ]
        assert await uow.comments.list(
            t.id, include_internal=True, after=Position(public.created_at, public.id), limit=10
        ) == [note]
        assert await uow.audit.for_ticket(t.id, after=None, limit=10) == entries[:2]
        assert await uow.audit.for_ticket(t.id, after=None, limit=1) == entries[:1]
        admin_actions = await uow.audit.admin_actions(AdminAuditFilter(), after=None, limit=10)
        assert admin_actions == entries[2:]
        assert await uow.audit.admin_actions(
            AdminAuditFilter(entity_type="user"), after=None, limit=10
        ) == [entries[2]]
        assert await uow.audit.admin_actions(
            AdminAuditFilter(actor_id=submitter.id), after=None, limit=10
        ) == [entries[3]]
        assert await uow.audit.admin_actions(
            AdminAuditFilter(entity_id=submitter.id), after=None, limit=10
        ) == [entries[2]]
        assert await uow.audit.admin_actions(
            AdminAuditFilter(created_from=T0 + timedelta(hours=1)), after=None, limit=10
        ) == [entries[3]]
        assert await uow.audit.admin_actions(
            AdminAuditFilter(created_to=T0 + timedelta(hours=1)), after=None, limit=10
        ) == [entries[2]]
        assert await uow.audit.admin_actions(
            AdminAuditFilter(), after=Position(entries[2].created_at, entries[2].id), limit=10
        ) == [entries[3]]
        assert (
            await uow.notifications.for_user(submitter.id, unread_only=True, after=None, limit=10)
            == told[::-1]
        )
        assert await uow.notifications.for_user(
            submitter.id, unread_only=False, after=Position(told[2].created_at, told[2].id), limit=1
        ) == [told[1]]
        assert await uow.notifications.unread_count(submitter.id) == 3
        first_read = T0 + timedelta(hours=1)
        read = await uow.notifications.mark_read(submitter.id, told[0].id, first_read)
        assert read == replace(told[0], read_at=first_read)
        # Reading again keeps the first time.
        again = await uow.notifications.mark_read(submitter.id, told[0].id, T0 + timedelta(2))
        assert again is not None and again.read_at == first_read
        assert await uow.notifications.mark_read(uuid.uuid4(), told[1].id, T0) is None
        assert await uow.notifications.mark_read(submitter.id, uuid.uuid4(), T0) is None
        assert (
            await uow.notifications.for_user(submitter.id, unread_only=True, after=None, limit=10)
            == told[:0:-1]
        )
        assert await uow.notifications.mark_all_read(submitter.id, T0 + timedelta(hours=2)) == 2
        assert await uow.notifications.mark_all_read(submitter.id, T0 + timedelta(hours=3)) == 0
        assert await uow.notifications.unread_count(submitter.id) == 0
        await uow.commit()
    async with storage.unit_of_work() as uow:
        assert await uow.tickets.delete_all() == 1
        await uow.commit()
    async with storage.unit_of_work() as uow:
        assert await uow.comments.list(t.id, include_internal=True, after=None, limit=10) == []
        assert await uow.audit.for_ticket(t.id, after=None, limit=10) == []
        assert (
            await uow.notifications.for_user(submitter.id, unread_only=False, after=None, limit=9)
            == []
        )
        # Admin actions stay.
        assert len(await uow.audit.admin_actions(AdminAuditFilter(), after=None, limit=10)) == 2


async def test_notifications_without_a_ticket_and_delete_all(storage: Any) -> None:
    user = profile(Role.ADMIN)
    await seed(storage, user)
    general = Notification(uuid.uuid4(), user.id, None, "system", "تنبيه", "نص", T0)
    async with storage.unit_of_work() as uow:
        await uow.notifications.add_all([general])
        await uow.commit()
    async with storage.unit_of_work() as uow:
        assert await uow.tickets.delete_all() == 0
        assert await uow.notifications.for_user(
            user.id, unread_only=False, after=None, limit=5
        ) == [general]
        assert await uow.notifications.delete_all() == 1
        await uow.commit()
    async with storage.unit_of_work() as uow:
        assert await uow.notifications.unread_count(user.id) == 0


# --- quick actions and credentials -----------------------------------------------------------


async def test_quick_actions_and_credentials(storage: Any) -> None:
    actions = [
        QuickAction(uuid.uuid4(), f"زر {i}", "عنوان", "وصف", None, Priority.LOW, None, position)
        for i, position in enumerate((2, 0, 1))
    ]
    uid = uuid.uuid4()
    async with storage.unit_of_work() as uow:
        await uow.quick_actions.replace_all(actions)
        await uow.credentials.add(Credential(uid, "a@b.co", "hash"))
        await uow.commit()
    async with storage.unit_of_work() as uow:
        assert [a.position for a in await uow.quick_actions.all()] == [0, 1, 2]
        assert await uow.quick_actions.get(actions[1].id) == actions[1]
        assert await uow.quick_actions.get(uuid.uuid4()) is None
        changed = replace(actions[1], category=Category.NETWORK, icon="wifi", position=5)
        await uow.quick_actions.update(changed)
        extra = QuickAction(uuid.uuid4(), "جديد", "ع", "و", Category.HR, Priority.HIGH, None, 1)
        await uow.quick_actions.add(extra)
        assert await uow.quick_actions.delete(actions[0].id)
        assert not await uow.quick_actions.delete(actions[0].id)
        assert await uow.credentials.get_by_email("a@b.co") == Credential(uid, "a@b.co", "hash")
        assert await uow.credentials.get(uid) == Credential(uid, "a@b.co", "hash")
        assert await uow.credentials.get(uuid.uuid4()) is None
        with pytest.raises(DuplicateKey):
            await uow.credentials.add(Credential(uuid.uuid4(), "a@b.co", "x"))
        with pytest.raises(DuplicateKey):
            await uow.credentials.add(Credential(uid, "other@b.co", "x"))
        await uow.credentials.update(Credential(uid, "new@b.co", "hash2", disabled=True))
        await uow.commit()
    async with storage.unit_of_work() as uow:
        assert await uow.quick_actions.all() == sorted(
            [actions[2], extra, changed], key=lambda a: (a.position, a.id.int)
        )
        assert await uow.credentials.get_by_email("a@b.co") is None
        assert await uow.credentials.get(uid) == Credential(uid, "new@b.co", "hash2", True)
        # Consecutive wrong passwords count atomically; a lock is a plain update.
        assert [await uow.credentials.count_failure(uid) for _ in range(3)] == [1, 2, 3]
        locked = replace(await uow.credentials.get(uid), locked_until=T0)  # type: ignore[type-var]
        await uow.credentials.update(locked)
        await uow.quick_actions.replace_all([])
        await uow.commit()
    async with storage.unit_of_work() as uow:
        assert await uow.credentials.get(uid) == Credential(
            uid, "new@b.co", "hash2", True, failed_logins=3, locked_until=T0
        )
    async with storage.unit_of_work() as uow:
        assert await uow.quick_actions.all() == []


# --- stats -----------------------------------------------------------------------------------


async def test_stats_are_exact_and_binned_alike(storage: Any) -> None:
    it, hr = department("it"), department("hr", (Category.HR,))
    submitter = profile(Role.END_USER)
    a1 = profile(Role.AGENT, it.id, full_name="بدر")
    a2 = profile(Role.AGENT, it.id, full_name="أحمد")
    confidences = [0.0, 0.29, 0.3, 0.7, 0.9999995, 1.0, 0.55]
    rows = [
        ticket(
            submitter,
            at=T0 + timedelta(minutes=i),
            confidence=c,
            department_id=it.id,
            assignee=a1.id,
        )
        for i, c in enumerate(confidences)
    ]
    rows.append(manual_ticket(submitter, at=T0 + timedelta(minutes=30)))
    suggested = ticket(
        submitter,
        at=T0 + timedelta(minutes=31),
        category=Category.HR,
        mode=RoutingMode.SUGGESTED,
        department_id=hr.id,
        confidence=0.6,
    )
    # Shown as manual after the override; the router said suggested.
    suggested.routing_overridden = True
    suggested.routing_mode = RoutingMode.MANUAL
    rows.append(suggested)
    rows[1].status = TicketStatus.IN_PROGRESS
    await seed(storage, it, hr, submitter, a1, a2, *rows)
    async with storage.unit_of_work() as uow:
        modes = await uow.stats.routing_modes(StatsWindow())
        assert (modes.total, modes.auto, modes.suggested, modes.manual, modes.overridden) == (
            9,
            7,
            1,
            1,
            1,
        )
        counts, unclassified = await uow.stats.confidence_histogram(StatsWindow(), 10)
        assert unclassified == 1
        # 0.0→0, 0.29→2, 0.3→3, 0.55→5, 0.6→6, 0.7→7, 0.9999995 rounds to 1.0→9, 1.0→9
        assert counts == [1, 0, 1, 1, 0, 1, 1, 1, 0, 2]
        hundred, _ = await uow.stats.confidence_histogram(StatsWindow(), 100)
        assert hundred[29] == 1 and hundred[30] == 1 and hundred[99] == 2
        assert (await uow.stats.confidence_histogram(StatsWindow(), 1))[0] == [8]
        categories, none = await uow.stats.taxonomy(StatsWindow())
        assert categories == {Category.PRINTING: 7, Category.HR: 1} and none == 1
        rates = await uow.stats.override_rate(StatsWindow())
        assert [(r.department_id, r.total, r.overridden) for r in rates] == sorted(
            [(it.id, 7, 0), (hr.id, 1, 1)], key=lambda r: {it.id: it.name, hr.id: hr.name}[r[0]]
        )
        load = await uow.stats.agent_workload(it.id)
        assert [(w.full_name, w.open, w.in_progress, w.waiting) for w in load] == [
            ("أحمد", 0, 0, 0),
            ("بدر", 6, 1, 0),
        ]
        window = StatsWindow(it.id, T0 + timedelta(minutes=2), T0 + timedelta(minutes=5))
        assert (await uow.stats.routing_modes(window)).total == 3


async def test_human_labels_and_routing_evidence_round_trip(storage: Any) -> None:
    dept = department()
    submitter, agent = profile(Role.END_USER), profile(Role.AGENT, dept.id)
    t = ticket(submitter, department_id=dept.id, mode=RoutingMode.SUGGESTED)
    t.router_shadow = True
    await seed(storage, dept, submitter, agent, t)
    async with storage.unit_of_work() as uow:
        stored = await uow.tickets.get(t.id)
        assert stored is not None and stored.router_shadow and stored.human_category is None
    labelled = replace(
        t,
        human_category=Category.HARDWARE,
        human_category_by=agent.id,
        human_category_at=T0 + timedelta(hours=1),
        moved_by_human=True,
        version=2,
    )
    async with storage.unit_of_work() as uow:
        await uow.tickets.update(labelled, expected_version=1)
        await uow.commit()
    async with storage.unit_of_work() as uow:
        again = await uow.tickets.get(t.id)
    assert again == labelled
    assert again is not None and again.human_category is Category.HARDWARE
