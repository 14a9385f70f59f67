"""The SLA pass on a million tickets (PostgreSQL): what one pass costs when nothing is due, and
what it costs per ticket when some are.

Run: python bench/bench_sla_pass.py [--tickets 1000000] [--due 200] [--repeat 20]
     [--database helpdesk_sla_bench] [--rebuild]
(needs the local PostgreSQL; the database is kept between runs and refilled with --rebuild.)

The fill writes the tickets server-side (generate_series): 95% finished (no next check), 5%
open with their next SLA check spread over the coming weeks — the shape of a helpdesk where the
pass has nothing to do most of the time. Then:

1. the pass with nothing due, `--repeat` times (p50, p95), through the real use case and SQL
   adapter, beside the plan of its one query (EXPLAIN ANALYZE: it must read the partial index
   of next checks, not the table);
2. `--due` tickets filed through the create use case two days in the past (so both targets are
   breached), then one pass acting on all of them: total time and time per ticket.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
from pg_databases import PG, exists, recreate
from sqlalchemy import text

from helpdesk.adapters.storage.sql.migrate import upgrade_async
from helpdesk.adapters.storage.sql.unit_of_work import SqlStorage
from helpdesk.application.sla_pass import SlaPassUseCase
from helpdesk.application.tickets.create import CreateTicket
from helpdesk.application.users.create import SYSTEM_ACTOR, CreateUser
from helpdesk.container import build_container
from helpdesk.domain.classification import Classification
from helpdesk.domain.departments import Department
from helpdesk.domain.people import Actor
from helpdesk.domain.sla.defaults import DEFAULT_POLICIES, default_policies
from helpdesk.domain.taxonomy import Category, Role
from helpdesk.settings import Settings

SECRET = "bench-sla-secret-" + "x" * 32


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


class Ids:
    def new_id(self) -> uuid.UUID:
        return uuid.uuid4()


class Network:
    async def classify(self, text: str) -> Classification | None:
        return Classification.from_scores(
            {Category.NETWORK: 0.95, Category.HARDWARE: 0.03},
            model="bench",
            classified_at=datetime.now(UTC),
        )

    async def health(self) -> str:
        return "ok"


FILL = """
INSERT INTO tickets (
    id, number, title, description, search_text, status, priority, submitter_id,
    routing_mode, routing_reason, routing_overridden, router_mode, version,
    created_at, updated_at, resolved_at,
    sla_policy_id, sla_first_response_minutes, sla_resolution_minutes, sla_warning_percent,
    first_response_due_at, resolution_due_at, first_response_warn_at, resolution_warn_at,
    first_responded_at, sla_next_check_at
)
SELECT
    gen_random_uuid(), nextval('ticket_number_seq'), 'تذكرة', 'وصف التذكرة', 'تذكره وصف',
    CASE WHEN i % 20 = 0 THEN 'open' ELSE 'closed' END, 'medium', $1::uuid,
    'manual', 'bench', false, 'manual', 1,
    $2::timestamptz - make_interval(secs => i * 60), $2::timestamptz - make_interval(secs => i * 60),
    CASE WHEN i % 20 = 0 THEN NULL ELSE $2::timestamptz - make_interval(secs => i * 60 - 3600) END,
    $3::uuid, 240, 1440, 80,
    $2::timestamptz + make_interval(secs => i * 2), $2::timestamptz + make_interval(secs => i * 4),
    $2::timestamptz + make_interval(secs => i), $2::timestamptz + make_interval(secs => i * 3),
    $2::timestamptz - make_interval(secs => i * 60 - 600),
    CASE WHEN i % 20 = 0 THEN $2::timestamptz + make_interval(secs => i * 3) ELSE NULL END
FROM generate_series(1, $4::int) AS i
"""


async def fill(name: str, tickets: int, now: datetime) -> None:
    await recreate(name)
    url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    await upgrade_async(url)
    submitter = uuid.uuid4()
    policy = uuid.uuid4()
    conn = await asyncpg.connect(f"{PG}/{name}")
    try:
        await conn.execute(
            "INSERT INTO profiles (id, email, full_name, role, department_id, is_active, "
            "is_available, max_open_tickets, created_at) "
            "VALUES ($1, 'bench@example.com', 'bench', 'end_user', NULL, true, true, NULL, $2)",
            submitter,
            now,
        )
        started = time.perf_counter()
        # The daily-count triggers are the reports' business, not the pass's: off for the fill.
        await conn.execute("ALTER TABLE tickets DISABLE TRIGGER USER")
        await conn.execute(FILL, submitter, now, policy, tickets)
        await conn.execute("ALTER TABLE tickets ENABLE TRIGGER USER")
        await conn.execute("VACUUM ANALYZE tickets")
        print(f"filled {tickets:,} tickets in {time.perf_counter() - started:.1f} s")
    finally:
        await conn.close()


async def nothing_due(storage: SqlStorage, now: datetime, repeat: int) -> None:
    sla_pass = SlaPassUseCase(storage.unit_of_work, Clock(now), Ids())
    await sla_pass.execute()  # warm: pool, statement cache
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        report = await sla_pass.execute()
        times.append((time.perf_counter() - started) * 1000)
        assert report.as_dict() == {"warned": 0, "breached": 0, "escalated": 0}, report
    times.sort()
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    print(
        f"pass, nothing due: p50 {statistics.median(times):.2f} ms, p95 {p95:.2f} ms "
        f"({repeat} passes)"
    )
    async with storage.engine.connect() as conn:
        plan = await conn.execute(
            text(
                "EXPLAIN (ANALYZE, COSTS OFF, TIMING ON) SELECT id FROM tickets "
                "WHERE sla_next_check_at IS NOT NULL AND sla_next_check_at <= :now "
                "ORDER BY sla_next_check_at LIMIT 500"
            ),
            {"now": now},
        )
        print("  plan of its query:")
        for (line,) in plan:
            print(f"    {line}")


async def some_due(name: str, storage: SqlStorage, now: datetime, due: int) -> None:
    filed_at = now - timedelta(days=2)
    container = build_container(
        Settings(
            database_url=f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}",
            jwt_secret=SECRET,
            scheduler="off",
        )
    )
    from dependency_injector import providers

    container.storage.override(providers.Object(storage))
    container.classifier.override(providers.Object(Network()))
    container.identity.override(providers.Object(None))
    container.clock.override(providers.Object(Clock(filed_at)))
    dept = Department(
        uuid.uuid4(), f"it-{uuid.uuid4().hex[:6]}", "الدعم", "", (Category.NETWORK,), True, now
    )
    async with storage.unit_of_work() as uow:
        await uow.departments.add(dept)
        if not await uow.sla.policies():
            ids = [uuid.uuid4() for _ in DEFAULT_POLICIES]
            for policy in default_policies(ids, filed_at):
                await uow.sla.add_policy(policy)
        await uow.commit()
    users = container.create_user()
    for n in range(3):
        await users.execute(
            SYSTEM_ACTOR,
            CreateUser(f"agent{n}-{dept.slug}@example.com", "وكيل", Role.AGENT, dept.id),
        )
    user = Actor.of(
        await users.execute(
            SYSTEM_ACTOR, CreateUser(f"user-{dept.slug}@example.com", "موظف", Role.END_USER)
        )
    )
    create = container.create_ticket()
    for _ in range(due):
        await create.execute(user, CreateTicket("الشبكة لا تعمل", "لا يوجد اتصال بالشبكة هنا"))
    started = time.perf_counter()
    report = await SlaPassUseCase(storage.unit_of_work, Clock(now), Ids()).execute()
    spent = time.perf_counter() - started
    print(
        f"pass acting on {due} overdue tickets: {spent * 1000:.0f} ms "
        f"({spent * 1000 / max(1, due):.2f} ms per ticket; {report})"
    )


async def run(args: argparse.Namespace) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    if args.rebuild or not await exists(args.database):
        await fill(args.database, args.tickets, now)
    storage = SqlStorage(f"postgresql+asyncpg://postgres@127.0.0.1:5432/{args.database}")
    try:
        await nothing_due(storage, now, args.repeat)
        if args.due:
            await some_due(args.database, storage, now, args.due)
    finally:
        await storage.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="helpdesk_sla_bench")
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--rebuild", action="store_true")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
