"""The service's logging: one handler on the root logger, plain text or one JSON object a line
(HELPDESK_LOG_FORMAT), at HELPDESK_LOG_LEVEL, every record carrying the id of the request it was
written for ("-" outside any request).

What users typed stays out of the log at the default level: SQLAlchemy's statement log (with its
parameters) is written only at `debug`, and the engine hides parameters in its error messages
(which an unexpected error's log record includes) unless the level is `debug`
(`create_engine(show_parameters=…)`).
"""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar
from typing import Literal

from pythonjsonlogger.json import JsonFormatter

# The id of the request being served, set by the HTTP app for the request's task.
REQUEST_ID: ContextVar[str | None] = ContextVar("helpdesk_request_id", default=None)

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s"
# Loggers of libraries that write what users typed (SQL statements and their parameters), or
# chatter an operator does not need outside `debug` (Alembic's plugin set-up).
SQL_LOGGERS = ("sqlalchemy.engine", "aiosqlite", "asyncpg", "alembic")
# uvicorn installs handlers of its own unless told not to (`log_config=None`); any it left
# are removed so that its records reach the one handler, once.
UVICORN = ("uvicorn", "uvicorn.error", "uvicorn.access")


class RequestContext(logging.Filter):
    """Adds `request_id` to every record (unless the call gave one in `extra`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = REQUEST_ID.get() or "-"
        return True


class _OurHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Marks the handler `configure_logging` installed, so a second call replaces it."""


def formatter(log_format: Literal["text", "json"]) -> logging.Formatter:
    if log_format == "json":
        return JsonFormatter(
            JSON_FIELDS,
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            json_ensure_ascii=False,
        )
    return logging.Formatter(TEXT_FORMAT)


def configure_logging(
    level: Literal["debug", "info", "warning", "error"] = "info",
    log_format: Literal["text", "json"] = "text",
) -> None:
    """Install the service's handler on the root logger (stderr), replacing one installed before
    and leaving any other (a test's capture) in place."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _OurHandler)]:
        root.removeHandler(handler)
    handler = _OurHandler(sys.stderr)
    handler.setFormatter(formatter(log_format))
    handler.addFilter(RequestContext())
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in SQL_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO if level == "debug" else logging.WARNING)
    for name in UVICORN:
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
        logger.setLevel(logging.NOTSET)
