"""A million tickets on PostgreSQL: fill a database once, then time every read endpoint.

Run: python bench/million.py [--tickets 1000000] [--rebuild] [--repeat 20] [--database NAME]
(needs the local PostgreSQL; the database, `helpdesk_million` by default, is kept between runs
and migrated to the newest schema at each start; --rebuild drops and refills it.)

The fill decides every ticket with the product's own rules — `domain.routing.decide` on a
classification, `domain.assignment.choose_agent` over the agents' live loads, `Ticket.file`,
`changes.apply_override` / `plan_update` for later handling, the audit and notice builders — and
writes the rows with the SQL adapter's own row mapping, through COPY. Two years of tickets from
3,000 employees, 5 departments × 3 agents; most older tickets finished, recent ones active.

Then, through the HTTP app in process (the full middleware, token verification, use case and
adapter; no network), each list, queue, search and stats endpoint and the agent's unread-count
is called `--repeat` times (p50/p95), beside the same SQL statements run directly under EXPLAIN
ANALYZE (the database's own time for them); then sequential creates.
"""

from __future__ import annotations

import argparse
import asyncio
import heapq
import importlib
import json
import logging
import multiprocessing
import queue
import random
import statistics
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import asyncpg
import httpx
from pg_databases import PG, exists, recreate
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
from rich.table import Table
from sqlalchemy import event

from helpdesk.adapters.storage.sql import rows
from helpdesk.adapters.storage.sql.migrate import upgrade_async
from helpdesk.adapters.storage.sql.unit_of_work import SqlStorage
from helpdesk.container import build_container, close_resources, open_resources
from helpdesk.domain import audit, notices
from helpdesk.domain.assignment import AgentLoad, choose_agent
from helpdesk.domain.changes import TicketUpdate, apply_override, check_override, plan_update
from helpdesk.domain.classification import Classification
from helpdesk.domain.defaults import SAMPLE_TICKETS
from helpdesk.domain.departments import Department, DepartmentDirectory
from helpdesk.domain.people import Actor, Profile
from helpdesk.domain.records import AuditEntry, Notification
from helpdesk.domain.routing import Thresholds, decide
from helpdesk.domain.taxonomy import (
    CATEGORIES,
    Category,
    Priority,
    Role,
    RoutingMode,
    TicketStatus,
)
from helpdesk.domain.ticket import Ticket
from helpdesk.entrypoints.cli import SEEDING
from helpdesk.entrypoints.http import create_app
from helpdesk.settings import Settings

# The migration that keeps the agents' loads: its trigger names and its backfill.
AGENT_LOADS = importlib.import_module(
    "helpdesk.adapters.storage.migrations.versions.0009_agent_loads"
)

SECRET = "million-ticket-benchmark-secret-0123456789abcdef"
END_USERS = 3_000
AGENTS_PER_DEPARTMENT = 3
BATCH = 20_000
YEARS = 2
MODEL = "embedded-bench"
# The sample tickets' categories, as the embedded classifier labels them.
SAMPLE_CATEGORIES = (
    Category.NETWORK,
    Category.PRINTING,
    Category.ACCOUNTS_ACCESS,
    Category.HR,
    Category.FINANCE,
    Category.FACILITIES,
    Category.EMAIL,
    Category.HARDWARE,
    Category.SOFTWARE,
    Category.FINANCE,
    Category.FINANCE,
    Category.ACCOUNTS_ACCESS,
    Category.FACILITIES,
    Category.OTHER,
)
PLACES = (
    "المبنى الشمالي",
    "المبنى الرئيسي",
    "الفرع الغربي",
    "قاعة التدريب",
    "الطابق الأول",
    "الطابق الخامس",
    "مكتب الاستقبال",
    "المستودع",
    "الإدارة العامة",
    "مركز البيانات",
)
PRIORITY_WEIGHTS = (
    (Priority.LOW, 20),
    (Priority.MEDIUM, 50),
    (Priority.HIGH, 22),
    (Priority.URGENT, 8),
)
console = Console(width=160)


# --- the fill -----------------------------------------------------------------------------


@dataclass
class People:
    departments: list[Department]
    agents: dict[uuid.UUID, list[Profile]]  # by department
    admins: list[Profile]
    end_users: list[uuid.UUID]


@dataclass
class Batch:
    tickets: list[tuple[Any, ...]] = field(default_factory=list)
    audit: list[tuple[Any, ...]] = field(default_factory=list)
    notifications: list[tuple[Any, ...]] = field(default_factory=list)


class Filler:
    """Decides tickets in time order with the domain's rules, keeping the agents' loads."""

    def __init__(self, people: People, rng: random.Random, now: datetime) -> None:
        self.people = people
        self.rng = rng
        self.now = now
        self.directory = DepartmentDirectory.of(people.departments)
        self.thresholds = Thresholds()
        self.load: Counter[uuid.UUID] = Counter()
        self.releases: list[tuple[datetime, int, uuid.UUID]] = []  # when an active ticket ends
        self.profiles = {p.id: p for ps in people.agents.values() for p in ps}
        self.sequence = 0
        self.ticket_columns: list[str] | None = None

    def _release_until(self, moment: datetime) -> None:
        while self.releases and self.releases[0][0] <= moment:
            _, _, agent_id = heapq.heappop(self.releases)
            self.load[agent_id] -= 1

    def _choose(self, department_id: uuid.UUID, at: datetime) -> Profile | None:
        self._release_until(at)
        candidates = [AgentLoad(p, self.load[p.id]) for p in self.people.agents[department_id]]
        agent = choose_agent(candidates, department_id)
        if agent is not None:
            agent.last_assigned_at = at
        return agent

    def _classification(self, category: Category, at: datetime) -> Classification | None:
        r = self.rng.random()
        if r < 0.02:
            return None  # the classifier was unavailable
        if self.rng.random() < 0.06:  # the model is wrong now and then
            category = self.rng.choice(CATEGORIES)
        if r < 0.80:
            top = self.rng.uniform(0.80, 1.0)
        elif r < 0.93:
            top = self.rng.uniform(0.55, 0.80)
        else:
            top = self.rng.uniform(0.20, 0.55)
        runner_up = self.rng.choice([c for c in CATEGORIES if c is not category])
        second = (1.0 - top) * self.rng.uniform(0.3, 0.95)
        return Classification.from_scores(
            {category: top, runner_up: second}, model=MODEL, classified_at=at
        )

    def ticket(self, created_at: datetime, batch: Batch) -> None:
        rng = self.rng
        sample = rng.randrange(len(SAMPLE_TICKETS))
        title, description = SAMPLE_TICKETS[sample]
        description = (
            f"{description} {rng.choice(PLACES)}، الجهاز رقم {rng.randrange(10000, 99999)}"
        )
        submitter = rng.choice(self.people.end_users)
        classification = self._classification(SAMPLE_CATEGORIES[sample], created_at)
        decision = decide(classification, self.directory, self.thresholds)
        agent = None
        if decision.mode is RoutingMode.AUTO and decision.department_id is not None:
            agent = self._choose(decision.department_id, created_at)
        priority = rng.choices([p for p, _ in PRIORITY_WEIGHTS], [w for _, w in PRIORITY_WEIGHTS])[
            0
        ]
        ticket = Ticket.file(
            id=uuid.UUID(int=rng.getrandbits(128), version=4),
            title=title,
            description=description,
            priority=priority,
            submitter_id=submitter,
            classification=classification,
            decision=decision,
            assignee_id=agent.id if agent else None,
            now=created_at,
        )
        self.sequence += 1
        ticket.number = self.sequence
        facts = [(created_at, submitter, audit.created(ticket, decision))]
        if agent is not None:
            facts.append((created_at, submitter, audit.assigned(None, agent.id, "auto")))
        audience = notices.pickup_audience(ticket)
        watchers = [p.id for p in self.people.admins] if audience.admins else []
        if audience.department_id is not None:
            watchers = [p.id for p in self.people.agents[audience.department_id]]
        sent = [(created_at, n) for n in notices.on_created(ticket, watchers)]
        ticket = self._handle(ticket, facts, sent)
        if ticket.assigned_agent_id is not None:
            # Active from now on; a finished ticket's release is already scheduled.
            self.load[ticket.assigned_agent_id] += 1
        self._emit(ticket, facts, sent, batch)

    def _handle(
        self,
        ticket: Ticket,
        facts: list[tuple[datetime, uuid.UUID, audit.AuditFact]],
        sent: list[tuple[datetime, notices.Notice]],
    ) -> Ticket:
        """What people did with the ticket since: triage, the odd override, resolution."""
        rng = self.rng
        age = self.now - ticket.created_at
        later = ticket.created_at + timedelta(minutes=rng.uniform(5, 600))
        if later >= self.now:
            return ticket
        misrouted = ticket.routing_mode is RoutingMode.AUTO and rng.random() < 0.03
        if (ticket.status is TicketStatus.TRIAGE and rng.random() < 0.92) or misrouted:
            ticket = self._route_by_hand(ticket, later, facts, sent)
        finished_share = (
            0.95 if age > timedelta(days=10) else 0.5 if age > timedelta(days=2) else 0.1
        )
        end = later + timedelta(hours=rng.uniform(1, 120))
        if ticket.status is TicketStatus.TRIAGE or ticket.assigned_agent_id is None:
            return ticket
        agent = self.profiles[ticket.assigned_agent_id]
        actor = Actor.of(agent)
        if end < self.now and rng.random() < finished_share:
            target = TicketStatus.CLOSED if rng.random() < 0.7 else TicketStatus.RESOLVED
            self._release_at(end, agent.id)
        else:
            target = rng.choice([TicketStatus.OPEN, TicketStatus.IN_PROGRESS, TicketStatus.WAITING])
            end = later
        if target is ticket.status:
            return ticket
        outcome = plan_update(
            ticket,
            TicketUpdate(status=target),
            actor=actor,
            department=None,
            assignee=None,
            current_assignee=agent,
            if_match=None,
            now=end,
        )
        facts.append((end, agent.id, audit.updated(outcome.changes)))
        sent.extend(
            (end, n) for n in notices.on_status_changed(outcome.ticket, ticket.status, agent.id)
        )
        return outcome.ticket

    def _release_at(self, moment: datetime, agent_id: uuid.UUID) -> None:
        heapq.heappush(self.releases, (moment, self.rng.getrandbits(32), agent_id))

    def _route_by_hand(
        self,
        ticket: Ticket,
        at: datetime,
        facts: list[tuple[datetime, uuid.UUID, audit.AuditFact]],
        sent: list[tuple[datetime, notices.Notice]],
    ) -> Ticket:
        rng = self.rng
        admin = rng.choice(self.people.admins)
        if ticket.routing_mode is RoutingMode.SUGGESTED and rng.random() < 0.75:
            # An agent of the suggested department takes it.
            assert ticket.department_id is not None
            agent = self._choose(ticket.department_id, at)
            if agent is None:
                return ticket
            outcome = plan_update(
                ticket,
                TicketUpdate(assigned_agent_id=agent.id),
                actor=Actor.of(agent),
                department=None,
                assignee=AgentLoad(agent, self.load[agent.id]),
                current_assignee=None,
                if_match=None,
                now=at,
            )
            facts.extend(
                (at, agent.id, f) for f in audit.assignment_facts(outcome.changes, "manual")
            )
            return outcome.ticket
        # An admin overrides: the department its category belongs to, or another one.
        category = ticket.category
        target_id = self.directory.by_category.get(Category(category)) if category else None
        if target_id is None or target_id == ticket.department_id:
            target_id = rng.choice(
                [d.id for d in self.people.departments if d.id != ticket.department_id]
            )
        target = next(d for d in self.people.departments if d.id == target_id)
        agent = self._choose(target.id, at)
        reason = "أُعيد التوجيه يدويًا بعد مراجعة المحتوى"
        check_override(
            ticket,
            department=target,
            assignee=AgentLoad(agent, self.load[agent.id]) if agent else None,
            assignee_requested=agent is not None,
            reason=reason,
            if_match=None,
        )
        outcome = apply_override(
            ticket,
            department_id=target.id,
            assignee_id=agent.id if agent else None,
            reason=reason,
            now=at,
        )
        facts.append((at, admin.id, audit.overridden(ticket, outcome.ticket, reason)))
        facts.extend(
            (at, admin.id, f)
            for f in audit.assignment_facts(outcome.changes, "override")
            if f.action == audit.ASSIGNED
        )
        sent.extend((at, n) for n in notices.on_overridden(outcome.ticket, admin.id, reason))
        return outcome.ticket

    def _emit(
        self,
        ticket: Ticket,
        facts: list[tuple[datetime, uuid.UUID, audit.AuditFact]],
        sent: list[tuple[datetime, notices.Notice]],
        batch: Batch,
    ) -> None:
        rng = self.rng
        values = rows.ticket_values(ticket)
        values["number"] = ticket.number
        values["classification"] = (
            json.dumps(values["classification"]) if values["classification"] else None
        )
        if self.ticket_columns is None:
            self.ticket_columns = list(values)
        batch.tickets.append(tuple(values.values()))
        for i, (at, actor_id, fact) in enumerate(facts):
            entry = AuditEntry(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                actor_id=actor_id,
                action=fact.action,
                metadata=fact.metadata,
                created_at=at + timedelta(microseconds=i),
                ticket_id=ticket.id,
            )
            v = rows.audit_values(entry)
            v["metadata"] = json.dumps(v["metadata"], ensure_ascii=False)
            batch.audit.append(tuple(v.values()))
        for at, notice in sent:
            # Most people read what they are sent within a few days; the last weeks stay unread.
            read_at = None
            if self.now - at > timedelta(days=3) and rng.random() < 0.9:
                read_at = min(at + timedelta(hours=rng.uniform(0.1, 72)), self.now)
            n = Notification(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                user_id=notice.user_id,
                ticket_id=ticket.id,
                kind=notice.kind,
                title=notice.title,
                body=notice.body,
                created_at=at,
                read_at=read_at,
            )
            batch.notifications.append(tuple(rows.notification_values(n).values()))


AUDIT_COLUMNS = list(
    rows.audit_values(AuditEntry(uuid.UUID(int=0), None, "", {}, datetime.now(UTC))).keys()
)
NOTIFICATION_COLUMNS = list(
    rows.notification_values(
        Notification(uuid.UUID(int=0), uuid.UUID(int=0), None, "", "", "", datetime.now(UTC))
    ).keys()
)
BIG_TABLES = ("tickets", "audit_entries", "notifications")


def settings_for(name: str) -> Settings:
    return Settings(
        database_url=f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}",
        jwt_secret=SECRET,
        rate_limit=0,
    )


async def _people(name: str, rng: random.Random, now: datetime) -> People:
    container = build_container(settings_for(name))
    await open_resources(container, SEEDING)
    await container.seed_demo().execute(agents_per_department=AGENTS_PER_DEPARTMENT)
    storage = container.storage()
    async with storage.unit_of_work() as uow:
        departments = await uow.departments.all()
        agents = {d.id: await uow.profiles.active_agents(d.id) for d in departments}
        admins = await uow.profiles.active_admins()
        demo_user = await uow.profiles.search(
            role=Role.END_USER, department_id=None, text=None, after=None, limit=1
        )
    await close_resources(container)
    start = now - timedelta(days=365 * YEARS + 30)
    users = [
        Profile(
            id=uuid.UUID(int=rng.getrandbits(128), version=4),
            email=f"employee{i}@example.org",
            full_name=f"موظف {i}",
            role=Role.END_USER,
            department_id=None,
            is_active=True,
            is_available=True,
            max_open_tickets=None,
            created_at=start,
        )
        for i in range(END_USERS - 1)
    ]
    conn = await asyncpg.connect(f"{PG}/{name}")
    try:
        records = [tuple(rows.profile_values(p).values()) for p in users]
        await conn.copy_records_to_table(
            "profiles", records=records, columns=list(rows.profile_values(users[0]))
        )
    finally:
        await conn.close()
    return People(departments, agents, admins, [demo_user[0].id, *(u.id for u in users)])


@dataclass
class Segment:
    """One worker's share: consecutive tickets in time, numbered from `first_number`."""

    first_number: int
    offsets: list[float]
    seed: int


def _fill_segment(
    name: str,
    people: People,
    segment: Segment,
    start: datetime,
    now: datetime,
    done: Any,
    results: Any,
) -> None:
    """A worker process: decide its segment's tickets and COPY them, batch by batch.

    Each segment starts with idle agents (loads carried over from earlier segments are not
    known to it); within a segment the choices follow the live loads."""
    rng = random.Random(segment.seed)
    filler = Filler(people, rng, now)
    filler.sequence = segment.first_number - 1

    async def run() -> Counter[str]:
        totals = Counter[str]()
        conn = await asyncpg.connect(f"{PG}/{name}")
        try:
            for first in range(0, len(segment.offsets), BATCH):
                batch = Batch()
                for offset in segment.offsets[first : first + BATCH]:
                    filler.ticket(start + timedelta(seconds=offset), batch)
                assert filler.ticket_columns is not None
                await conn.copy_records_to_table(
                    "tickets", records=batch.tickets, columns=filler.ticket_columns
                )
                await conn.copy_records_to_table(
                    "audit_entries", records=batch.audit, columns=AUDIT_COLUMNS
                )
                await conn.copy_records_to_table(
                    "notifications", records=batch.notifications, columns=NOTIFICATION_COLUMNS
                )
                totals.update(
                    tickets=len(batch.tickets),
                    audit=len(batch.audit),
                    notifications=len(batch.notifications),
                )
                with done.get_lock():
                    done.value += len(batch.tickets)
        finally:
            await conn.close()
        return totals

    totals = asyncio.run(run())
    last = {p.id: p.last_assigned_at for p in filler.profiles.values()}
    results.put((dict(totals), last))


async def _prepare(name: str, rng: random.Random, now: datetime) -> tuple[People, list[Any]]:
    await recreate(name)
    await upgrade_async(settings_for(name).database_url)
    people = await _people(name, rng, now)
    conn = await asyncpg.connect(f"{PG}/{name}")
    try:
        # Indexes are built once at the end (as the migrations define them), and the foreign
        # keys are not checked row by row: the rows come out consistent by construction.
        indexes = list(
            await conn.fetch(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
                " AND tablename = ANY($1)"
                " AND indexname NOT IN (SELECT conname FROM pg_constraint)",
                list(BIG_TABLES),
            )
        )
        for index in indexes:
            await conn.execute(f'DROP INDEX "{index["indexname"]}"')
        for table in BIG_TABLES:
            # The foreign keys' triggers are off; the schema's own (the daily report counts)
            # stay on, so they count every row as the product would — except the agents'
            # loads: the fill's processes would queue on the same agents' rows (and could
            # deadlock), so those are counted once at the end, as the migration does.
            await conn.execute(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
            await conn.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        for trigger in AGENT_LOADS.TRIGGERS:
            await conn.execute(f"ALTER TABLE tickets DISABLE TRIGGER {trigger}")
    finally:
        await conn.close()
    return people, indexes


async def _finish(
    name: str, indexes: list[Any], count: int, last: dict[uuid.UUID, datetime | None]
) -> None:
    conn = await asyncpg.connect(f"{PG}/{name}")
    try:
        with Progress(console=console) as progress:
            task = progress.add_task("indexes", total=len(indexes))
            for index in indexes:
                await conn.execute(index["indexdef"])
                progress.advance(task)
        for table in BIG_TABLES:
            await conn.execute(f"ALTER TABLE {table} ENABLE TRIGGER ALL")
        await conn.execute("DELETE FROM agent_loads")
        await conn.execute(AGENT_LOADS.BACKFILL)
        await conn.execute("SELECT setval('ticket_number_seq', $1)", count)
        for agent_id, at in last.items():
            await conn.execute(
                "UPDATE profiles SET last_assigned_at = $2 WHERE id = $1", agent_id, at
            )
        console.print("vacuum analyze …")
        for table in (*BIG_TABLES, "profiles", "departments"):
            await conn.execute(f"VACUUM ANALYZE {table}")
    finally:
        await conn.close()


def fill(name: str, count: int, seed: int, jobs: int) -> None:
    started = time.perf_counter()
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(microsecond=0)
    people, indexes = asyncio.run(_prepare(name, rng, now))
    console.print(f"schema and people ready in {time.perf_counter() - started:.0f} s")
    span = timedelta(days=365 * YEARS).total_seconds()
    # More tickets lately, as an organization grows: density rises linearly over the span.
    offsets = sorted(span * rng.random() ** 0.8 for _ in range(count))
    start = now - timedelta(seconds=span)
    size = -(-count // jobs)
    segments = [
        Segment(first + 1, offsets[first : first + size], seed + 1 + first)
        for first in range(0, count, size)
    ]
    context = multiprocessing.get_context("fork")
    done = context.Value("q", 0)
    results = context.Queue()
    workers = [
        context.Process(target=_fill_segment, args=(name, people, seg, start, now, done, results))
        for seg in segments
    ]
    for worker in workers:
        worker.start()
    totals: Counter[str] = Counter()
    last: dict[uuid.UUID, datetime | None] = {}
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
    ) as progress:
        task = progress.add_task(f"tickets ({jobs} workers)", total=count)
        received = 0
        while received < len(workers):
            progress.update(task, completed=done.value)
            try:
                counts, assigned = results.get(timeout=1)
            except queue.Empty:
                if any(w.exitcode not in (None, 0) for w in workers):
                    sys.exit("a fill worker failed")
                continue
            received += 1
            totals.update(counts)
            for agent_id, at in assigned.items():
                if at is not None and (last.get(agent_id) is None or at > last[agent_id]):  # type: ignore[operator]
                    last[agent_id] = at
        progress.update(task, completed=done.value)
    for worker in workers:
        worker.join()
    console.print(f"rows written after {time.perf_counter() - started:.0f} s")
    asyncio.run(_finish(name, indexes, count, last))
    console.print(
        f"filled {totals['tickets']:,} tickets, {totals['audit']:,} audit entries, "
        f"{totals['notifications']:,} notifications in {time.perf_counter() - started:.0f} s"
    )


# --- timing -------------------------------------------------------------------------------


@dataclass
class Timing:
    name: str
    caller: str
    status: int
    p50_ms: float
    p95_ms: float
    sql_ms: float  # the database's own time for the call's statements (EXPLAIN ANALYZE)
    slowest_ms: float
    slowest: str


class Statements:
    """The statements the app's engine sends while recording is on."""

    def __init__(self, engine: Any) -> None:
        self.on = False
        self.seen: list[tuple[str, Any, bool]] = []
        event.listen(engine.sync_engine, "before_cursor_execute", self._record)

    def _record(
        self, _c: Any, _cur: Any, statement: str, parameters: Any, _ctx: Any, many: bool
    ) -> None:
        if self.on:
            self.seen.append((statement, parameters, many))


async def explain(dsn: str, statements: list[tuple[str, Any, bool]]) -> tuple[float, float, str]:
    """Run the statements again under EXPLAIN ANALYZE (in a transaction that is rolled back):
    total and slowest execution time, and the slowest statement's text. INSERTs are left out."""
    conn = await asyncpg.connect(dsn)
    total, slowest, text = 0.0, 0.0, ""
    try:
        tx = conn.transaction()
        await tx.start()
        for statement, parameters, many in statements:
            if "INSERT INTO" in statement.upper():
                # The call's own rows are committed: running it again would conflict (a write
                # deferred into a common table expression carries an INSERT too).
                continue
            args = parameters[0] if many else parameters
            plan = await conn.fetchval(f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}", *(args or ()))
            ms = float(json.loads(plan)[0]["Execution Time"])
            total += ms
            if ms >= slowest:
                slowest, text = ms, " ".join(statement.split())
        await tx.rollback()
    finally:
        await conn.close()
    return total, slowest, text


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def measure(name: str, repeat: int, creates: int, only: str | None) -> list[Timing]:
    settings = settings_for(name)
    await upgrade_async(settings.database_url)  # a kept database gets new migrations
    dsn = f"{PG}/{name}"
    container = build_container(settings)
    await open_resources(container)
    app = create_app(container=container)
    storage = container.storage()
    assert isinstance(storage, SqlStorage)
    recorder = Statements(storage.engine)
    issuer = container.token_issuer()
    conn = await asyncpg.connect(dsn)
    try:
        who = {
            r["email"]: r["id"]
            for r in await conn.fetch(
                "SELECT email, id FROM profiles WHERE email = ANY($1)",
                [
                    "admin@helpdesk.local",
                    "agent1.it-support@helpdesk.local",
                    "employee@helpdesk.local",
                ],
            )
        }
        it = await conn.fetchval("SELECT id FROM departments WHERE slug = 'it-support'")
        sample = await conn.fetchrow(
            "SELECT id, description FROM tickets WHERE assigned_agent_id = $1"
            " ORDER BY number DESC LIMIT 1",
            who["agent1.it-support@helpdesk.local"],
        )
        newest = await conn.fetchval("SELECT max(created_at) FROM tickets")
    finally:
        await conn.close()
    tokens = {
        label: issuer.issue(who[email], email=email, ttl_seconds=3600).access_token
        for label, email in (
            ("admin", "admin@helpdesk.local"),
            ("agent", "agent1.it-support@helpdesk.local"),
            ("end user", "employee@helpdesk.local"),
        )
    }
    asset = sample["description"].rsplit(" ", 1)[-1]
    month = {"from": (newest - timedelta(days=30)).isoformat(), "to": newest.isoformat()}
    year_ago = newest - timedelta(days=365)
    old_month = {
        "created_after": (year_ago - timedelta(days=30)).isoformat(),
        "created_before": year_ago.isoformat(),
    }
    t = "/api/v1/tickets"
    s = "/api/v1/stats"
    month_query = urlencode(month)
    calls: list[tuple[str, str, str]] = [
        ("list newest", "admin", f"{t}?limit=20"),
        ("list status=open", "admin", f"{t}?status=open&limit=20"),
        ("list priority=urgent", "admin", f"{t}?priority=urgent&limit=20"),
        ("list department_id=IT", "admin", f"{t}?department_id={it}&limit=20"),
        ("list routing_mode=manual", "admin", f"{t}?routing_mode=manual&limit=20"),
        ("list overridden=true", "admin", f"{t}?overridden=true&limit=20"),
        ("list category=hr", "admin", f"{t}?category=hr&limit=20"),
        ("list assigned_agent_id=none", "admin", f"{t}?assigned_agent_id=none&limit=20"),
        ("list a month a year ago", "admin", f"{t}?{urlencode(old_month)}&limit=20"),
        ("list newest (own scope)", "agent", f"{t}?limit=20"),
        ("list newest (own tickets)", "end user", f"{t}?limit=20"),
        ("queue=mine", "agent", f"{t}?queue=mine&limit=20"),
        ("queue=department", "agent", f"{t}?queue=department&limit=20"),
        ("queue=triage", "admin", f"{t}?queue=triage&limit=20"),
        ("q common word", "admin", f"{t}?{urlencode({'q': 'الطابعة'})}&limit=20"),
        ("q place name", "admin", f"{t}?{urlencode({'q': 'مركز البيانات'})}&limit=20"),
        ("q asset number", "admin", f"{t}?{urlencode({'q': asset})}&limit=20"),
        ("q two words", "agent", f"{t}?{urlencode({'q': 'كلمة المرور'})}&limit=20"),
        ("one ticket", "agent", f"{t}/{sample['id']}"),
        ("a ticket's audit", "agent", f"{t}/{sample['id']}/audit"),
        ("unread-count", "agent", "/api/v1/notifications/unread-count"),
        ("unread notifications", "agent", "/api/v1/notifications?unread=true&limit=20"),
    ]
    for report in ("routing-modes", "confidence-histogram", "taxonomy", "override-rate"):
        calls.append((f"{report} all-time", "admin", f"{s}/{report}"))
        calls.append((f"{report} last month", "admin", f"{s}/{report}?{month_query}"))
        calls.append((f"{report} all-time", "agent", f"{s}/{report}"))
    calls.append(("agent-workload", "admin", f"{s}/agent-workload"))
    calls.append(("agent-workload", "agent", f"{s}/agent-workload"))
    if only:
        calls = [c for c in calls if only in c[0]]
    results: list[Timing] = []
    # The app's lifespan only loads a JWKS (none here) and closes the pool, done below.
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("timing endpoints", total=len(calls) + 1)
            for label, caller, path in calls:
                headers = {"Authorization": f"Bearer {tokens[caller]}"}
                times = []
                status = 0
                for i in range(repeat + 2):
                    recorder.seen.clear()
                    recorder.on = i == 1  # the statements of one warm call
                    started = time.perf_counter()
                    response = await client.get(path, headers=headers)
                    elapsed = time.perf_counter() - started
                    recorder.on = False
                    status = response.status_code
                    if i >= 2:  # two warm-up calls
                        times.append(elapsed * 1e3)
                    if i == 1:
                        statements = list(recorder.seen)
                sql, slowest, text = await explain(dsn, statements)
                results.append(
                    Timing(
                        label,
                        caller,
                        status,
                        statistics.median(times),
                        _pct(times, 0.95),
                        sql,
                        slowest,
                        text,
                    )
                )
                progress.advance(task)
            if creates and not only:
                results.append(await _creates(client, tokens["end user"], creates, recorder, dsn))
            progress.advance(task)
    await close_resources(container)
    return results


async def _creates(client: Any, token: str, creates: int, recorder: Statements, dsn: str) -> Timing:
    headers = {"Authorization": f"Bearer {token}"}
    times = []
    statements: list[tuple[str, Any, bool]] = []
    status = 0
    for i in range(creates + 2):
        title, description = SAMPLE_TICKETS[i % len(SAMPLE_TICKETS)]
        recorder.seen.clear()
        recorder.on = i == 1
        started = time.perf_counter()
        response = await client.post(
            "/api/v1/tickets", headers=headers, json={"title": title, "description": description}
        )
        elapsed = time.perf_counter() - started
        recorder.on = False
        status = response.status_code
        if i == 1:
            statements = list(recorder.seen)
        if i >= 2:
            times.append(elapsed * 1e3)
    sql, slowest, text = await explain(dsn, statements)
    return Timing(
        f"create ({creates} sequential)",
        "end user",
        status,
        statistics.median(times),
        _pct(times, 0.95),
        sql,
        slowest,
        text,
    )


def show(results: list[Timing]) -> None:
    table = Table(title="1M tickets: API time (in-process ASGI) beside the SQL's own time")
    for column in ("endpoint", "caller", "status", "p50 ms", "p95 ms", "SQL ms", "slowest SQL"):
        table.add_column(
            column, justify="right" if "ms" in column or column == "status" else "left"
        )
    for r in results:
        table.add_row(
            r.name,
            r.caller,
            str(r.status),
            f"{r.p50_ms:.1f}",
            f"{r.p95_ms:.1f}",
            f"{r.sql_ms:.1f}",
            f"{r.slowest_ms:.1f} {r.slowest[:48]}",
        )
    console.print(table)


def main() -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="helpdesk_million")
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--rebuild", action="store_true", help="drop and refill the database")
    parser.add_argument("--repeat", type=int, default=20, help="timed calls per endpoint")
    parser.add_argument("--creates", type=int, default=30, help="sequential creates timed")
    parser.add_argument("--only", help="time only the endpoints whose label contains this")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--jobs", type=int, default=2, help="processes filling in parallel")
    parser.add_argument("--json", help="also write the timings as JSON here")
    args = parser.parse_args()
    if args.rebuild or not asyncio.run(exists(args.database)):
        fill(args.database, args.tickets, args.seed, args.jobs)
    results = asyncio.run(measure(args.database, args.repeat, args.creates, args.only))
    show(results)
    if args.json:
        with Path(args.json).open("w") as out:
            json.dump([r.__dict__ for r in results], out, indent=2, ensure_ascii=False)


if __name__ == "__main__":
    sys.exit(main())
