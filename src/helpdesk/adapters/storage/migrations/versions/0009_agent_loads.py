"""Each agent's active tickets counted in a row of its own, kept by triggers in the same
transaction as the change; each agent's running SLA clocks indexed by warning point.

The assignment policy reads every agent's active-ticket count while it holds its department's
lock. Counting them from the index of active assignments costs in proportion to those tickets
(a few hundred per agent already make it the slowest statement under the lock); reading one
row per agent does not. Triggers on `tickets` add a ticket to its agent's count when it becomes
an active assignment and take it off when it stops being one (a status that ends it, another
agent, no agent, a deleted ticket), inside the statement that made the change, so no code path
can forget it. The table is filled from the existing tickets here.

The same policy breaks ties by the agents' tickets at risk (past a warning point, not
breached). Two partial indexes hold only active assignments whose clock runs and whose breaches
the SLA pass has not acted on, by agent and warning point (first response, resolution), so that
count reads the tickets whose warning has come rather than every active ticket of the agent.

Revision ID: 0009_agent_loads
Revises: 0008_inbound_keyset
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_agent_loads"
down_revision = "0008_inbound_keyset"
branch_labels = None
depends_on = None

ACTIVE = "('in_progress', 'open', 'waiting')"
# 10: the bits of the two breaches in `sla_acted` (first response 2, resolution 8). A breach
# the SLA pass has acted on holds, so such a ticket cannot be at risk: a backlog of
# long-breached tickets stays out of these indexes.
SLA_RUNNING = (
    f"status IN {ACTIVE} AND resolved_at IS NULL AND sla_paused_since IS NULL"
    " AND resolution_due_at IS NOT NULL AND (sla_acted & 10) = 0"
)
WARNING_INDEXES = {
    "ix_tickets_resolution_warning": ("resolution_warn_at", SLA_RUNNING),
    "ix_tickets_first_response_warning": (
        "first_response_warn_at",
        f"{SLA_RUNNING} AND first_responded_at IS NULL",
    ),
}


def _counted(row: str) -> str:
    return f"({row}.assigned_agent_id IS NOT NULL AND {row}.status IN {ACTIVE})"


def _bump(row: str, delta: str) -> str:
    if delta == "-1":
        # The agent's row exists (the ticket was counted in it) unless a reset removed the
        # rows first (`delete_all`): then there is nothing to take off.
        return (
            f"UPDATE agent_loads SET active = active - 1 WHERE agent_id = {row}.assigned_agent_id"
        )
    return (
        f"INSERT INTO agent_loads (agent_id, active) VALUES ({row}.assigned_agent_id, {delta}) "
        "ON CONFLICT (agent_id) DO UPDATE SET active = agent_loads.active + excluded.active"
    )


# Only another agent, or a status on the other side of active, moves a ticket between counts.
CHANGED = (
    "OLD.assigned_agent_id IS DISTINCT FROM NEW.assigned_agent_id"
    f" OR (OLD.status IN {ACTIVE}) <> (NEW.status IN {ACTIVE})"
)


def _postgres_triggers() -> list[str]:
    # Two transactions moving tickets between the same two agents in opposite directions take
    # the two rows in the same (agent id) order, so they wait for each other instead of
    # deadlocking.
    return [
        f"""
        CREATE FUNCTION agent_loads_track() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'INSERT' THEN
            IF {_counted("NEW")} THEN {_bump("NEW", "1")}; END IF;
          ELSIF TG_OP = 'DELETE' THEN
            IF {_counted("OLD")} THEN {_bump("OLD", "-1")}; END IF;
          ELSIF {_counted("OLD")} AND {_counted("NEW")}
                AND OLD.assigned_agent_id > NEW.assigned_agent_id THEN
            {_bump("NEW", "1")};
            {_bump("OLD", "-1")};
          ELSE
            IF {_counted("OLD")} THEN {_bump("OLD", "-1")}; END IF;
            IF {_counted("NEW")} THEN {_bump("NEW", "1")}; END IF;
          END IF;
          RETURN NULL;
        END
        $$
        """,
        "CREATE TRIGGER agent_loads_insert AFTER INSERT ON tickets"
        " FOR EACH ROW EXECUTE FUNCTION agent_loads_track()",
        "CREATE TRIGGER agent_loads_update AFTER UPDATE OF assigned_agent_id, status ON tickets"
        f" FOR EACH ROW WHEN ({CHANGED}) EXECUTE FUNCTION agent_loads_track()",
        "CREATE TRIGGER agent_loads_delete AFTER DELETE ON tickets"
        " FOR EACH ROW EXECUTE FUNCTION agent_loads_track()",
    ]


def _sqlite_triggers() -> list[str]:
    changed = CHANGED.replace("IS DISTINCT FROM", "IS NOT")
    return [
        f"CREATE TRIGGER agent_loads_insert AFTER INSERT ON tickets WHEN {_counted('NEW')} "
        f"BEGIN {_bump('NEW', '1')}; END",
        f"CREATE TRIGGER agent_loads_delete AFTER DELETE ON tickets WHEN {_counted('OLD')} "
        f"BEGIN {_bump('OLD', '-1')}; END",
        # SQLite's write transactions are serialized: no order to keep between the two rows.
        f"CREATE TRIGGER agent_loads_update_old AFTER UPDATE OF assigned_agent_id, status"
        f" ON tickets WHEN ({changed}) AND {_counted('OLD')} BEGIN {_bump('OLD', '-1')}; END",
        f"CREATE TRIGGER agent_loads_update_new AFTER UPDATE OF assigned_agent_id, status"
        f" ON tickets WHEN ({changed}) AND {_counted('NEW')} BEGIN {_bump('NEW', '1')}; END",
    ]


# Every agent's count from the tickets as they are (also run by the million-ticket benchmark,
# which fills the table with these triggers off).
BACKFILL = (
    "INSERT INTO agent_loads (agent_id, active) SELECT assigned_agent_id, count(*) "
    f"FROM tickets WHERE {_counted('tickets')} GROUP BY assigned_agent_id"
)
TRIGGERS = ("agent_loads_insert", "agent_loads_update", "agent_loads_delete")
SQLITE_TRIGGERS = (
    "agent_loads_insert",
    "agent_loads_delete",
    "agent_loads_update_old",
    "agent_loads_update_new",
)


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "agent_loads",
        sa.Column("agent_id", sa.Uuid(), nullable=False),
        sa.Column("active", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"],
            ["profiles.id"],
            name=op.f("fk_agent_loads_agent_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("agent_id", name=op.f("pk_agent_loads")),
    )
    op.execute(BACKFILL)
    for statement in _postgres_triggers() if postgres else _sqlite_triggers():
        op.execute(statement)
    for name, (column, predicate) in WARNING_INDEXES.items():
        op.create_index(
            name,
            "tickets",
            ["assigned_agent_id", column],
            unique=False,
            postgresql_where=sa.text(predicate),
            sqlite_where=sa.text(predicate),
        )


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for name in WARNING_INDEXES:
        op.drop_index(name, table_name="tickets")
    for name in TRIGGERS if postgres else SQLITE_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}" + (" ON tickets" if postgres else ""))
    if postgres:
        op.execute("DROP FUNCTION IF EXISTS agent_loads_track()")
    op.drop_table("agent_loads")
