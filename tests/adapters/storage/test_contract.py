"""The storage contract: every adapter (memory, SQLite, PostgreSQL) behaves the same."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from helpdesk.adapters.storage.memory.unit_of_work import MemoryStorage
from helpdesk.adapters.storage.sql.storage import SqlStorage
from helpdesk.application.ports.storage import (
    AdminAuditFilter,
    Credential,
    DuplicateIdempotencyKey,
    DuplicateKey,
    IdempotencyRecord,
    Position,
    StaleVersion,
    StatsWindow,
    TicketFilter,
)
from helpdesk.domain.arabic import fold
from helpdesk.domain.classification import Classification
from helpdesk.domain.people import Department, Profile
from helpdesk.domain.permissions import TicketScope
from helpdesk.domain.records import AuditEntry, Comment, Notification, QuickAction
from helpdesk.domain.routing import RoutingDecision
from helpdesk.domain.taxonomy import Category, Priority, Role, RoutingMode, TicketStatus
from helpdesk.domain.ticket import Ticket, with_status

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(params=("memory", "sqlite", "postgresql", "pgbouncer"))
def storage_spec(request: pytest.FixtureRequest) -> tuple[str, str | None]:
    """Each adapter — and PostgreSQL once more through pgbouncer in transaction mode."""
    if request.param == "memory":
        return "memory://", None
    fixture = {"sqlite": "sqlite_url", "postgresql": "postgres_url", "pgbouncer": "pgbouncer_url"}
    url = str(request.getfixturevalue(fixture[request.param]))
    return url, "transaction" if request.param == "pgbouncer" else None


@pytest.fixture
async def storage(storage_spec: tuple[str, str | None]) -> AsyncIterator[Any]:
    url, pooler = storage_spec
    if url == "memory://":
        yield MemoryStorage()
        return
    sql = SqlStorage(url, pooler=pooler)
    yield sql
    await sql.dispose()


EVERYTHING = TicketScope(everything=True)


def department(
    slug: str = "it", categories: tuple[Category, ...] = (Category.NETWORK,)
) -> Department:
    return Department(uuid.uuid4(), slug, f"قسم {slug}", "", categories, True, T0)


def profile(
    role: Role = Role.AGENT,
    department_id: uuid.UUID | None = None,
    email: str | None = None,
    **kw: Any,
) -> Profile:
    uid = uuid.uuid4()
    return Profile(
        id=uid,
        email=email if email is not None else f"{uid.hex[:8]}@example.com",
        full_name=kw.pop("full_name", "موظف"),
        role=role,
        department_id=department_id,
        is_active=kw.pop("is_active", True),
        is_available=True,
        max_open_tickets=None,
        created_at=kw.pop("created_at", T0),
        **kw,
    )


def ticket(
    submitter: Profile,
    *,
    at: datetime = T0,
    title: str = "الطابعة لا تعمل",
    description: str = "الطابعة في الطابق الثاني لا تطبع أي مستند",
    confidence: float | None = 0.9,
    category: Category = Category.PRINTING,
    department_id: uuid.UUID | None = None,
    assignee: uuid.UUID | None = None,
    status: TicketStatus | None = None,
    mode: RoutingMode = RoutingMode.AUTO,
) -> Ticket:
    classification = (
        Classification.from_scores({category: confidence}, model="m", classified_at=at)
        if confidence is not None
        else None
    )
    decision = RoutingDecision(mode, department_id, confidence, "why", category)
    t = Ticket.file(
        id=uuid.uuid4(),
        title=title,
        description=description,
        priority=Priority.MEDIUM,
        submitter_id=submitter.id,
        classification=classification,
        decision=decision,
        assignee_id=assignee,
        now=at,
    )
    if status is not None:
        with_status(t, status, at)
    return t


async def seed(storage: Any, *items: Any) -> None:
    async with storage.unit_of_work() as uow:
        for item in items:
            if isinstance(item, Department):
                await uow.departments.add(item)
            elif isinstance(item, Profile):
                await uow.profiles.add(item)
            elif isinstance(item, Ticket):
                item.number = await uow.tickets.add(item)
        await uow.commit()


async def test_tickets_round_trip_with_increasing_numbers(storage: Any) -> None:
    dept = department()
    submitter, agent = profile(Role.END_USER), profile(Role.AGENT, None)
    agent.department_id = dept.id
    first = ticket(submitter, department_id=dept.id, assignee=agent.id)
    second = ticket(
        submitter, at=T0 + timedelta(seconds=1), confidence=None, mode=RoutingMode.MANUAL
    )
    await seed(storage, dept, submitter, agent, first, second)
    assert 0 < first.number < second.number
    async with storage.unit_of_work() as uow:
        assert await uow.tickets.get(first.id) == first
        assert await uow.tickets.get(second.id) == second
        assert await uow.tickets.get(uuid.uuid4()) is None


async def test_updates_check_the_version(storage: Any) -> None:
    submitter = profile(Role.END_USER)
    t = ticket(submitter, confidence=None, mode=RoutingMode.MANUAL)
    await seed(storage, submitter, t)
    changed = replace(t, priority=Priority.URGENT, version=2)
    async with storage.unit_of_work() as uow:
        await uow.tickets.update(changed, expected_version=1)
        await uow.commit()
    async with storage.unit_of_work() as uow:
        assert (await uow.tickets.get(t.id)) == changed
        with pytest.raises(StaleVersion):
            await uow.tickets.update(replace(changed, version=3), expected_version=1)


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


async def test_unique_slugs_and_emails(storage: Any) -> None:
    await seed(storage, department("it"), profile(Role.ADMIN, email="Admin@Example.com"))
    async with storage.unit_of_work() as uow:
        with pytest.raises(DuplicateKey):
            await uow.departments.add(department("it"))
    async with storage.unit_of_work() as uow:
        with pytest.raises(DuplicateKey):
            await uow.profiles.add(profile(Role.END_USER, email="admin@example.com"))
        # Profiles without an email (a token that carried none) do not collide.
        await uow.profiles.add(profile(Role.END_USER, email=""))
        await uow.profiles.add(profile(Role.END_USER, email=""))
        found = await uow.profiles.get_by_email("ADMIN@example.com")
        assert found is not None and found.role is Role.ADMIN
        await uow.commit()


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
        ticket(other, at=same_time, confidence=None, mode=RoutingMode.MANUAL),
        ticket(
            other, at=T0 + timedelta(minutes=9), department_id=it.id, status=TicketStatus.RESOLVED
        ),
    ]
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
        assert await ids(TicketFilter(category=Category.ACCOUNTS_ACCESS)) == {rows[1].id}
        assert await ids(TicketFilter(routing_mode=RoutingMode.MANUAL)) == {rows[2].id}
        assert await ids(TicketFilter(department_id=it.id)) == {rows[0].id, rows[3].id}
        # Folded text: no hamza, ه for ة.
        assert await ids(TicketFilter(text=fold("اعاده تعيين"))) == {rows[1].id}
        assert await ids(TicketFilter(text=fold("100%_"))) == set()
        # Half-open ranges.
        assert await ids(
            TicketFilter(created_after=same_time, created_before=T0 + timedelta(minutes=9))
        ) == {
            rows[1].id,
            rows[2].id,
        }
        # Scopes are unions.
        mine = TicketScope(submitter_id=other.id, assignee_id=agent.id)
        assert await ids(TicketFilter(), mine) == {rows[0].id, rows[2].id, rows[3].id}
        assert await ids(TicketFilter(), TicketScope()) == set()


async def test_loads_count_active_tickets_only(storage: Any) -> None:
    it = department()
    submitter = profile(Role.END_USER)
    busy, idle = profile(Role.AGENT, it.id), profile(Role.AGENT, it.id)
    admin = profile(Role.ADMIN, it.id)
    rows = [
        ticket(submitter, department_id=it.id, assignee=busy.id),
        ticket(submitter, department_id=it.id, assignee=busy.id, status=TicketStatus.WAITING),
        ticket(submitter, department_id=it.id, assignee=busy.id, status=TicketStatus.RESOLVED),
        ticket(submitter, department_id=it.id, assignee=idle.id, status=TicketStatus.CLOSED),
    ]
    await seed(storage, it, submitter, busy, idle, admin, *rows)
    async with storage.unit_of_work() as uow:
        loads = {a.profile.id: a.load for a in await uow.assignment.loads(it.id)}
        assert loads == {busy.id: 2, idle.id: 0}  # agents only
        one = await uow.assignment.load_of(busy.id)
        assert one is not None and one.load == 2
        await uow.assignment.mark_assigned(idle.id, T0 + timedelta(hours=1))
        assert len(await uow.tickets.active_assigned_to(busy.id)) == 2
        await uow.commit()
    async with storage.unit_of_work() as uow:
        refreshed = await uow.profiles.get(idle.id)
        assert refreshed is not None and refreshed.last_assigned_at == T0 + timedelta(hours=1)
        assert [p.id for p in await uow.profiles.active_agents(it.id)] == sorted(
            [busy.id, idle.id], key=lambda i: i.int
        )


async def test_idempotency_keys(storage: Any) -> None:
    submitter = profile(Role.END_USER)
    t = ticket(submitter, confidence=None, mode=RoutingMode.MANUAL)
    await seed(storage, submitter, t)
    record = IdempotencyRecord(submitter.id, "key-1", "hash", t.id, T0)
    since = T0 - timedelta(hours=24)
    async with storage.unit_of_work() as uow:
        await uow.idempotency.claim(record, since=since)
        await uow.commit()
    async with storage.unit_of_work() as uow:
        assert await uow.idempotency.get(submitter.id, "key-1", since=since) == record
        assert await uow.idempotency.get(uuid.uuid4(), "key-1", since=since) is None
        with pytest.raises(DuplicateIdempotencyKey):
            await uow.idempotency.claim(replace(record, request_hash="other"), since=since)
    # A day later the key is free again.
    later = T0 + timedelta(hours=25)
    async with storage.unit_of_work() as uow:
        assert (
            await uow.idempotency.get(submitter.id, "key-1", since=later - timedelta(hours=24))
            is None
        )
        await uow.idempotency.claim(
            replace(record, created_at=later), since=later - timedelta(hours=24)
        )
        await uow.commit()


async def test_comments_audit_and_notifications(storage: Any) -> None:
    submitter = profile(Role.END_USER)
    t = ticket(submitter, confidence=None, mode=RoutingMode.MANUAL)
    await seed(storage, submitter, t)
    public = Comment(uuid.uuid4(), t.id, submitter.id, "شكرا", False, T0)
    note = Comment(uuid.uuid4(), t.id, submitter.id, "ملاحظة", True, T0 + timedelta(seconds=1))
    entries = [
        AuditEntry(
            uuid.uuid4(), submitter.id, "ticket.created", {"a": [1, "ب"]}, T0, ticket_id=t.id
        ),
        AuditEntry(
            uuid.uuid4(), None, "user.created", {}, T0, entity_type="user", entity_id=submitter.id
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
        await uow.notifications.add_all(told)
        await uow.commit()
    async with storage.unit_of_work() as uow:
        assert await uow.comments.list(t.id, include_internal=True, after=None, limit=10) == [
            public,
            note,
        ]
        assert await uow.comments.list(t.id, include_internal=False, after=None, limit=10) == [
            public
        ]
        assert await uow.audit.for_ticket(t.id, after=None, limit=10) == [entries[0]]
        assert await uow.audit.admin_actions(
            AdminAuditFilter(entity_type="user"), after=None, limit=10
        ) == [entries[1]]
        assert (
            await uow.notifications.for_user(submitter.id, unread_only=True, after=None, limit=10)
            == told[::-1]
        )
        assert await uow.notifications.unread_count(submitter.id) == 3
        read = await uow.notifications.mark_read(submitter.id, told[0].id, T0 + timedelta(hours=1))
        assert read is not None and read.read_at == T0 + timedelta(hours=1)
        assert await uow.notifications.mark_read(uuid.uuid4(), told[1].id, T0) is None
        assert await uow.notifications.mark_all_read(submitter.id, T0 + timedelta(hours=2)) == 2
        assert await uow.notifications.unread_count(submitter.id) == 0
        await uow.commit()
    async with storage.unit_of_work() as uow:
        assert await uow.tickets.delete_all() == 1
        await uow.commit()
    async with storage.unit_of_work() as uow:
        assert await uow.comments.list(t.id, include_internal=True, after=None, limit=10) == []
        assert await uow.audit.for_ticket(t.id, after=None, limit=10) == []
        assert await uow.notifications.unread_count(submitter.id) == 0
        # Admin actions stay.
        assert len(await uow.audit.admin_actions(AdminAuditFilter(), after=None, limit=10)) == 1


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
        assert await uow.quick_actions.delete(actions[0].id)
        assert not await uow.quick_actions.delete(actions[0].id)
        assert await uow.credentials.get_by_email("A@B.CO") == Credential(uid, "a@b.co", "hash")
        with pytest.raises(DuplicateKey):
            await uow.credentials.add(Credential(uuid.uuid4(), "A@b.co", "x"))


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
    rows.append(
        ticket(submitter, at=T0 + timedelta(minutes=30), confidence=None, mode=RoutingMode.MANUAL)
    )
    suggested = ticket(
        submitter,
        at=T0 + timedelta(minutes=31),
        category=Category.HR,
        mode=RoutingMode.SUGGESTED,
        department_id=hr.id,
        confidence=0.6,
    )
    suggested.routing_overridden = True
    suggested.routing_mode = (
        RoutingMode.MANUAL
    )  # shown after the override; the router said suggested
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
    ]
    await seed(storage, it, *people)
    async with storage.unit_of_work() as uow:
        found = await uow.profiles.search(
            role=None, department_id=None, text=None, after=None, limit=10
        )
        assert [p.email for p in found] == ["boss@x.io", "omar@x.io", "sara@x.io"]
        agents = await uow.profiles.search(
            role=Role.AGENT, department_id=it.id, text=None, after=None, limit=1
        )
        assert [p.email for p in agents] == ["omar@x.io"]
        more = await uow.profiles.search(
            role=Role.AGENT,
            department_id=it.id,
            text=None,
            after=Position(agents[0].created_at, agents[0].id),
            limit=5,
        )
        assert [p.email for p in more] == ["sara@x.io"]
        assert [
            p.email
            for p in await uow.profiles.search(
                role=None, department_id=None, text="سار", after=None, limit=5
            )
        ] == ["sara@x.io"]
        assert [
            p.email
            for p in await uow.profiles.search(
                role=None, department_id=None, text="BOSS", after=None, limit=5
            )
        ] == ["boss@x.io"]
