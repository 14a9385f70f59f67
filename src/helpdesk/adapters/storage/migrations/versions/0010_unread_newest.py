"""The index of unread notifications ordered as the unread list reads them.

`ix_notifications_unread` held only `user_id`: enough for the unread count, but a list of a
person's unread notifications (newest first) then had two plans — the index of all their
notifications read backwards until twenty unread ones turn up (0.15 ms), or every unread one
through the partial index, sorted (100 ms for 17,000 unread). A prepared statement's generic
plan, which PostgreSQL switches to after a few executions, took the second. With `created_at`
and `id` in the partial index, every plan reads the newest unread entries straight from it; the
count still reads the index alone.

Revision ID: 0010_unread_newest
Revises: 0009_agent_loads
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_unread_newest"
down_revision = "0009_agent_loads"
branch_labels = None
depends_on = None

UNREAD = sa.text("read_at IS NULL")


def _unread_index(*columns: str) -> None:
    op.drop_index("ix_notifications_unread", table_name="notifications")
    op.create_index(
        "ix_notifications_unread",
        "notifications",
        list(columns),
        postgresql_where=UNREAD,
        sqlite_where=UNREAD,
    )


def upgrade() -> None:
    _unread_index("user_id", "created_at", "id")


def downgrade() -> None:
    _unread_index("user_id")
