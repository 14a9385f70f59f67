"""A create-ticket request is one small transaction (architecture.md, rule 6): the statements
are counted, and the budget is the number docs/storage.md states."""

from __future__ import annotations

from helpdesk.adapters.storage.sql.instrumentation import count_statements
from helpdesk.adapters.storage.sql.unit_of_work import SqlStorage
from helpdesk.application.tickets.create import CreateTicket
from helpdesk.domain.taxonomy import RoutingMode

from .flows import DESCRIPTION, TITLE, context, seed_department

# Statements of the create transaction with automatic assignment, the caller's profile
# existing (measured; docs/storage.md lists them): claim the idempotency key, read the
# departments, [PostgreSQL: the department's advisory lock], the agents with their loads, mark
# the chosen agent assigned, [SQLite: bump the ticket-number counter], insert the ticket, its
# audit entries (one executemany), its notifications (one executemany), their e-mail copies
# in the outbox (one INSERT … SELECT over the recipients' profiles).
TRANSACTION_BUDGET = {"sqlite": 9, "postgresql": 9}
# Before it, in a transaction of its own: the idempotency replay check (one SELECT).
REPLAY_CHECK = 1


async def test_a_create_with_auto_assignment_is_one_small_transaction(sql_url: str) -> None:
    storage = SqlStorage(sql_url)
    _, _, user = await seed_department(storage, agents=3)
    create = context(storage).create_ticket()
    await create.execute(user, CreateTicket(TITLE, DESCRIPTION))  # warm: pool, caches
    with count_statements(storage.engine) as log:
        created = await create.execute(user, CreateTicket(TITLE, DESCRIPTION, idempotency_key="k"))
    await storage.dispose()
    assert created.ticket.routing_mode is RoutingMode.AUTO
    assert created.ticket.assigned_agent_id is not None
    dialect = storage.engine.dialect.name
    work = log.work
    print(f"\n{dialect}: {len(work)} statements", *work, sep="\n  ")  # for docs/storage.md
    assert len(work) <= TRANSACTION_BUDGET[dialect] + REPLAY_CHECK, work
    # One transaction that writes: SQLite's writes are one BEGIN IMMEDIATE … COMMIT (the
    # replay check is a transaction of its own, before classification).
    if dialect == "sqlite":
        commits = [s for s in log.statements if s.strip().upper().startswith("COMMIT")]
        assert len(commits) <= 2
