"""Alembic environment: run on the connection `helpdesk.adapters.storage.sql.migrate` hands in."""

from __future__ import annotations

from alembic import context

from helpdesk.adapters.storage.sql.tables import include_object, metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_object=include_object(connection.dialect.name),
)
with context.begin_transaction():
    context.run_migrations()
