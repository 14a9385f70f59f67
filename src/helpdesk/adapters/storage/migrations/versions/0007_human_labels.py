"""Human labels and routing evidence: the category a person gave a ticket (who, when) beside
the model's classification; whether a person moved the ticket away from a department; whether
the router would have routed it automatically but the category was in shadow mode; a covering
index for the routing-quality report and the threshold evidence; and the per-category auto
thresholds computed from that evidence.

Existing tickets get no label and count as never moved (the history before this revision did
not record it).

Revision ID: 0007_human_labels
Revises: 0006_mail
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_human_labels"
down_revision = "0006_mail"
branch_labels = None
depends_on = None

LABELLED = "human_category IS NOT NULL"


def upgrade() -> None:
    op.add_column("tickets", sa.Column("human_category", sa.String(length=32), nullable=True))
    op.add_column("tickets", sa.Column("human_category_by", sa.Uuid(), nullable=True))
    op.add_column(
        "tickets", sa.Column("human_category_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column(
        "tickets",
        sa.Column("moved_by_human", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "tickets",
        sa.Column("router_shadow", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_index(
        "ix_tickets_labelled",
        "tickets",
        ["human_category"],
        unique=False,
        postgresql_where=sa.text(LABELLED),
        sqlite_where=sa.text(LABELLED),
    )
    op.create_index(
        "ix_tickets_routing_evidence",
        "tickets",
        [
            "category",
            "router_mode",
            "router_shadow",
            "moved_by_human",
            "status",
            "human_category",
            "routing_confidence",
            "created_at",
            "department_id",
        ],
        unique=False,
    )
    op.create_table(
        "routing_thresholds",
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("auto_threshold", sa.Float(), nullable=True),
        sa.Column("target_precision", sa.Float(), nullable=False),
        sa.Column("precision", sa.Float(), nullable=True),
        sa.Column("coverage", sa.Float(), nullable=True),
        sa.Column("evidence", sa.Integer(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("category", name=op.f("pk_routing_thresholds")),
    )


def downgrade() -> None:
    op.drop_table("routing_thresholds")
    op.drop_index("ix_tickets_routing_evidence", table_name="tickets")
    op.drop_index("ix_tickets_labelled", table_name="tickets")
    for column in (
        "router_shadow",
        "moved_by_human",
        "human_category_at",
        "human_category_by",
        "human_category",
    ):
        op.drop_column("tickets", column)
