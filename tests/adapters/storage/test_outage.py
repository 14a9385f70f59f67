"""A database lost during use: use cases raise DependencyUnavailable (HTTP 503), never a raw
driver error; service resumes by itself once it is back (idle connections pinged on checkout, the
pool discarded after a lost connection); and no ticket is ever
half-written. The database is cut off through a TCP relay of our own, never by touching the
shared server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.engine import make_url

from helpdesk.adapters.storage.sql.engine import PING_AFTER_IDLE_SECONDS
from helpdesk.adapters.storage.sql.unit_of_work import SqlStorage
from helpdesk.application.ports.storage.tickets import TicketFilter
from helpdesk.application.tickets.create import CreateTicket
from helpdesk.domain.errors import DependencyUnavailable

from .builders import EVERYTHING, manual_ticket, profile, seed
from .flows import DESCRIPTION, TITLE, context, seed_department, ticket_counts
from .postgres import server_address
from .relay import TcpRelay


@pytest.fixture
async def relay() -> AsyncIterator[TcpRelay]:
    relay = TcpRelay(server_address())
    await relay.start()
    yield relay
    await relay.cut()


def through(relay: TcpRelay, postgres_url: str) -> str:
    url = make_url(postgres_url).set(host="127.0.0.1", port=relay.port, query={})
    return url.render_as_string(hide_password=False)


async def test_an_outage_answers_unavailable_and_heals(postgres_url: str, relay: TcpRelay) -> None:
    storage = SqlStorage(through(relay, postgres_url))
    _, _, user = await seed_department(storage, agents=2)
    create = context(storage).create_ticket()
    await create.execute(user, CreateTicket(TITLE, DESCRIPTION))

    await relay.cut()  # pooled connections die, and new ones are refused
    for _ in range(3):
        with pytest.raises(DependencyUnavailable):
            await create.execute(user, CreateTicket(TITLE, DESCRIPTION))
    with pytest.raises(DependencyUnavailable):
        async with storage.unit_of_work() as uow:
            await uow.tickets.search(EVERYTHING, TicketFilter(), None, 10)
    with pytest.raises(DependencyUnavailable):
        await storage.ping()

    await relay.start()  # back, on the same address: no restart, no new engine
    created = await create.execute(user, CreateTicket(TITLE, DESCRIPTION))
    assert created.ticket.number > 0
    await storage.ping()
    await storage.dispose()

    direct = SqlStorage(postgres_url)
    tickets, unaudited = await ticket_counts(direct)
    await direct.dispose()
    assert tickets == 2
    assert unaudited == 0  # no half-written ticket


async def test_a_cut_inside_a_transaction_leaves_nothing(
    postgres_url: str, relay: TcpRelay
) -> None:
    storage = SqlStorage(through(relay, postgres_url))
    submitter = profile()
    await seed(storage, submitter)
    lost = manual_ticket(submitter)
    with pytest.raises(DependencyUnavailable):
        async with storage.unit_of_work() as uow:
            await uow.tickets.add(lost)
            await relay.cut()
            await uow.tickets.get(lost.id)
            await uow.commit()
    with pytest.raises(DependencyUnavailable):
        async with storage.unit_of_work() as uow:
            await uow.tickets.add(manual_ticket(submitter))
    await relay.start()
    async with storage.unit_of_work() as uow:
        assert await uow.tickets.get(lost.id) is None
        kept = manual_ticket(submitter)
        await uow.tickets.add(kept)
        await uow.commit()
    async with storage.unit_of_work() as uow:
        assert await uow.tickets.get(kept.id) is not None
    await storage.dispose()


async def test_a_cut_while_committing_is_unavailable(postgres_url: str, relay: TcpRelay) -> None:
    """Commit itself fails: DependencyUnavailable, and the connection is not reused."""
    storage = SqlStorage(through(relay, postgres_url))
    submitter = profile()
    await seed(storage, submitter)
    with pytest.raises(DependencyUnavailable):
        async with storage.unit_of_work() as uow:
            await uow.tickets.add(manual_ticket(submitter))
            await relay.cut()
            await uow.commit()
    await relay.start()
    await storage.ping()
    async with storage.unit_of_work() as uow:
        assert await uow.tickets.search(EVERYTHING, TicketFilter(), None, 10) == []
    await storage.dispose()


async def test_a_connection_lost_while_idle_in_the_pool_is_replaced_unnoticed(
    postgres_url: str, relay: TcpRelay
) -> None:
    """The server went away and came back while nobody was asking: the first request after a
    quiet spell succeeds (idle connections are pinged on checkout and replaced)."""
    storage = SqlStorage(through(relay, postgres_url))
    submitter = profile()
    await seed(storage, submitter)
    await relay.cut()  # kills the pooled connection
    await relay.start()
    await asyncio.sleep(PING_AFTER_IDLE_SECONDS + 0.2)
    async with storage.unit_of_work() as uow:
        await uow.tickets.add(manual_ticket(submitter))
        await uow.commit()
    async with storage.unit_of_work() as uow:
        assert len(await uow.tickets.search(EVERYTHING, TicketFilter(), None, 10)) == 1
    await storage.dispose()
