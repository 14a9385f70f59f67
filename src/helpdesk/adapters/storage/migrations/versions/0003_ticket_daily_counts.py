"""Tickets counted per day for the reports, kept by triggers in the same transaction.

`ticket_daily_counts` holds, per UTC day of creation, department, router mode, overridden flag,
category and confidence decile, how many tickets there are. Triggers on `tickets` add a new
ticket to its row and move a changed ticket from its old row to its new one, inside the
statement that made the change (so nothing can drift, and no code path can forget it). The
table is filled from the existing tickets here.

Revision ID: 0003_ticket_daily_counts
Revises: 0002_performance_indexes
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_ticket_daily_counts"
down_revision = "0002_performance_indexes"
branch_labels = None
depends_on = None

COLUMNS = "day, department_id, router_mode, routing_overridden, category, confidence_decile"


def _key(row: str, *, postgres: bool) -> str:
    """The row's key columns as SQL over a ticket row (NEW, OLD or the table)."""
    if postgres:
        day = f"to_char({row}.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
        none = "'00000000-0000-0000-0000-000000000000'::uuid"
        micros = f"floor({row}.routing_confidence * 1000000 + 0.5)::bigint"
    else:
        day = f"substr({row}.created_at, 1, 10)"
        none = "'00000000000000000000000000000000'"
        micros = f"CAST({row}.routing_confidence * 1000000 + 0.5 AS INTEGER)"
    return (
        f"{day}, coalesce({row}.department_id, {none}), {row}.router_mode, "
        f"{row}.routing_overridden, coalesce({row}.category, ''), "
        f"CASE WHEN {row}.routing_confidence IS NULL THEN -1 ELSE ({micros} / 100000) END"
    )


def _bump(row: str, delta: str, *, postgres: bool) -> str:
    return (
        f"INSERT INTO ticket_daily_counts ({COLUMNS}, tickets) "
        f"VALUES ({_key(row, postgres=postgres)}, {delta}) "
        f"ON CONFLICT ({COLUMNS}) DO UPDATE"
        " SET tickets = ticket_daily_counts.tickets + excluded.tickets"
    )


CHANGED = " OR ".join(
    f"OLD.{c} IS DISTINCT FROM NEW.{c}"
    for c in (
        "department_id",
        "router_mode",
        "routing_overridden",
        "category",
        "routing_confidence",
    )
)


def _postgres_triggers() -> list[str]:
    # Two transactions moving tickets between the same two rows in opposite directions take
    # the rows in the same (key) order, so they wait for each other instead of deadlocking.
    return [
        f"""
        CREATE FUNCTION ticket_daily_counts_track() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'INSERT' THEN
            {_bump("NEW", "1", postgres=True)};
          ELSIF ROW({_key("OLD", postgres=True)}) < ROW({_key("NEW", postgres=True)}) THEN
            {_bump("OLD", "-1", postgres=True)};
            {_bump("NEW", "1", postgres=True)};
          ELSE
            {_bump("NEW", "1", postgres=True)};
            {_bump("OLD", "-1", postgres=True)};
          END IF;
          RETURN NULL;
        END
        $$
        """,
        "CREATE TRIGGER ticket_daily_counts_insert AFTER INSERT ON tickets"
        " FOR EACH ROW EXECUTE FUNCTION ticket_daily_counts_track()",
        "CREATE TRIGGER ticket_daily_counts_update AFTER UPDATE ON tickets"
        f" FOR EACH ROW WHEN ({CHANGED}) EXECUTE FUNCTION ticket_daily_counts_track()",
    ]


def _sqlite_triggers() -> list[str]:
    sqlite_changed = CHANGED.replace("IS DISTINCT FROM", "IS NOT")
    return [
        "CREATE TRIGGER ticket_daily_counts_insert AFTER INSERT ON tickets BEGIN "
        f"{_bump('NEW', '1', postgres=False)}; END",
        "CREATE TRIGGER ticket_daily_counts_update AFTER UPDATE ON tickets "
        f"WHEN {sqlite_changed} BEGIN "
        f"{_bump('OLD', '-1', postgres=False)}; {_bump('NEW', '1', postgres=False)}; END",
    ]


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "ticket_daily_counts",
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("department_id", sa.Uuid(), nullable=False),
        sa.Column("router_mode", sa.String(length=16), nullable=False),
        sa.Column("routing_overridden", sa.Boolean(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("confidence_decile", sa.Integer(), nullable=False),
        sa.Column("tickets", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "day",
            "department_id",
            "router_mode",
            "routing_overridden",
            "category",
            "confidence_decile",
            name=op.f("pk_ticket_daily_counts"),
        ),
    )
    op.execute(
        f"INSERT INTO ticket_daily_counts ({COLUMNS}, tickets) "
        f"SELECT {_key('tickets', postgres=postgres)}, count(*) FROM tickets "
        "GROUP BY 1, 2, 3, 4, 5, 6"
    )
    for statement in _postgres_triggers() if postgres else _sqlite_triggers():
        op.execute(statement)


def downgrade() -> None:
    op.execute(
        "DROP TRIGGER IF EXISTS ticket_daily_counts_update ON tickets"
        if _pg()
        else "DROP TRIGGER IF EXISTS ticket_daily_counts_update"
    )
    op.execute(
        "DROP TRIGGER IF EXISTS ticket_daily_counts_insert ON tickets"
        if _pg()
        else "DROP TRIGGER IF EXISTS ticket_daily_counts_insert"
    )
    if _pg():
        op.execute("DROP FUNCTION IF EXISTS ticket_daily_counts_track()")
    op.drop_table("ticket_daily_counts")


def _pg() -> bool:
    return op.get_bind().dialect.name == "postgresql"
