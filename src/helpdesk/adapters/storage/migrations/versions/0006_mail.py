"""The e-mail channel: tickets' `channel`, profiles' `email_notifications`, the record of every
inbound message taken (unique on its Message-ID), the outbox, attachments kept with tickets, and
the time of the last mailbox poll.

Revision ID: 0006_mail
Revises: 0005_sla
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from helpdesk.adapters.storage.sql.types import UtcDateTime

revision = "0006_mail"
down_revision = "0005_sla"
branch_labels = None
depends_on = None

Json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    # Plain ADD COLUMN (SQLite too): rebuilding `tickets` would drop its triggers (0003).
    op.add_column(
        "tickets", sa.Column("channel", sa.String(8), nullable=False, server_default="web")
    )
    op.add_column(
        "profiles",
        sa.Column("email_notifications", sa.Boolean(), nullable=False, server_default=sa.true()),
    )
    op.create_table(
        "inbound_messages",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("message_id", sa.String(998), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("sender_address", sa.String(320), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("received_at", UtcDateTime(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=True),
        sa.Column("comment_id", sa.Uuid(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_inbound_messages"),
    )
    op.create_index(
        "uq_inbound_messages_message_id", "inbound_messages", ["message_id"], unique=True
    )
    op.create_index(
        "ix_inbound_messages_outcome_received_at", "inbound_messages", ["outcome", "received_at"]
    )
    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("to_address", sa.String(320), nullable=False),
        sa.Column("to_name", sa.String(200), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("heading", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=True),
        sa.Column("ticket_number", sa.BigInteger(), nullable=True),
        sa.Column("in_reply_to", sa.Text(), nullable=True),
        sa.Column("references", Json, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UtcDateTime(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("sent_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_mail_outbox"),
    )
    op.create_index(
        "ix_mail_outbox_due",
        "mail_outbox",
        ["next_attempt_at"],
        postgresql_where=sa.text("status = 'pending'"),
        sqlite_where=sa.text("status = 'pending'"),
    )
    op.create_index("ix_mail_outbox_status", "mail_outbox", ["status"])
    op.create_table(
        "ticket_attachments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("comment_id", sa.Uuid(), nullable=True),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(255), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            name="fk_ticket_attachments_ticket_id_tickets",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_ticket_attachments"),
    )
    op.create_index(
        "ix_ticket_attachments_ticket_id_created_at",
        "ticket_attachments",
        ["ticket_id", "created_at"],
    )
    op.create_table(
        "mail_state",
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_mail_state"),
    )


def downgrade() -> None:
    op.drop_table("mail_state")
    op.drop_index("ix_ticket_attachments_ticket_id_created_at", table_name="ticket_attachments")
    op.drop_table("ticket_attachments")
    op.drop_index("ix_mail_outbox_status", table_name="mail_outbox")
    op.drop_index("ix_mail_outbox_due", table_name="mail_outbox")
    op.drop_table("mail_outbox")
    op.drop_index("ix_inbound_messages_outcome_received_at", table_name="inbound_messages")
    op.drop_index("uq_inbound_messages_message_id", table_name="inbound_messages")
    op.drop_table("inbound_messages")
    # SQLite 3.35+ drops a column in place, keeping the table's triggers.
    op.drop_column("profiles", "email_notifications")
    op.drop_column("tickets", "channel")
