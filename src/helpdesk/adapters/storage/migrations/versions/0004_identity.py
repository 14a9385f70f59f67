"""Identities: e-mail addresses stored in one normalized form (NFKC, case-folded) and unique in
that form on every engine; consecutive wrong passwords and the lock they cause.

SQLite's lower() folds ASCII only, so the old unique indexes on lower(email) let "ÄBC@x" and
"äbc@x" be two accounts there; the domain now normalizes before storing, and the indexes compare
the stored text.

Revision ID: 0004_identity
Revises: 0003_ticket_daily_counts
Create Date: 2026-12-01
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0004_identity"
down_revision = "0003_ticket_daily_counts"
branch_labels = None
depends_on = None


def _normalize_emails(table: str, key: str) -> None:
    """Rewrite stored addresses in their normalized form (written out here: a migration must not
    follow later code)."""
    bind = op.get_bind()
    found = bind.execute(sa.text(f"SELECT {key}, email FROM {table}")).all()
    for row_key, email in found:
        normalized = unicodedata.normalize("NFKC", email).strip().casefold()
        if normalized != email:
            bind.execute(
                sa.text(f"UPDATE {table} SET email = :email WHERE {key} = :key"),
                {"email": normalized, "key": row_key},
            )


def upgrade() -> None:
    _normalize_emails("profiles", "id")
    _normalize_emails("credentials", "user_id")
    op.drop_index("uq_profiles_email", table_name="profiles")
    op.create_index(
        "uq_profiles_email",
        "profiles",
        ["email"],
        unique=True,
        postgresql_where=sa.text("email <> ''"),
        sqlite_where=sa.text("email <> ''"),
    )
    op.drop_index("uq_credentials_email", table_name="credentials")
    op.create_index("uq_credentials_email", "credentials", ["email"], unique=True)
    op.add_column(
        "credentials",
        sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"),
    )
    op.add_column(
        "credentials", sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("credentials", "locked_until")
    op.drop_column("credentials", "failed_logins")
    op.drop_index("uq_credentials_email", table_name="credentials")
    op.create_index("uq_credentials_email", "credentials", [sa.text("lower(email)")], unique=True)
    op.drop_index("uq_profiles_email", table_name="profiles")
    op.create_index(
        "uq_profiles_email",
        "profiles",
        [sa.text("lower(email)")],
        unique=True,
        postgresql_where=sa.text("email <> ''"),
        sqlite_where=sa.text("email <> ''"),
    )
