"""A create-ticket request is one small transaction (architecture.md, rule 6): the statements
are counted, and the budget is the number docs/storage.md states."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine.default import CacheStats

from helpdesk.adapters.storage.sql.instrumentation import count_statements
from helpdesk.adapters.storage.sql.unit_of_work import SqlStorage
from helpdesk.application.tickets.create import CreateTicket
from helpdesk.domain.taxonomy import RoutingMode

from .flows import DESCRIPTION, TITLE, context, seed_department

# Statements of the create transaction with automatic assignment, the caller's profile
# existing (measured; docs/storage.md lists them): claim the idempotency key, read the
# departments, read the SLA policies, [a policy applies: the department's calendar],
# [PostgreSQL: the department's advisory lock], the agents with their loads (and at-risk
# counts, same statement), mark the chosen agent assigned, [SQLite: bump the ticket-number
# counter], insert the ticket, its audit entries, its notifications, their e-mail copies in the
# outbox. On PostgreSQL the writes nobody reads travel together (connection.py): the tie-break
# update with the ticket's INSERT, the audit entries and the notifications in one statement
# before COMMIT. (This department has no SLA policy: no calendar read.)
TRANSACTION_BUDGET = {"sqlite": 10, "postgresql": 9}
# PostgreSQL: statements while the department's lock is held, before COMMIT (the agents'
# loads, the ticket with the tie-break, the audit entries with the notifications). The SLA
# reads come before the lock.
UNDER_THE_LOCK = 3
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
    if dialect == "postgresql":
        locked = next(i for i, s in enumerate(work) if "pg_advisory_xact_lock" in s)
        assert len(work[locked + 1 :]) == UNDER_THE_LOCK, work[locked + 1 :]
    # One transaction that writes: SQLite's writes are one BEGIN IMMEDIATE … COMMIT (the
    # replay check is a transaction of its own, before classification).
    if dialect == "sqlite":
        commits = [s for s in log.statements if s.strip().upper().startswith("COMMIT")]
        assert len(commits) <= 2


async def test_creates_reuse_compiled_statements(sql_url: str) -> None:
    """After the first creates, every statement of a create comes from the engine's compiled
    cache: none is compiled again (values are bound, never written into the SQL, and no
    statement lacks a cache key — SQLAlchemy gives a multi-row VALUES none)."""
    storage = SqlStorage(sql_url)
    _, _, user = await seed_department(storage, agents=3)
    create = context(storage).create_ticket()
    for i in range(3):  # warm: every shape (first and later tickets, with and without a key)
        await create.execute(user, CreateTicket(TITLE, DESCRIPTION, idempotency_key=f"w{i}"))
        await create.execute(user, CreateTicket(TITLE, DESCRIPTION))
    compiled: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, _p: Any, context: Any, _many: Any) -> None:
        # (Driver SQL — SQLite's BEGIN IMMEDIATE and COMMIT — is never compiled.)
        if context.compiled is not None and context.cache_hit is not CacheStats.CACHE_HIT:
            compiled.append(f"{context.cache_hit.name}: {statement}")

    event.listen(storage.engine.sync_engine, "after_cursor_execute", note)
    try:
        for i in range(3):
            await create.execute(user, CreateTicket(TITLE, DESCRIPTION, idempotency_key=f"k{i}"))
            await create.execute(user, CreateTicket(TITLE, DESCRIPTION))
    finally:
        event.remove(storage.engine.sync_engine, "after_cursor_execute", note)
        await storage.dispose()
    assert compiled == []
