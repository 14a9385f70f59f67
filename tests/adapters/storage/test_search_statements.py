"""Ticket searches of one shape run one statement object, with their values bound: building the
conditions afresh (a few SQLAlchemy comparisons each) was about a fifth of an agent's queue
read. The results still follow the values."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from helpdesk.adapters.storage.sql.unit_of_work import SqlStorage
from helpdesk.application.ports.storage.tickets import TicketFilter
from helpdesk.domain.permissions import TicketScope
from helpdesk.domain.taxonomy import Priority, Role

from .builders import manual_ticket, profile, seed


async def test_searches_that_differ_in_values_share_their_statement(sql_url: str) -> None:
    storage = SqlStorage(sql_url)
    first, second = profile(Role.END_USER), profile(Role.END_USER)
    urgent, low = manual_ticket(first), manual_ticket(second)
    urgent.priority, low.priority = Priority.URGENT, Priority.LOW
    await seed(storage, first, second, urgent, low)
    statements: list[Any] = []

    def note(_conn: Any, clause: Any, *_rest: Any) -> None:
        statements.append(clause)

    event.listen(storage.engine.sync_engine, "before_execute", note)
    found = []
    try:
        for who, priority in ((first, Priority.URGENT), (second, Priority.LOW)):
            async with storage.unit_of_work(read_only=True) as uow:
                tickets = await uow.tickets.search(
                    TicketScope(submitter_id=who.id), TicketFilter(priority=priority), None, 20
                )
            found.append([t.id for t in tickets])
        async with storage.unit_of_work(read_only=True) as uow:
            other_shape = await uow.tickets.search(
                TicketScope(submitter_id=first.id), TicketFilter(), None, 20
            )
    finally:
        event.remove(storage.engine.sync_engine, "before_execute", note)
        await storage.dispose()
    assert found == [[urgent.id], [low.id]]
    assert [t.id for t in other_shape] == [urgent.id]
    assert statements[0] is statements[1]
    assert statements[2] is not statements[0]
