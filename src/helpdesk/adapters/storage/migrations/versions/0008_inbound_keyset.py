"""Inbound message records keyed like every paged list: `received_at` becomes `created_at`, so
the held-mail list pages by (created_at, id) as the other lists do.

Revision ID: 0008_inbound_keyset
Revises: 0007_human_labels
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0008_inbound_keyset"
down_revision = "0007_human_labels"
branch_labels = None
depends_on = None


def _rename(old: str, new: str) -> None:
    # RENAME COLUMN works in place on PostgreSQL and on SQLite 3.25+ (no table rebuild).
    op.drop_index(f"ix_inbound_messages_outcome_{old}", table_name="inbound_messages")
    op.execute(f"ALTER TABLE inbound_messages RENAME COLUMN {old} TO {new}")
    op.create_index(f"ix_inbound_messages_outcome_{new}", "inbound_messages", ["outcome", new])


def upgrade() -> None:
    _rename("received_at", "created_at")


def downgrade() -> None:
    _rename("created_at", "received_at")
