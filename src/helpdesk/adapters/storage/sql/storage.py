"""Public entry of the SQL adapter."""

from helpdesk.adapters.storage.sql.unit_of_work import SqlStorage, SqlUnitOfWork

__all__ = ["SqlStorage", "SqlUnitOfWork"]
