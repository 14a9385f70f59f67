"""Real concurrency on SQL storage: many create-ticket use cases at once, from several
connection pools (as several server processes would have), stay fair, lose nothing and never
duplicate; the same idempotency key makes one ticket; pgbouncer in transaction mode holds up."""

from __future__ import annotations

import asyncio
import sys
from collections import Counter
from pathlib import Path

import pytest

from helpdesk.adapters.storage.sql.unit_of_work import SqlStorage
from helpdesk.application.ports.storage.tickets import TicketFilter
from helpdesk.application.tickets.create import CreateTicket
from helpdesk.domain.taxonomy import RoutingMode

from .builders import EVERYTHING
from .flows import DESCRIPTION, TITLE, context, seed_department, ticket_counts

REPO = Path(__file__).resolve().parents[3]  # where `tests` imports from
POOLS = 4  # separate engines: what four server processes would have


@pytest.mark.slow
async def test_200_concurrent_creates_from_several_pools_are_fair(postgres_url: str) -> None:
    storages = [SqlStorage(postgres_url, connections=10) for _ in range(POOLS)]
    try:
        dept, agents, user = await seed_department(storages[0], agents=7)
        creates = [context(s).create_ticket() for s in storages]
        results = await asyncio.gather(
            *(
                creates[i % POOLS].execute(user, CreateTicket(TITLE, DESCRIPTION))
                for i in range(200)
            )
        )
        async with storages[0].unit_of_work() as uow:
            loads = {a.profile.id: a.load for a in await uow.assignment.loads(dept.id)}
            stored = await uow.tickets.search(EVERYTHING, TicketFilter(), None, 500)
        tickets, unaudited = await ticket_counts(storages[0])
    finally:
        for s in storages:
            await s.dispose()
    assert tickets == len(stored) == 200
    assert unaudited == 0  # each has its ticket.created entry
    assert {t.id for t in stored} == {r.ticket.id for r in results}
    assert len({t.number for t in stored}) == 200
    assert {t.routing_mode for t in stored} == {RoutingMode.AUTO}
    assert set(loads) == set(agents) and sum(loads.values()) == 200
    assert max(loads.values()) - min(loads.values()) <= 1, loads


async def test_the_same_idempotency_key_at_once_makes_one_ticket(sql_url: str) -> None:
    storages = [SqlStorage(sql_url, connections=10) for _ in range(3)]
    try:
        _, _, user = await seed_department(storages[0], agents=2)
        creates = [context(s).create_ticket() for s in storages]
        command = CreateTicket(TITLE, DESCRIPTION, idempotency_key="retry-1")
        results = await asyncio.gather(*(creates[i % 3].execute(user, command) for i in range(20)))
        tickets, unaudited = await ticket_counts(storages[0])
    finally:
        for s in storages:
            await s.dispose()
    assert tickets == 1 and unaudited == 0
    assert len({r.ticket.id for r in results}) == 1
    assert Counter(r.replayed for r in results) == {False: 1, True: 19}


async def test_concurrent_writers_on_one_sqlite_file(sqlite_url: str) -> None:
    """Several processes' worth of writers (separate engines) on one file: WAL and immediate
    transactions queue them; none is lost and assignment stays fair."""
    storages = [SqlStorage(sqlite_url) for _ in range(3)]
    try:
        dept, _, user = await seed_department(storages[0], agents=3)
        creates = [context(s).create_ticket() for s in storages]
        results = await asyncio.gather(
            *(creates[i % 3].execute(user, CreateTicket(TITLE, DESCRIPTION)) for i in range(30))
        )
        async with storages[0].unit_of_work() as uow:
            loads = sorted(a.load for a in await uow.assignment.loads(dept.id))
        tickets, unaudited = await ticket_counts(storages[0])
    finally:
        for s in storages:
            await s.dispose()
    assert len({r.ticket.number for r in results}) == 30
    assert tickets == 30 and unaudited == 0
    assert loads == [10, 10, 10]


async def test_the_create_flow_through_pgbouncer_in_transaction_mode(pgbouncer_url: str) -> None:
    """Prepared statements would clash here without the pooler settings (api.md)."""
    storages = [SqlStorage(pgbouncer_url, pooler="transaction", connections=20) for _ in range(2)]
    try:
        dept, _, user = await seed_department(storages[0], agents=3)
        creates = [context(s).create_ticket() for s in storages]
        results = await asyncio.gather(
            *(creates[i % 2].execute(user, CreateTicket(TITLE, DESCRIPTION)) for i in range(30))
        )
        async with storages[0].unit_of_work() as uow:
            loads = sorted(a.load for a in await uow.assignment.loads(dept.id))
        tickets, unaudited = await ticket_counts(storages[0])
    finally:
        for s in storages:
            await s.dispose()
    assert len({r.ticket.number for r in results}) == 30
    assert tickets == 30 and unaudited == 0
    assert loads == [10, 10, 10]


WRITER = """
import asyncio, sys, uuid
from helpdesk.adapters.storage.sql.unit_of_work import SqlStorage
from helpdesk.application.tickets.create import CreateTicket, CreateTicketUseCase
from helpdesk.domain.people import Actor
from tests.adapters.storage.flows import DESCRIPTION, TITLE, context

async def main(url, user_id, count):
    storage = SqlStorage(url)
    async with storage.unit_of_work() as uow:
        actor = Actor.of(await uow.profiles.get(uuid.UUID(user_id)))
    create = context(storage).create_ticket()
    await asyncio.gather(*(create.execute(actor, CreateTicket(TITLE, DESCRIPTION))
                           for _ in range(count)))
    await storage.dispose()

asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
"""


async def test_writer_processes_on_one_sqlite_file(sqlite_url: str) -> None:
    """Real processes (as `helpdesk serve --workers 3` has) filing tickets at once on one file."""
    storage = SqlStorage(sqlite_url)
    dept, _, user = await seed_department(storage, agents=3)
    writers = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-c", WRITER, sqlite_url, str(user.id), "15", cwd=REPO
        )
        for _ in range(3)
    ]
    codes = [await asyncio.wait_for(w.wait(), timeout=120) for w in writers]
    async with storage.unit_of_work() as uow:
        loads = sorted(a.load for a in await uow.assignment.loads(dept.id))
        stored = await uow.tickets.search(EVERYTHING, TicketFilter(), None, 100)
    tickets, unaudited = await ticket_counts(storage)
    await storage.dispose()
    assert codes == [0, 0, 0]
    assert tickets == len(stored) == 45 and unaudited == 0
    assert sorted(t.number for t in stored) == list(range(1, 46))
    assert loads == [15, 15, 15]
