"""Service levels: SLA policies, department calendars, the SLA clock of every ticket as columns,
and the crossings acted on (one row per ticket, target, point and due instant).

Existing tickets get an empty clock (no due times): policies apply to tickets filed, or
re-targeted, from now on.

Revision ID: 0005_sla
Revises: 0004_identity
Create Date: 2026-12-01
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005_sla"
down_revision = "0004_identity"
branch_labels = None
depends_on = None

_TIME = sa.DateTime(timezone=True)
_JSON = sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    columns: list[sa.Column[Any]] = [
        sa.Column("sla_policy_id", sa.Uuid(), nullable=True),
        sa.Column("sla_first_response_minutes", sa.Integer(), nullable=True),
        sa.Column("sla_resolution_minutes", sa.Integer(), nullable=True),
        sa.Column("sla_warning_percent", sa.Integer(), nullable=True),
        *(
            sa.Column(name, _TIME, nullable=True)
            for name in (
                "first_response_warn_at",
                "first_response_due_at",
                "resolution_warn_at",
                "resolution_due_at",
                "first_responded_at",
                "sla_paused_since",
            )
        ),
        sa.Column("sla_paused_us", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("first_response_working_us", sa.BigInteger(), nullable=True),
        sa.Column("resolution_working_us", sa.BigInteger(), nullable=True),
        sa.Column("sla_acted", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("sla_next_check_at", _TIME, nullable=True),
    ]
    for column in columns:
        op.add_column("tickets", column)
    op.create_index(
        "ix_tickets_sla_next_check_at",
        "tickets",
        ["sla_next_check_at"],
        postgresql_where=sa.text("sla_next_check_at IS NOT NULL"),
        sqlite_where=sa.text("sla_next_check_at IS NOT NULL"),
    )
    op.create_index("ix_tickets_resolution_due_at_id", "tickets", ["resolution_due_at", "id"])
    op.create_table(
        "sla_policies",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("priority", sa.String(16), nullable=False),
        sa.Column("department_id", sa.Uuid(), nullable=True),
        sa.Column("category", sa.String(32), nullable=True),
        sa.Column("first_response_minutes", sa.Integer(), nullable=False),
        sa.Column("resolution_minutes", sa.Integer(), nullable=False),
        sa.Column("warning_percent", sa.Integer(), nullable=False),
        sa.Column("notify", _JSON, nullable=False),
        sa.Column("raise_priority", sa.Boolean(), nullable=False),
        sa.Column("release", sa.Boolean(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name="fk_sla_policies_department_id_departments",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_sla_policies"),
    )
    op.create_index("ix_sla_policies_priority", "sla_policies", ["priority"])
    op.create_table(
        "department_calendars",
        sa.Column("department_id", sa.Uuid(), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("working_days", _JSON, nullable=False),
        sa.Column("start", sa.String(5), nullable=False),
        sa.Column("end", sa.String(5), nullable=False),
        sa.Column("holidays", _JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name="fk_department_calendars_department_id_departments",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("department_id", name="pk_department_calendars"),
    )
    op.create_table(
        "sla_crossings",
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("target", sa.String(16), nullable=False),
        sa.Column("point", sa.String(8), nullable=False),
        sa.Column("due_at", _TIME, nullable=False),
        sa.Column("acted_at", _TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            name="fk_sla_crossings_ticket_id_tickets",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("ticket_id", "target", "point", "due_at", name="pk_sla_crossings"),
    )


def downgrade() -> None:
    op.drop_table("sla_crossings")
    op.drop_table("department_calendars")
    op.drop_index("ix_sla_policies_priority", table_name="sla_policies")
    op.drop_table("sla_policies")
    op.drop_index("ix_tickets_resolution_due_at_id", table_name="tickets")
    op.drop_index("ix_tickets_sla_next_check_at", table_name="tickets")
    with op.batch_alter_table("tickets") as batch:
        for name in (
            "sla_next_check_at",
            "sla_acted",
            "resolution_working_us",
            "first_response_working_us",
            "sla_paused_us",
            "sla_paused_since",
            "first_responded_at",
            "resolution_due_at",
            "resolution_warn_at",
            "first_response_due_at",
            "first_response_warn_at",
            "sla_warning_percent",
            "sla_resolution_minutes",
            "sla_first_response_minutes",
            "sla_policy_id",
        ):
            batch.drop_column(name)
