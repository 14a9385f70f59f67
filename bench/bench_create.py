"""Create-ticket latency through the real use case on each storage adapter.

Run: python bench/bench_create.py [--tickets 300]
(needs the local PostgreSQL for its row; creates and drops a database `helpdesk_bench_*`.)
Reports the median per create and the ratio to the in-memory adapter measured in the same run:
the ratio is what travels between machines.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import asyncpg
from dependency_injector import providers

from helpdesk.adapters.storage.memory.unit_of_work import MemoryStorage
from helpdesk.adapters.storage.sql.migrate import upgrade_async
from helpdesk.adapters.storage.sql.unit_of_work import SqlStorage
from helpdesk.application.tickets.create import CreateTicket
from helpdesk.application.users.create import SYSTEM_ACTOR, CreateUser
from helpdesk.container import build_container
from helpdesk.domain.classification import Classification
from helpdesk.domain.departments import Department
from helpdesk.domain.people import Actor
from helpdesk.domain.taxonomy import Category, Role
from helpdesk.settings import Settings

PG = "postgresql://postgres@127.0.0.1:5432/postgres"


class Sure:
    async def classify(self, text: str) -> Classification:
        return Classification.from_scores(
            {Category.NETWORK: 0.95}, model="bench", classified_at=datetime.now(UTC)
        )

    async def health(self) -> str:
        return "ok"


async def run(storage: Any, tickets: int) -> list[float]:
    ctx = build_container(Settings(database_url="memory://", env="test"))
    ctx.storage.override(providers.Object(storage))
    ctx.classifier.override(providers.Object(Sure()))
    ctx.identity.override(providers.Object(None))
    dept = Department(uuid.uuid4(), "it", "الدعم", "", (Category.NETWORK,), True, datetime.now(UTC))
    async with storage.unit_of_work() as uow:
        await uow.departments.add(dept)
        await uow.commit()
    users = ctx.create_user()
    for i in range(5):
        await users.execute(SYSTEM_ACTOR, CreateUser(f"a{i}@x.io", "وكيل", Role.AGENT, dept.id))
    user = Actor.of(await users.execute(SYSTEM_ACTOR, CreateUser("u@x.io", "موظف", Role.END_USER)))
    create = ctx.create_ticket()
    command = CreateTicket("الشبكة لا تعمل", "لا يوجد اتصال بالإنترنت في مكتبي منذ الصباح")
    times = []
    for _ in range(tickets):
        start = time.perf_counter()
        await create.execute(user, command)
        times.append(time.perf_counter() - start)
    return times


async def main(tickets: int) -> None:
    results = {"memory": await run(MemoryStorage(), tickets)}
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/bench.db"
        await upgrade_async(url)
        sqlite = SqlStorage(url)
        results["sqlite"] = await run(sqlite, tickets)
        await sqlite.dispose()
    name = f"helpdesk_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(PG)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
        await upgrade_async(url)
        pg = SqlStorage(url)
        results["postgresql"] = await run(pg, tickets)
        await pg.dispose()
    finally:
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await admin.close()
    base = statistics.median(results["memory"])
    print(f"create ticket (auto-routed and assigned), {tickets} sequential creates each")
    for kind, times in results.items():
        med = statistics.median(times)
        p95 = statistics.quantiles(times, n=20)[-1]
        print(
            f"  {kind:<11} median {med * 1e3:7.2f} ms   p95 {p95 * 1e3:7.2f} ms   {med / base:5.1f}x memory"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=300)
    asyncio.run(main(parser.parse_args().tickets))
