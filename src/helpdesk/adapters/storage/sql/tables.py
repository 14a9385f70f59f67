"""The schema, as SQLAlchemy Core tables (no ORM: repositories map rows to entities by hand).

Alembic migrations build exactly this (a test compares them); indexes follow the list filters,
the queues, scoping and the stats queries.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Sequence,
    String,
    Table,
    Text,
    Uuid,
    false,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB

from helpdesk.adapters.storage.sql.types import UtcDateTime
from helpdesk.domain.sla.clock import CROSSINGS, Point
from helpdesk.domain.taxonomy import ACTIVE_STATUSES, DEPARTMENT_QUEUE_STATUSES

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)
Json = JSON().with_variant(JSONB(), "postgresql")
ticket_number_seq = Sequence("ticket_number_seq", metadata=metadata)
# The active statuses as SQL, written out (not bound): a partial index serves a query only when
# the query's condition is visibly the index's own.


def statuses_sql(statuses: Iterable[str]) -> str:
    """`'a', 'b', …` in a fixed (sorted) order: SQLite matches a partial index's condition
    term by term, so a query must write the list exactly as the index does."""
    return ", ".join(f"'{s}'" for s in sorted(str(s) for s in statuses))


ACTIVE_PREDICATE = f"status IN ({statuses_sql(ACTIVE_STATUSES)})"
# `sla_acted`'s bits of the breaches (a crossing's bit is its place in CROSSINGS): a breach the
# SLA pass has acted on is one that happened, and it stays acted on only while it still holds.
BREACHES_ACTED = sum(1 << i for i, c in enumerate(CROSSINGS) if c.point is Point.BREACH)
# An active assignment whose SLA clock runs (due times set, not resolved, not paused) and whose
# breaches, if any, the SLA pass has not acted on yet: the only tickets that can be at risk
# (past a warning point, not breached) — a backlog of long-breached tickets stays out of it.
SLA_WARNING_PREDICATE = (
    f"{ACTIVE_PREDICATE} AND resolved_at IS NULL AND sla_paused_since IS NULL"
    f" AND resolution_due_at IS NOT NULL AND (sla_acted & {BREACHES_ACTED}) = 0"
)
DEPARTMENT_QUEUE_PREDICATE = (
    f"assigned_agent_id IS NULL AND status IN ({statuses_sql(DEPARTMENT_QUEUE_STATUSES)})"
)

departments = Table(
    "departments",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("slug", String(64), nullable=False, unique=True),
    Column("name", String(120), nullable=False),
    Column("description", Text, nullable=False),
    Column("categories", Json, nullable=False),
    Column("is_active", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

profiles = Table(
    "profiles",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("email", String(254), nullable=False),
    Column("full_name", String(200), nullable=False),
    Column("role", String(16), nullable=False),
    Column("department_id", Uuid, ForeignKey("departments.id"), nullable=True),
    Column("is_active", Boolean, nullable=False),
    Column("is_available", Boolean, nullable=False),
    Column("max_open_tickets", Integer, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_assigned_at", UtcDateTime, nullable=True),
    Column("email_notifications", Boolean, nullable=False, server_default=true()),
    Index("ix_profiles_department_id_role", "department_id", "role"),
    Index("ix_profiles_created_at_id", "created_at", "id"),
    # Emails are unique when given (a token may carry none), in their normalized form.
    Index(
        "uq_profiles_email",
        "email",
        unique=True,
        postgresql_where=text("email <> ''"),
        sqlite_where=text("email <> ''"),
    ),
)

tickets = Table(
    "tickets",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("number", BigInteger, ticket_number_seq, nullable=False, unique=True),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False),
    Column("search_text", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("priority", String(16), nullable=False),
    Column("submitter_id", Uuid, ForeignKey("profiles.id"), nullable=False),
    Column("department_id", Uuid, ForeignKey("departments.id"), nullable=True),
    Column("assigned_agent_id", Uuid, ForeignKey("profiles.id"), nullable=True),
    Column("classification", Json, nullable=True),
    Column("category", String(32), nullable=True),
    Column("routing_mode", String(16), nullable=False),
    Column("routing_confidence", Float, nullable=True),
    Column("routing_reason", Text, nullable=False),
    Column("routing_overridden", Boolean, nullable=False),
    Column("router_mode", String(16), nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("resolved_at", UtcDateTime, nullable=True),
    # The SLA clock (domain/sla/clock.py) as plain columns: the targets copied from the policy,
    # the warning and due instants, the first response, the current wait, the working time of
    # finished halts and of each event (microseconds), the crossings acted on (bits in
    # `CROSSINGS` order) and the next instant a crossing can become due.
    Column("sla_policy_id", Uuid, nullable=True),
    Column("sla_first_response_minutes", Integer, nullable=True),
    Column("sla_resolution_minutes", Integer, nullable=True),
    Column("sla_warning_percent", Integer, nullable=True),
    Column("first_response_warn_at", UtcDateTime, nullable=True),
    Column("first_response_due_at", UtcDateTime, nullable=True),
    Column("resolution_warn_at", UtcDateTime, nullable=True),
    Column("resolution_due_at", UtcDateTime, nullable=True),
    Column("first_responded_at", UtcDateTime, nullable=True),
    Column("sla_paused_since", UtcDateTime, nullable=True),
    Column("sla_paused_us", BigInteger, nullable=False, server_default="0"),
    Column("first_response_working_us", BigInteger, nullable=True),
    Column("resolution_working_us", BigInteger, nullable=True),
    Column("sla_acted", Integer, nullable=False, server_default="0"),
    Column("sla_next_check_at", UtcDateTime, nullable=True),
    Column("channel", String(8), nullable=False, server_default="web"),
    # Human labels and routing evidence (migration 0007_human_labels).
    Column("human_category", String(32), nullable=True),
    Column("human_category_by", Uuid, nullable=True),
    Column("human_category_at", UtcDateTime, nullable=True),
    Column("moved_by_human", Boolean, nullable=False, server_default=false()),
    Column("router_shadow", Boolean, nullable=False, server_default=false()),
    Index("ix_tickets_created_at_id", "created_at", "id"),
    Index("ix_tickets_submitter_id_created_at", "submitter_id", "created_at"),
    Index("ix_tickets_department_id_status", "department_id", "status"),
    Index("ix_tickets_assigned_agent_id_status", "assigned_agent_id", "status"),
    Index("ix_tickets_status_created_at", "status", "created_at"),
    Index("ix_tickets_category", "category"),
    # Agents' loads and the workload report count only active tickets: a partial index keeps
    # that count to the agent's active entries, read from the index alone.
    Index(
        "ix_tickets_active_assignee",
        "assigned_agent_id",
        "status",
        postgresql_where=text(ACTIVE_PREDICATE),
        sqlite_where=text(ACTIVE_PREDICATE),
    ),
    # A department's queue: its unassigned tickets waiting to be picked up, newest first.
    Index(
        "ix_tickets_department_queue",
        "department_id",
        "created_at",
        "id",
        postgresql_where=text(DEPARTMENT_QUEUE_PREDICATE),
        sqlite_where=text(DEPARTMENT_QUEUE_PREDICATE),
    ),
    # Training from the database reads the labelled tickets only.
    Index(
        "ix_tickets_labelled",
        "human_category",
        postgresql_where=text("human_category IS NOT NULL"),
        sqlite_where=text("human_category IS NOT NULL"),
    ),
    # Everything the routing-quality report and the threshold evidence read (the verdict's
    # inputs, the confidence, the window's columns): they scan this index, not the table.
    Index(
        "ix_tickets_routing_evidence",
        "category",
        "router_mode",
        "router_shadow",
        "moved_by_human",
        "status",
        "human_category",
        "routing_confidence",
        "created_at",
        "department_id",
    ),
    # Everything the reports read, so that they scan this index instead of the table.
    Index(
        "ix_tickets_reporting",
        "created_at",
        "department_id",
        "router_mode",
        "routing_overridden",
        "category",
        "routing_confidence",
    ),
)
# The SLA pass reads only the tickets whose next check has come: a partial index holds just the
# tickets with something left to check (open ones with due times), soonest first.
Index(
    "ix_tickets_sla_next_check_at",
    tickets.c.sla_next_check_at,
    postgresql_where=text("sla_next_check_at IS NOT NULL"),
    sqlite_where=text("sla_next_check_at IS NOT NULL"),
)
# The assignment policy's tie-break counts each agent's tickets at risk: past a warning point,
# not breached. Only running clocks of active assignments not known to be breached can be, so
# two partial indexes hold just those, by agent and warning point; the count reads, from each,
# the ones whose warning has come (`at_risk_count` in sla_states.py) instead of every active
# ticket of the agent.
Index(
    "ix_tickets_resolution_warning",
    tickets.c.assigned_agent_id,
    tickets.c.resolution_warn_at,
    postgresql_where=text(SLA_WARNING_PREDICATE),
    sqlite_where=text(SLA_WARNING_PREDICATE),
)
Index(
    "ix_tickets_first_response_warning",
    tickets.c.assigned_agent_id,
    tickets.c.first_response_warn_at,
    postgresql_where=text(f"{SLA_WARNING_PREDICATE} AND first_responded_at IS NULL"),
    sqlite_where=text(f"{SLA_WARNING_PREDICATE} AND first_responded_at IS NULL"),
)
# `order=resolution_due` on the ticket list: soonest first, then id.
Index("ix_tickets_resolution_due_at_id", tickets.c.resolution_due_at, tickets.c.id)

# Substring search over folded Arabic text: trigrams on PostgreSQL (the migration checks the
# database's ctype first); SQLite scans.
POSTGRES_ONLY_INDEXES = frozenset({"ix_tickets_search_text_trgm"})
Index(
    "ix_tickets_search_text_trgm",
    tickets.c.search_text,
    postgresql_using="gin",
    postgresql_ops={"search_text": "gin_trgm_ops"},
).ddl_if(dialect="postgresql")

comments = Table(
    "comments",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("ticket_id", Uuid, ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False),
    Column("author_id", Uuid, nullable=False),
    Column("body", Text, nullable=False),
    Column("internal", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_comments_ticket_id_created_at_id", "ticket_id", "created_at", "id"),
)

audit_entries = Table(
    "audit_entries",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("ticket_id", Uuid, ForeignKey("tickets.id", ondelete="CASCADE"), nullable=True),
    Column("actor_id", Uuid, nullable=True),
    Column("action", String(64), nullable=False),
    Column("metadata", Json, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("entity_type", String(32), nullable=True),
    Column("entity_id", Uuid, nullable=True),
    Index("ix_audit_entries_ticket_id_created_at_id", "ticket_id", "created_at", "id"),
    Index("ix_audit_entries_entity_type_created_at", "entity_type", "created_at"),
)

notifications = Table(
    "notifications",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("user_id", Uuid, nullable=False),
    Column("ticket_id", Uuid, ForeignKey("tickets.id", ondelete="CASCADE"), nullable=True),
    Column("kind", String(32), nullable=False),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("read_at", UtcDateTime, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_notifications_user_id_created_at_id", "user_id", "created_at", "id"),
    # The unread count and the unread list read only the caller's unread entries, newest
    # first, from the index alone (migration 0010_unread_newest: with `user_id` only, a
    # prepared statement's generic plan sorted every unread entry of the person).
    Index(
        "ix_notifications_unread",
        "user_id",
        "created_at",
        "id",
        postgresql_where=text("read_at IS NULL"),
        sqlite_where=text("read_at IS NULL"),
    ),
)

quick_actions = Table(
    "quick_actions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("label", String(60), nullable=False),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False),
    Column("category", String(32), nullable=True),
    Column("priority", String(16), nullable=False),
    Column("icon", String(64), nullable=True),
    Column("position", Integer, nullable=False),
    Index("ix_quick_actions_position", "position"),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("submitter_id", Uuid, primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("request_hash", String(64), nullable=False),
    Column("ticket_id", Uuid, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

credentials = Table(
    "credentials",
    metadata,
    Column("user_id", Uuid, primary_key=True),
    Column("email", String(254), nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("disabled", Boolean, nullable=False),
    Column("failed_logins", Integer, nullable=False, server_default="0"),
    Column("locked_until", UtcDateTime, nullable=True),
    # Addresses are stored normalized (NFKC, case-folded) by the domain: equality is enough.
    Index("uq_credentials_email", "email", unique=True),
)

sla_policies = Table(
    "sla_policies",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(120), nullable=False),
    Column("priority", String(16), nullable=False),
    Column("department_id", Uuid, ForeignKey("departments.id"), nullable=True),
    Column("category", String(32), nullable=True),
    Column("first_response_minutes", Integer, nullable=False),
    Column("resolution_minutes", Integer, nullable=False),
    Column("warning_percent", Integer, nullable=False),
    Column("notify", Json, nullable=False),
    Column("raise_priority", Boolean, nullable=False),
    Column("release", Boolean, nullable=False),
    Column("is_active", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_sla_policies_priority", "priority"),
)

department_calendars = Table(
    "department_calendars",
    metadata,
    Column(
        "department_id",
        Uuid,
        ForeignKey("departments.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("timezone", String(64), nullable=False),
    Column("working_days", Json, nullable=False),
    Column("start", String(5), nullable=False),
    Column("end", String(5), nullable=False),
    Column("holidays", Json, nullable=False),
)

# A crossing acted on, once: the primary key (ticket, target, point, due instant) lets a second
# process's attempt at the same crossing find it taken. A crossing that a re-targeting moved
# has another due instant, and is acted on again when it is reached.
sla_crossings = Table(
    "sla_crossings",
    metadata,
    Column(
        "ticket_id",
        Uuid,
        ForeignKey("tickets.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("target", String(16), primary_key=True),
    Column("point", String(8), primary_key=True),
    Column("due_at", UtcDateTime, primary_key=True),
    Column("acted_at", UtcDateTime, nullable=False),
)

# Tickets counted per UTC day of creation and per everything the reports group by, kept by
# triggers on `tickets` in the same transaction as each change (migration 0003): an all-time
# report sums a few thousand rows instead of reading a million tickets. "None" is stored as a
# value (the zero UUID, '', -1) so that each combination has exactly one row.
ticket_daily_counts = Table(
    "ticket_daily_counts",
    metadata,
    Column("day", String(10), primary_key=True),  # YYYY-MM-DD (UTC)
    Column("department_id", Uuid, primary_key=True),
    Column("router_mode", String(16), primary_key=True),
    Column("routing_overridden", Boolean, primary_key=True),
    Column("category", String(32), primary_key=True),
    # floor(confidence in millionths, rounded half up / 100,000): 0–10, or -1 for none.
    Column("confidence_decile", Integer, primary_key=True),
    Column("tickets", BigInteger, nullable=False),
)

# Each agent's active tickets (migration 0009_agent_loads), kept by triggers on `tickets`: the
# assignment policy reads one row per agent instead of counting under the department's lock.
agent_loads = Table(
    "agent_loads",
    metadata,
    Column("agent_id", Uuid, ForeignKey("profiles.id", ondelete="CASCADE"), primary_key=True),
    Column("active", Integer, nullable=False),
)

# The e-mail channel (migration 0006_mail). Every inbound message taken, once: unique on its
# Message-ID and written in the same transaction as the ticket or comment it became.
inbound_messages = Table(
    "inbound_messages",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("message_id", String(998), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("sender_address", String(320), nullable=False),
    Column("subject", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("ticket_id", Uuid, nullable=True),
    Column("comment_id", Uuid, nullable=True),
    Column("reason", Text, nullable=False),
    Column("body", Text, nullable=False),
    Index("uq_inbound_messages_message_id", "message_id", unique=True),
    Index("ix_inbound_messages_outcome_created_at", "outcome", "created_at"),
)

mail_outbox = Table(
    "mail_outbox",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("user_id", Uuid, nullable=True),
    Column("to_address", String(320), nullable=False),
    Column("to_name", String(200), nullable=False),
    Column("subject", Text, nullable=False),
    Column("heading", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("ticket_id", Uuid, nullable=True),
    Column("ticket_number", BigInteger, nullable=True),
    Column("in_reply_to", Text, nullable=True),
    Column("references", Json, nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("last_error", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("sent_at", UtcDateTime, nullable=True),
    # The drain reads the due pending mail, oldest first, from this index alone.
    Index(
        "ix_mail_outbox_due",
        "next_attempt_at",
        postgresql_where=text("status = 'pending'"),
        sqlite_where=text("status = 'pending'"),
    ),
    Index("ix_mail_outbox_status", "status"),
)

ticket_attachments = Table(
    "ticket_attachments",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("ticket_id", Uuid, ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False),
    Column("comment_id", Uuid, nullable=True),
    Column("filename", String(255), nullable=False),
    Column("content_type", String(255), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("key", String(255), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_ticket_attachments_ticket_id_created_at", "ticket_id", "created_at"),
)

# One row per fact of the mail channel's own state (the last poll of the mailbox).
mail_state = Table(
    "mail_state",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("at", UtcDateTime, nullable=False),
)

# Per-category auto thresholds computed from evidence (`helpdesk routing thresholds --apply`);
# a NULL threshold turns automatic routing off for the category.
routing_thresholds = Table(
    "routing_thresholds",
    metadata,
    Column("category", String(32), primary_key=True),
    Column("auto_threshold", Float, nullable=True),
    Column("target_precision", Float, nullable=False),
    Column("precision", Float, nullable=True),
    Column("coverage", Float, nullable=True),
    Column("evidence", Integer, nullable=False),
    Column("set_at", UtcDateTime, nullable=False),
)

# SQLite has no sequences: ticket numbers come from this counter (writes are serialized there).
counters = Table(
    "counters",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("value", BigInteger, nullable=False),
)


def include_object(dialect_name: str):  # type: ignore[no-untyped-def]
    """For autogenerate: PostgreSQL-only indexes do not exist elsewhere, by design."""

    def include(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
        return not (
            type_ == "index" and name in POSTGRES_ONLY_INDEXES and dialect_name != "postgresql"
        )

    return include
