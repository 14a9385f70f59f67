"""The SLA pass acts on each crossing exactly once, whatever the number of processes: two
passes at once on separate connection pools (as two processes would run them), real
`helpdesk sla run-once` processes beside a `helpdesk worker` (PostgreSQL and SQLite), and two
`helpdesk serve` processes with the inline scheduler beside a worker (PostgreSQL)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from helpdesk.adapters.storage.sql.tables import audit_entries, notifications, sla_crossings
from helpdesk.adapters.storage.sql.unit_of_work import SqlStorage
from helpdesk.application.sla_pass import SlaPassUseCase
from helpdesk.application.tickets.create import CreateTicket
from helpdesk.domain.sla.business_calendar import BusinessCalendar
from helpdesk.domain.sla.policy import BreachActions, Recipient, SlaPolicy
from helpdesk.domain.taxonomy import Priority

from ...processes import clean_environ
from ...wiring import wired
from .flows import DESCRIPTION, TITLE, NetworkClassifier, seed_department
from .pgbouncer import free_port

TICKETS = 24
AROUND_THE_CLOCK = BusinessCalendar("UTC", (1, 2, 3, 4, 5, 6, 7), "00:00", "24:00")


class FixedClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


class Ids:
    def new_id(self) -> uuid.UUID:
        return uuid.uuid4()


async def file_overdue_tickets(url: str, filed_at: datetime) -> None:
    """TICKETS medium tickets filed at `filed_at` under a 30 min / 2 h policy, round the clock."""
    storage = SqlStorage(url)
    try:
        dept, _, user = await seed_department(storage, agents=3)
        async with storage.unit_of_work() as uow:
            await uow.sla.add_policy(
                SlaPolicy(
                    uuid.uuid4(),
                    "متوسطة",
                    Priority.MEDIUM,
                    30,
                    120,
                    filed_at,
                    on_breach=BreachActions((Recipient.ASSIGNEE, Recipient.DEPARTMENT)),
                )
            )
            await uow.sla.set_calendar(dept.id, AROUND_THE_CLOCK)
            await uow.commit()
        create = wired(storage, NetworkClassifier(), FixedClock(filed_at)).create_ticket()
        for _ in range(TICKETS):
            await create.execute(user, CreateTicket(TITLE, DESCRIPTION))
    finally:
        await storage.dispose()


async def counts(url: str) -> dict[str, int]:
    storage = SqlStorage(url)
    try:
        async with storage.engine.connect() as conn:

            async def count(query: Any) -> int:
                return int((await conn.execute(query)).scalar_one())

            return {
                "breached": await count(
                    select(func.count())
                    .select_from(audit_entries)
                    .where(audit_entries.c.action == "sla.breached")
                ),
                "warned": await count(
                    select(func.count())
                    .select_from(audit_entries)
                    .where(audit_entries.c.action == "sla.warning")
                ),
                "crossings": await count(select(func.count()).select_from(sla_crossings)),
                "breach notices": await count(
                    select(func.count())
                    .select_from(notifications)
                    .where(notifications.c.kind == "sla_breach")
                ),
            }
    finally:
        await storage.dispose()


async def test_two_passes_at_once_act_on_each_crossing_once(sql_url: str) -> None:
    filed = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    await file_overdue_tickets(sql_url, filed)
    later = FixedClock(filed + timedelta(hours=3))  # both targets breached on every ticket
    first, second = SqlStorage(sql_url), SqlStorage(sql_url)
    try:
        reports = await asyncio.gather(
            SlaPassUseCase(first.unit_of_work, later, Ids(), batch=5).execute(),
            SlaPassUseCase(second.unit_of_work, later, Ids(), batch=5).execute(),
        )
        again = await SlaPassUseCase(first.unit_of_work, later, Ids()).execute()
    finally:
        await first.dispose()
        await second.dispose()
    assert sum(r.breached for r in reports) == 2 * TICKETS
    assert sum(r.warned for r in reports) == 0  # a warning whose target is breached is retired
    assert again.as_dict() == {"warned": 0, "breached": 0, "escalated": 0}
    found = await counts(sql_url)
    # One breach per target and ticket, audited and marked; the assignee and the two
    # colleagues told once per ticket (two breaches found together are one notice each).
    assert found == {
        "breached": 2 * TICKETS,
        "warned": 0,
        "crossings": 2 * TICKETS,
        "breach notices": TICKETS * 3,
    }


def test_run_once_processes_and_a_worker_act_once(sql_url: str, tmp_path: Path) -> None:
    # Filed two days ago (real time): every target is long breached when the processes start.
    asyncio.run(file_overdue_tickets(sql_url, datetime.now(UTC) - timedelta(days=2)))
    clean = clean_environ()
    env = {**clean, "HELPDESK_DATABASE_URL": sql_url, "HELPDESK_SLA_INTERVAL": "0.2"}
    command = [sys.executable, "-m", "helpdesk.entrypoints.cli"]
    worker = subprocess.Popen(
        [*command, "worker"], env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        passes = [
            subprocess.Popen(
                [*command, "sla", "run-once"],
                env=env,
                cwd=tmp_path,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [p.communicate(timeout=120) for p in passes]
        assert all(p.returncode == 0 for p in passes), outputs
    finally:
        worker.terminate()
        assert worker.wait(timeout=60) == 0
    found = asyncio.run(counts(sql_url))
    assert found["breached"] == found["crossings"] == 2 * TICKETS
    assert found["breach notices"] == TICKETS * 3


@pytest.mark.slow
def test_two_servers_and_a_worker_act_once(postgres_url: str, tmp_path: Path) -> None:
    """Two `helpdesk serve` processes running the periodic work inline and a `helpdesk worker`,
    all passing every 0.2 s over the same overdue tickets: one breach record per crossing."""
    asyncio.run(file_overdue_tickets(postgres_url, datetime.now(UTC) - timedelta(days=2)))
    clean = clean_environ()
    env = {
        **clean,
        "HELPDESK_DATABASE_URL": postgres_url,
        "HELPDESK_JWT_SECRET": "sla-processes-secret-" + "x" * 32,
        "HELPDESK_CLASSIFIER_URL": "http://127.0.0.1:9",  # never asked: nobody files tickets
        "HELPDESK_SCHEDULER": "inline",
        "HELPDESK_SLA_INTERVAL": "0.2",
        "HELPDESK_ENV": "test",
    }
    command = [sys.executable, "-m", "helpdesk.entrypoints.cli"]
    processes = [
        subprocess.Popen(
            [*command, "serve", "--port", str(free_port())],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(2)
    ]
    processes.append(
        subprocess.Popen(
            [*command, "worker"],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    )
    try:
        deadline = time.monotonic() + 90
        while asyncio.run(counts(postgres_url))["crossings"] < 2 * TICKETS:
            assert time.monotonic() < deadline, "the processes did not act on the tickets"
            assert all(p.poll() is None for p in processes), "a process stopped"
            time.sleep(0.5)
        # A few more turns of every process: none may act again.
        time.sleep(2)
        assert all(p.poll() is None for p in processes), "a process stopped"
    finally:
        for p in processes:
            p.terminate()
        for p in processes:
            p.wait(30)
    found = asyncio.run(counts(postgres_url))
    assert found == {
        "breached": 2 * TICKETS,
        "warned": 0,
        "crossings": 2 * TICKETS,
        "breach notices": TICKETS * 3,
    }
