"""Indexes for a large helpdesk: agents' active loads, a department's queue and the unread
count read small partial indexes; the reports read one covering index instead of the tickets
table.

On PostgreSQL the indexes are built inside the migration's transaction, which blocks writes to
the two tables while it runs (tens of seconds at a million tickets).

Revision ID: 0002_performance_indexes
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_performance_indexes"
down_revision = "0001"
branch_labels = None
depends_on = None

# Written out as they were at this revision (the migration must not follow later code).
ACTIVE = "status IN ('in_progress', 'open', 'waiting')"
UNREAD = "read_at IS NULL"
DEPARTMENT_QUEUE = "assigned_agent_id IS NULL AND status IN ('open', 'triage', 'waiting')"


def upgrade() -> None:
    op.create_index(
        "ix_tickets_active_assignee",
        "tickets",
        ["assigned_agent_id", "status"],
        unique=False,
        postgresql_where=sa.text(ACTIVE),
        sqlite_where=sa.text(ACTIVE),
    )
    op.create_index(
        "ix_tickets_department_queue",
        "tickets",
        ["department_id", "created_at", "id"],
        unique=False,
        postgresql_where=sa.text(DEPARTMENT_QUEUE),
        sqlite_where=sa.text(DEPARTMENT_QUEUE),
    )
    op.create_index(
        "ix_tickets_reporting",
        "tickets",
        [
            "created_at",
            "department_id",
            "router_mode",
            "routing_overridden",
            "category",
            "routing_confidence",
        ],
        unique=False,
    )
    op.create_index(
        "ix_notifications_unread",
        "notifications",
        ["user_id"],
        unique=False,
        postgresql_where=sa.text(UNREAD),
        sqlite_where=sa.text(UNREAD),
    )


def downgrade() -> None:
    op.drop_index("ix_notifications_unread", table_name="notifications")
    op.drop_index("ix_tickets_reporting", table_name="tickets")
    op.drop_index("ix_tickets_department_queue", table_name="tickets")
    op.drop_index("ix_tickets_active_assignee", table_name="tickets")
