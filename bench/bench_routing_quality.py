"""How long the routing-quality report and the threshold evidence take on a large history.

    python bench/bench_routing_quality.py --tickets 200000 [--url postgresql+asyncpg://…/db]

Fills a fresh, migrated database (a SQLite file by default) with tickets of mixed routing
outcomes — auto-routed and finished, moved, suggested and taken, shadow decisions, human labels —
analyzes it (as a database in service is), then times `stats.routing_quality` (all time, and one department over one month) and
`stats.routing_evidence` (what `helpdesk routing thresholds` reads), median of five runs each.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from helpdesk.adapters.storage.sql import rows
from helpdesk.adapters.storage.sql.migrate import upgrade_async
from helpdesk.adapters.storage.sql.tables import departments, profiles, tickets
from helpdesk.adapters.storage.sql.unit_of_work import SqlStorage
from helpdesk.application.ports.storage.stats import StatsWindow
from helpdesk.domain.classification import Classification
from helpdesk.domain.departments import Department
from helpdesk.domain.people import Profile
from helpdesk.domain.routing import RoutingDecision
from helpdesk.domain.taxonomy import CATEGORIES, Category, Priority, Role, RoutingMode, TicketStatus
from helpdesk.domain.ticket import Ticket, with_status

START = datetime(2025, 1, 1, tzinfo=UTC)
BATCH = 5000


def _ticket(
    rng: random.Random, i: int, submitter: Profile, agent: Profile, dept: Department
) -> Ticket:
    at = START + timedelta(minutes=3 * i)  # about 175,000 tickets a year
    category = rng.choice([c for c in CATEGORIES if c is not Category.OTHER])
    confidence = round(rng.uniform(0.3, 1.0), 4)
    mode = (
        RoutingMode.AUTO
        if confidence >= 0.8
        else RoutingMode.SUGGESTED
        if confidence >= 0.55
        else RoutingMode.MANUAL
    )
    shadow = mode is RoutingMode.AUTO and rng.random() < 0.2
    if shadow:
        mode = RoutingMode.SUGGESTED
    placed = None if mode is RoutingMode.MANUAL else dept.id
    t = Ticket.file(
        id=uuid.uuid4(),
        title="عنوان التذكرة",
        description="وصف التذكرة للاختبار",
        priority=Priority.MEDIUM,
        submitter_id=submitter.id,
        classification=Classification.from_scores(
            {category: confidence}, model="bench", classified_at=at
        ),
        decision=RoutingDecision(mode, placed, confidence, "bench", category, shadow=shadow),
        assignee_id=agent.id if mode is RoutingMode.AUTO else None,
        now=at,
    )
    t.number = i + 1
    roll = rng.random()
    if placed is not None and roll < 0.5:
        with_status(t, TicketStatus.RESOLVED, at)
    elif placed is not None and roll < 0.6:
        t.moved_by_human = True
    if roll > 0.9:
        t.human_category = rng.choice(CATEGORIES)
        t.human_category_by, t.human_category_at = agent.id, at
    return t


async def fill(storage: SqlStorage, count: int) -> Department:
    rng = random.Random(7)
    now = START
    depts = [
        Department(uuid.uuid4(), f"d{i}", f"قسم {i}", "", (c,), True, now)
        for i, c in enumerate(CATEGORIES[:5])
    ]
    dept = depts[0]
    submitter = Profile(uuid.uuid4(), "u@x.io", "موظف", Role.END_USER, None, True, True, None, now)
    agent = Profile(uuid.uuid4(), "a@x.io", "وكيل", Role.AGENT, dept.id, True, True, None, now)
    async with storage.engine.begin() as conn:
        for d in depts:
            await conn.execute(insert(departments).values(rows.department_values(d)))
        for p in (submitter, agent):
            await conn.execute(insert(profiles).values(rows.profile_values(p)))
    for start in range(0, count, BATCH):
        batch = [
            {**rows.ticket_values(t), "number": t.number}
            for t in (
                _ticket(rng, i, submitter, agent, depts[i % len(depts)])
                for i in range(start, min(count, start + BATCH))
            )
        ]
        async with storage.engine.begin() as conn:
            await conn.execute(insert(tickets), batch)
    return dept


async def timed(storage: SqlStorage, what: Any) -> float:
    runs = []
    for _ in range(5):
        began = time.perf_counter()
        async with storage.unit_of_work(read_only=True) as uow:
            await what(uow)
        runs.append(time.perf_counter() - began)
    return statistics.median(runs) * 1000


async def analyze(storage: SqlStorage) -> None:
    """Planner statistics (and, on PostgreSQL, the visibility map index-only scans need), as a
    database in service has them."""
    if storage.engine.dialect.name == "postgresql":
        async with storage.engine.connect() as conn:
            autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.exec_driver_sql("VACUUM ANALYZE tickets")
    else:
        async with storage.engine.begin() as conn:
            await conn.exec_driver_sql("ANALYZE")


async def main(count: int, url: str | None) -> None:
    work = Path(tempfile.mkdtemp())
    url = url or f"sqlite+aiosqlite:///{work}/quality.db"
    await upgrade_async(url)
    storage = SqlStorage(url)
    try:
        began = time.perf_counter()
        dept = await fill(storage, count)
        await analyze(storage)
        print(
            f"{storage.engine.dialect.name}: {count} tickets filled in {time.perf_counter() - began:.0f} s"
        )
        month = StatsWindow(dept.id, START + timedelta(days=30), START + timedelta(days=61))
        for name, what in (
            ("routing-quality, all time", lambda uow: uow.stats.routing_quality(StatsWindow())),
            (
                "routing-quality, one department, one month",
                lambda uow: uow.stats.routing_quality(month),
            ),
            ("threshold evidence, all time", lambda uow: uow.stats.routing_evidence(StatsWindow())),
        ):
            print(f"  {name:<46} {await timed(storage, what):8.1f} ms (median of 5)")
    finally:
        await storage.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=200_000)
    parser.add_argument("--url", help="an empty database (default: a new SQLite file)")
    args = parser.parse_args()
    asyncio.run(main(args.tickets, args.url))
