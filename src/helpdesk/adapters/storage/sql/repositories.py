"""SQL repositories over one AsyncConnection (the unit of work's transaction).

They translate; the application decides. Ticket writes use optimistic concurrency
(`UPDATE … WHERE version = :seen`); assignment choices are serialized per department with a
transaction-scoped advisory lock on PostgreSQL (SQLite serializes write transactions already).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Awaitable, Callable, Hashable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum
from typing import Any, TypeVar, cast
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    BindParameter,
    ColumnElement,
    Select,
    Table,
    and_,
    bindparam,
    delete,
    false,
    func,
    insert,
    literal_column,
    or_,
    select,
    true,
    tuple_,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import UpdateBase

from helpdesk.adapters.storage.profile_cache import TtlCache
from helpdesk.adapters.storage.sql import rows
from helpdesk.adapters.storage.sql.connection import RowInsert, SqlConnection
from helpdesk.adapters.storage.sql.sla_states import at_risk_at, at_risk_count, breached_at
from helpdesk.adapters.storage.sql.tables import (
    agent_loads,
    audit_entries,
    comments,
    counters,
    credentials,
    departments,
    idempotency_keys,
    notifications,
    profiles,
    quick_actions,
    routing_thresholds,
    ticket_daily_counts,
    tickets,
)
from helpdesk.adapters.storage.sql.types import UtcDateTime
from helpdesk.application.ports.storage.common import DuplicateKey
from helpdesk.application.ports.storage.people import Credential
from helpdesk.application.ports.storage.routing import StoredThreshold
from helpdesk.application.ports.storage.tickets import (
    FAR_FUTURE,
    AdminAuditFilter,
    DuplicateIdempotencyKey,
    IdempotencyRecord,
    LabelledText,
    StaleVersion,
    TicketFilter,
    TicketOrder,
)
from helpdesk.domain.assignment import AgentLoad
from helpdesk.domain.departments import Department
from helpdesk.domain.keyset import Position
from helpdesk.domain.people import Profile
from helpdesk.domain.permissions import TicketScope
from helpdesk.domain.records import AuditEntry, Comment, Notification, QuickAction
from helpdesk.domain.taxonomy import ACTIVE_STATUSES, Category, Role, TicketStatus
from helpdesk.domain.ticket import Ticket

T = TypeVar("T")
ACTIVE = sorted(str(s) for s in ACTIVE_STATUSES)


def _after(table: Any, after: Position | None, *, newest_first: bool) -> ColumnElement[bool]:
    if after is None:
        return true()
    key = tuple_(table.c.created_at, table.c.id)
    # A plain tuple, so that each value is bound with its column's type (UtcDateTime turns any
    # time zone into the stored UTC form).
    position = (after.created_at, after.id)
    return key < position if newest_first else key > position


def _like(needle: str) -> str:
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# A ticket filter's equality conditions: the filter's field, the column it narrows.
_EQUALITIES = (
    ("priority", "priority"),
    ("department_id", "department_id"),
    ("assignee_id", "assigned_agent_id"),
    ("routing_mode", "routing_mode"),
    ("overridden", "routing_overridden"),
    ("category", "category"),
)
# A scope's conditions (any of them holds): the scope's field, the column.
_SCOPES = (
    ("submitter_id", "submitter_id"),
    ("department_id", "department_id"),
    ("assignee_id", "assigned_agent_id"),
)


@dataclass(frozen=True, slots=True)
class _SearchShape:
    """Which conditions a ticket search has, not their values: one statement is built per
    shape and run with the values bound. Building the conditions afresh (a few SQLAlchemy
    comparisons each) was about a fifth of an agent's queue read."""

    everything: bool
    bound: frozenset[str]  # the names of the values the search binds: its optional conditions
    statuses: tuple[str, ...] | None  # written out (the queues' partial indexes match them)
    unassigned: bool
    sla: str | None
    order: str
    limit: int

    @classmethod
    def of(
        cls,
        scope: TicketScope,
        where: TicketFilter,
        after: Position | None,
        limit: int,
        order: str,
    ) -> tuple[_SearchShape, dict[str, Any]]:
        values: dict[str, Any] = {}
        if not scope.everything:
            _given(scope, _SCOPES, "scope_", values)
        _given(where, _EQUALITIES, "where_", values)
        if where.text:
            values["where_text"] = _like(where.text)
        if where.sla is not None:
            assert where.sla_at is not None
            values["sla_at"] = where.sla_at
        if after is not None:
            values["after_at"], values["after_id"] = after.created_at, after.id
        for name in ("created_after", "created_before"):
            if (value := getattr(where, name)) is not None:
                values[name] = value
        shape = cls(
            everything=scope.everything,
            bound=frozenset(values),
            statuses=None if where.statuses is None else tuple(sorted(map(str, where.statuses))),
            unassigned=where.unassigned,
            sla=where.sla,
            order=order,
            limit=limit,
        )
        return shape, values


def _given(
    source: object, fields: tuple[tuple[str, str], ...], prefix: str, values: dict[str, Any]
) -> None:
    """The fields of `source` that are set go into `values` under `prefix + field` (enums as
    their stored text)."""
    for field, _ in fields:
        if (value := getattr(source, field)) is not None:
            values[prefix + field] = str(value) if isinstance(value, Enum) else value


def _bound(name: str, column: str) -> BindParameter[Any]:
    return bindparam(name, type_=tickets.c[column].type)


def _conditions(shape: _SearchShape) -> list[ColumnElement[bool]]:
    c = tickets.c
    bound = shape.bound

    def equal(prefix: str, fields: tuple[tuple[str, str], ...]) -> list[ColumnElement[bool]]:
        return [c[col] == _bound(prefix + f, col) for f, col in fields if prefix + f in bound]

    if shape.everything:
        visible: ColumnElement[bool] = true()
    else:
        scopes = equal("scope_", _SCOPES)
        visible = or_(*scopes) if scopes else false()
    conditions = [visible, *equal("where_", _EQUALITIES)]
    if shape.statuses is not None:
        conditions.append(c.status.in_(literal_list(shape.statuses)))
    if shape.unassigned:
        conditions.append(c.assigned_agent_id.is_(None))
    if "where_text" in bound:
        conditions.append(c.search_text.like(_bound("where_text", "search_text"), escape="\\"))
    if "created_after" in bound:
        conditions.append(c.created_at >= _bound("created_after", "created_at"))
    if "created_before" in bound:
        conditions.append(c.created_at < _bound("created_before", "created_at"))
    if shape.sla is not None:
        state = at_risk_at if shape.sla == "at_risk" else breached_at
        conditions.append(state(bindparam("sla_at", type_=UtcDateTime())))
    return conditions


@functools.lru_cache(maxsize=512)
def _search_statement(shape: _SearchShape) -> Select[Any]:
    c = tickets.c
    conditions = _conditions(shape)
    position = tuple_(_bound("after_at", "created_at"), _bound("after_id", "id"))
    if shape.order == "resolution_due":
        # No due time sorts last, as the far future (bound with the column's type).
        due = func.coalesce(c.resolution_due_at, bindparam(None, FAR_FUTURE, type_=UtcDateTime()))
        if "after_at" in shape.bound:
            conditions.append(tuple_(due, c.id) > position)
        return select(tickets).where(*conditions).order_by(due, c.id).limit(shape.limit)
    if "after_at" in shape.bound:
        conditions.append(tuple_(c.created_at, c.id) < position)
    return (
        select(tickets)
        .where(*conditions)
        .order_by(c.created_at.desc(), c.id.desc())
        .limit(shape.limit)
    )


class _Repository:
    def __init__(self, conn: SqlConnection) -> None:
        self._conn = conn

    @property
    def _postgres(self) -> bool:
        return self._conn.dialect.name == "postgresql"

    def _dialect_insert(self, table: Table) -> Any:
        return postgresql.insert(table) if self._postgres else sqlite.insert(table)

    async def _insert_new(self, table: Table, values: dict[str, Any]) -> bool:
        """Insert unless a unique key (any of them) is taken; False when it is.

        ON CONFLICT DO NOTHING instead of catching the violation: one statement, no savepoint,
        and on PostgreSQL the transaction stays usable. A concurrent insert of the same key
        waits for the first transaction and then reports the conflict."""
        result = await self._conn.execute(
            self._dialect_insert(table).values(values).on_conflict_do_nothing()
        )
        return bool(result.rowcount == 1)


class ReferenceData:
    """The reference data of one unit of work (departments, SLA policies, department
    calendars): read from what the worker keeps while this unit of work has written none of
    it; once it has, read from the database (its own writes), and at commit every worker
    forgets what it kept (on PostgreSQL through NOTIFY, sent with the first write)."""

    def __init__(self, conn: SqlConnection, cache: TtlCache[Hashable, Any] | None) -> None:
        self._conn = conn
        self._cache = cache
        self.written = False

    async def read(self, key: Hashable, load: Callable[[], Awaitable[T]]) -> T:
        if self._cache is None or self.written:
            return await load()
        kept = self._cache.get(key)
        if kept is not None:
            return cast(T, kept[0])
        version = self._cache.version()
        value = await load()
        self._cache.keep(key, (value,), version)  # in a tuple: a value may be None
        return value

    async def wrote(self) -> None:
        if not self.written and self._conn.dialect.name == "postgresql":
            await self._conn.execute(_REFERENCE_NOTIFY)
        self.written = True


class SqlTicketRepository(_Repository):
    def __init__(self, conn: SqlConnection, *, lock_rows: bool = True) -> None:
        super().__init__(conn)
        self._lock_rows = lock_rows

    async def add(self, ticket: Ticket) -> int:
        values = rows.ticket_values(ticket)
        if not self._postgres:
            # SQLite has no sequences; its write transactions are serialized, so a counter row
            # is safe and never hands out a number twice (even after deletions).
            values["number"] = (await self._conn.execute(_BUMP_TICKET_NUMBER)).scalar_one()
        shape = RowInsert.of(tickets, values, returning=("number",))
        return int((await self._conn.write(shape, values)).scalar_one())

    async def get(self, ticket_id: UUID) -> Ticket | None:
        # Use cases read a ticket to change it: on PostgreSQL the row stays locked until the
        # transaction ends, so a concurrent writer waits instead of failing its version check.
        # FOR NO KEY UPDATE is the lock the UPDATE itself takes; unlike FOR UPDATE it lets
        # others insert comments, audit entries and notifications that reference the ticket.
        # (SQLite renders no locking clause: its write transactions are serialized already.)
        query = select(tickets).where(tickets.c.id == ticket_id)
        if self._lock_rows:
            query = query.with_for_update(key_share=True)
        row = (await self._conn.execute(query)).first()
        return rows.ticket_from(row._mapping) if row else None

    async def get_by_number(self, number: int) -> Ticket | None:
        query = select(tickets).where(tickets.c.number == number)
        if self._lock_rows:
            query = query.with_for_update(key_share=True)
        row = (await self._conn.execute(query)).first()
        return rows.ticket_from(row._mapping) if row else None

    async def update(self, ticket: Ticket, *, expected_version: int) -> None:
        values = rows.ticket_values(ticket)
        del values["id"], values["created_at"]
        result = await self._conn.execute(
            update(tickets)
            .where(tickets.c.id == ticket.id, tickets.c.version == expected_version)
            .values(values)
        )
        if result.rowcount != 1:
            raise StaleVersion(str(ticket.id))

    async def search(
        self,
        scope: TicketScope,
        where: TicketFilter,
        after: Position | None,
        limit: int,
        *,
        order: TicketOrder = "created",
    ) -> list[Ticket]:
        shape, values = _SearchShape.of(scope, where, after, limit, order)
        found = await self._conn.execute(_search_statement(shape), values)
        return [rows.ticket_from(r._mapping) for r in found]

    async def active_assigned_to(self, agent_id: UUID) -> list[Ticket]:
        query = (
            select(tickets)
            .where(tickets.c.assigned_agent_id == agent_id, tickets.c.status.in_(ACTIVE))
            .order_by(tickets.c.created_at, tickets.c.id)
        )
        return [rows.ticket_from(r._mapping) for r in await self._conn.execute(query)]

    async def human_labelled(self) -> list[LabelledText]:
        c = tickets.c
        query = (
            select(c.title, c.description, c.human_category)
            .where(c.human_category.is_not(None))
            .order_by(c.created_at, c.id)
        )
        return [
            LabelledText(title, description, Category(category))
            for title, description, category in await self._conn.execute(query)
        ]

    async def delete_all(self) -> int:
        # Comments, audit entries and notifications of tickets go with them (ON DELETE CASCADE).
        await self._conn.execute(delete(idempotency_keys))
        await self._conn.execute(delete(ticket_daily_counts))
        await self._conn.execute(delete(agent_loads))
        result = await self._conn.execute(delete(tickets))
        return int(result.rowcount)


# Workers that keep callers' profiles listen here (unit_of_work.py); a profile update tells them.
PROFILE_CHANGES_CHANNEL = "helpdesk_profile_changed"
# Sent on the same channel when departments, SLA policies or calendars change.
REFERENCE_CHANGED = "reference"


class SqlProfileRepository(_Repository):
    def __init__(self, conn: SqlConnection, changed: set[UUID] | None = None) -> None:
        super().__init__(conn)
        self.changed = changed if changed is not None else set()  # ids this transaction wrote

    async def get(self, user_id: UUID) -> Profile | None:
        row = (await self._conn.execute(_PROFILE, {"user_id": user_id})).first()
        return rows.profile_from(row._mapping) if row else None

    async def get_by_email(self, email: str) -> Profile | None:
        if not email:
            return None
        query = select(profiles).where(profiles.c.email == email)
        row = (await self._conn.execute(query)).first()
        return rows.profile_from(row._mapping) if row else None

    async def add(self, profile: Profile) -> None:
        if not await self._insert_new(profiles, rows.profile_values(profile)):
            raise DuplicateKey("email")

    async def update(self, profile: Profile) -> None:
        values = rows.profile_values(profile)
        del values["id"]
        await self._conn.execute(update(profiles).where(profiles.c.id == profile.id).values(values))
        if profile.id not in self.changed and self._postgres:
            # Delivered to every listening worker when (and only if) this transaction commits.
            await self._conn.execute(
                select(func.pg_notify(PROFILE_CHANGES_CHANNEL, str(profile.id)))
            )
        self.changed.add(profile.id)

    async def active_agents(self, department_id: UUID) -> list[Profile]:
        query = (
            select(profiles)
            .where(
                profiles.c.role == str(Role.AGENT),
                profiles.c.is_active.is_(True),
                profiles.c.department_id == department_id,
            )
            .order_by(profiles.c.id)
        )
        return [rows.profile_from(r._mapping) for r in await self._conn.execute(query)]

    async def active_admins(self) -> list[Profile]:
        query = (
            select(profiles)
            .where(profiles.c.role == str(Role.ADMIN), profiles.c.is_active.is_(True))
            .order_by(profiles.c.id)
        )
        return [rows.profile_from(r._mapping) for r in await self._conn.execute(query)]

    async def search(
        self,
        *,
        role: Role | None,
        department_id: UUID | None,
        text: str | None,
        after: Position | None,
        limit: int,
    ) -> list[Profile]:
        conditions: list[ColumnElement[bool]] = [_after(profiles, after, newest_first=True)]
        if role is not None:
            conditions.append(profiles.c.role == str(role))
        if department_id is not None:
            conditions.append(profiles.c.department_id == department_id)
        if text:
            pattern = _like(text.lower())
            conditions.append(
                or_(
                    func.lower(profiles.c.email).like(pattern, escape="\\"),
                    func.lower(profiles.c.full_name).like(pattern, escape="\\"),
                )
            )
        query = (
            select(profiles)
            .where(*conditions)
            .order_by(profiles.c.created_at.desc(), profiles.c.id.desc())
            .limit(limit)
        )
        return [rows.profile_from(r._mapping) for r in await self._conn.execute(query)]


class SqlDepartmentRepository(_Repository):
    def __init__(self, conn: SqlConnection, reference: ReferenceData) -> None:
        super().__init__(conn)
        self._reference = reference

    async def get(self, department_id: UUID) -> Department | None:
        query = select(departments).where(departments.c.id == department_id)
        row = (await self._conn.execute(query)).first()
        return rows.department_from(row._mapping) if row else None

    async def all(self) -> list[Department]:
        async def load() -> tuple[Department, ...]:
            found = await self._conn.execute(_DEPARTMENTS)
            return tuple(rows.department_from(r._mapping) for r in found)

        # Copies: a use case may change the department it was given.
        return [replace(d) for d in await self._reference.read("departments", load)]

    async def add(self, department: Department) -> None:
        await self._reference.wrote()
        if not await self._insert_new(departments, rows.department_values(department)):
            raise DuplicateKey("slug")

    async def update(self, department: Department) -> None:
        await self._reference.wrote()
        values = rows.department_values(department)
        del values["id"]
        await self._conn.execute(
            update(departments).where(departments.c.id == department.id).values(values)
        )


def advisory_key(department_id: UUID) -> int:
    """A stable signed 64-bit key for pg_advisory_xact_lock, namespaced to assignment."""
    digest = hashlib.blake2b(b"assign:" + department_id.bytes, digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def literal_list(statuses: Iterable[str]) -> list[Any]:
    """Statuses as SQL literals in the order the partial indexes write them (they are values of
    a closed vocabulary, never user text)."""
    return [literal_column(f"'{TicketStatus(s)}'") for s in sorted(str(s) for s in statuses)]


def is_active_ticket() -> ColumnElement[bool]:
    """The active statuses written into the SQL (not bound), so that the planner sees the
    condition of the partial index `ix_tickets_active_assignee` and reads only that index."""
    return tickets.c.status.in_(literal_list(ACTIVE))


class SqlAssignmentRepository(_Repository):
    @staticmethod
    def _with_loads() -> Any:
        # One row per agent, kept by triggers (migration 0009_agent_loads): counting the active
        # tickets instead cost in proportion to them, under the department's lock.
        load = func.coalesce(agent_loads.c.active, 0).label("load")
        return select(profiles, load).select_from(
            profiles.outerjoin(agent_loads, agent_loads.c.agent_id == profiles.c.id)
        )

    async def loads(self, department_id: UUID, *, at: datetime | None = None) -> list[AgentLoad]:
        if self._postgres:
            # Held until the transaction ends: concurrent creations for this department choose
            # one after another, each seeing the previous one's ticket.
            await self._conn.execute(_ASSIGNMENT_LOCK, {"key": advisory_key(department_id)})
        if at is None:
            return [
                AgentLoad(rows.profile_from(r._mapping), int(r._mapping["load"]))
                for r in await self._conn.execute(_AGENT_LOADS, {"department_id": department_id})
            ]
        # In the same statement: each agent's active tickets at risk at that instant.
        found = await self._conn.execute(
            _AGENT_LOADS_AT_RISK, {"department_id": department_id, "at": at}
        )
        return [
            AgentLoad(
                rows.profile_from(r._mapping), int(r._mapping["load"]), int(r._mapping["at_risk"])
            )
            for r in found
        ]

    async def load_of(self, agent_id: UUID) -> AgentLoad | None:
        row = (
            await self._conn.execute(self._with_loads().where(profiles.c.id == agent_id))
        ).first()
        return (
            AgentLoad(rows.profile_from(row._mapping), int(row._mapping["load"])) if row else None
        )

    async def mark_assigned(self, agent_id: UUID, at: datetime) -> None:
        # Deferred: it travels with the ticket's INSERT (one round trip fewer under the lock).
        await self._conn.defer(_LAST_ASSIGNED, {"agent": agent_id, "at": at})


class SqlCommentRepository(_Repository):
    async def add(self, comment: Comment) -> None:
        await self._conn.execute(
            insert(comments).values(
                id=comment.id,
                ticket_id=comment.ticket_id,
                author_id=comment.author_id,
                body=comment.body,
                internal=comment.internal,
                created_at=comment.created_at,
            )
        )

    async def list(
        self, ticket_id: UUID, *, include_internal: bool, after: Position | None, limit: int
    ) -> list[Comment]:
        conditions = [
            comments.c.ticket_id == ticket_id,
            _after(comments, after, newest_first=False),
        ]
        if not include_internal:
            conditions.append(comments.c.internal.is_(False))
        query = (
            select(comments)
            .where(*conditions)
            .order_by(comments.c.created_at, comments.c.id)
            .limit(limit)
        )
        return [rows.comment_from(r._mapping) for r in await self._conn.execute(query)]


class SqlAuditRepository(_Repository):
    async def add_all(self, entries: list[AuditEntry]) -> None:
        # Deferred on PostgreSQL: sent with the next INSERT or at commit.
        await self._conn.defer_inserts(audit_entries, [rows.audit_values(e) for e in entries])

    async def for_ticket(
        self, ticket_id: UUID, *, after: Position | None, limit: int
    ) -> list[AuditEntry]:
        query = (
            select(audit_entries)
            .where(
                audit_entries.c.ticket_id == ticket_id,
                _after(audit_entries, after, newest_first=False),
            )
            .order_by(audit_entries.c.created_at, audit_entries.c.id)
            .limit(limit)
        )
        return [rows.audit_from(r._mapping) for r in await self._conn.execute(query)]

    async def admin_actions(
        self, where: AdminAuditFilter, *, after: Position | None, limit: int
    ) -> list[AuditEntry]:
        c = audit_entries.c
        conditions: list[ColumnElement[bool]] = [
            c.ticket_id.is_(None),
            _after(audit_entries, after, newest_first=False),
        ]
        if where.entity_type is not None:
            conditions.append(c.entity_type == where.entity_type)
        if where.entity_id is not None:
            conditions.append(c.entity_id == where.entity_id)
        if where.actor_id is not None:
            conditions.append(c.actor_id == where.actor_id)
        if where.created_from is not None:
            conditions.append(c.created_at >= where.created_from)
        if where.created_to is not None:
            conditions.append(c.created_at < where.created_to)
        query = select(audit_entries).where(*conditions).order_by(c.created_at, c.id).limit(limit)
        return [rows.audit_from(r._mapping) for r in await self._conn.execute(query)]


class SqlNotificationRepository(_Repository):
    async def add_all(self, items: list[Notification]) -> None:
        # Deferred on PostgreSQL: sent with the next INSERT or at commit.
        await self._conn.defer_inserts(notifications, [rows.notification_values(n) for n in items])

    async def for_user(
        self, user_id: UUID, *, unread_only: bool, after: Position | None, limit: int
    ) -> list[Notification]:
        conditions = [
            notifications.c.user_id == user_id,
            _after(notifications, after, newest_first=True),
        ]
        if unread_only:
            conditions.append(notifications.c.read_at.is_(None))
        query = (
            select(notifications)
            .where(*conditions)
            .order_by(notifications.c.created_at.desc(), notifications.c.id.desc())
            .limit(limit)
        )
        return [rows.notification_from(r._mapping) for r in await self._conn.execute(query)]

    async def unread_count(self, user_id: UUID) -> int:
        return int((await self._conn.execute(_UNREAD, {"user_id": user_id})).scalar_one())

    async def mark_read(
        self, user_id: UUID, notification_id: UUID, at: datetime
    ) -> Notification | None:
        mine = and_(notifications.c.id == notification_id, notifications.c.user_id == user_id)
        await self._conn.execute(
            update(notifications).where(mine, notifications.c.read_at.is_(None)).values(read_at=at)
        )
        row = (await self._conn.execute(select(notifications).where(mine))).first()
        return rows.notification_from(row._mapping) if row else None

    async def mark_all_read(self, user_id: UUID, at: datetime) -> int:
        result = await self._conn.execute(
            update(notifications)
            .where(notifications.c.user_id == user_id, notifications.c.read_at.is_(None))
            .values(read_at=at)
        )
        return int(result.rowcount)

    async def delete_all(self) -> int:
        return int((await self._conn.execute(delete(notifications))).rowcount)


class SqlQuickActionRepository(_Repository):
    async def all(self) -> list[QuickAction]:
        query = select(quick_actions).order_by(quick_actions.c.position, quick_actions.c.id)
        return [rows.quick_action_from(r._mapping) for r in await self._conn.execute(query)]

    async def get(self, action_id: UUID) -> QuickAction | None:
        query = select(quick_actions).where(quick_actions.c.id == action_id)
        row = (await self._conn.execute(query)).first()
        return rows.quick_action_from(row._mapping) if row else None

    async def add(self, action: QuickAction) -> None:
        await self._conn.execute(insert(quick_actions).values(rows.quick_action_values(action)))

    async def update(self, action: QuickAction) -> None:
        values = rows.quick_action_values(action)
        del values["id"]
        await self._conn.execute(
            update(quick_actions).where(quick_actions.c.id == action.id).values(values)
        )

    async def delete(self, action_id: UUID) -> bool:
        result = await self._conn.execute(
            delete(quick_actions).where(quick_actions.c.id == action_id)
        )
        return bool(result.rowcount)

    async def replace_all(self, actions: list[QuickAction]) -> None:
        await self._conn.execute(delete(quick_actions))
        if actions:
            await self._conn.execute(
                insert(quick_actions), [rows.quick_action_values(a) for a in actions]
            )


class SqlRoutingThresholdRepository(_Repository):
    async def all(self) -> list[StoredThreshold]:
        found = [
            StoredThreshold(
                category=Category(r.category),
                auto_threshold=r.auto_threshold,
                target_precision=r.target_precision,
                precision=r.precision,
                coverage=r.coverage,
                evidence=r.evidence,
                set_at=r.set_at,
            )
            for r in await self._conn.execute(select(routing_thresholds))
        ]
        return sorted(found, key=lambda t: str(t.category))

    async def replace_all(self, thresholds: list[StoredThreshold]) -> None:
        await self._conn.execute(delete(routing_thresholds))
        if thresholds:
            await self._conn.execute(
                insert(routing_thresholds),
                [
                    {
                        "category": str(t.category),
                        "auto_threshold": t.auto_threshold,
                        "target_precision": t.target_precision,
                        "precision": t.precision,
                        "coverage": t.coverage,
                        "evidence": t.evidence,
                        "set_at": t.set_at,
                    }
                    for t in thresholds
                ],
            )


class SqlCredentialRepository(_Repository):
    async def add(self, credential: Credential) -> None:
        values = {
            "user_id": credential.user_id,
            "email": credential.email,
            "password_hash": credential.password_hash,
            "disabled": credential.disabled,
            "failed_logins": credential.failed_logins,
            "locked_until": credential.locked_until,
        }
        if not await self._insert_new(credentials, values):
            raise DuplicateKey("email")

    async def get_by_email(self, email: str) -> Credential | None:
        query = select(credentials).where(credentials.c.email == email)
        row = (await self._conn.execute(query)).first()
        return rows.credential_from(row._mapping) if row else None

    async def get(self, user_id: UUID) -> Credential | None:
        query = select(credentials).where(credentials.c.user_id == user_id)
        row = (await self._conn.execute(query)).first()
        return rows.credential_from(row._mapping) if row else None

    async def update(self, credential: Credential) -> None:
        await self._conn.execute(
            update(credentials)
            .where(credentials.c.user_id == credential.user_id)
            .values(
                email=credential.email,
                password_hash=credential.password_hash,
                disabled=credential.disabled,
                failed_logins=credential.failed_logins,
                locked_until=credential.locked_until,
            )
        )

    async def count_failure(self, user_id: UUID) -> int:
        counted = await self._conn.execute(
            update(credentials)
            .where(credentials.c.user_id == user_id)
            .values(failed_logins=credentials.c.failed_logins + 1)
            .returning(credentials.c.failed_logins)
        )
        return int(counted.scalar_one())


class SqlIdempotencyRepository(_Repository):
    async def get(
        self, submitter_id: UUID, key: str, *, since: datetime
    ) -> IdempotencyRecord | None:
        query = select(idempotency_keys).where(
            idempotency_keys.c.submitter_id == submitter_id,
            idempotency_keys.c.key == key,
            idempotency_keys.c.created_at >= since,
        )
        row = (await self._conn.execute(query)).first()
        if row is None:
            return None
        m = row._mapping
        return IdempotencyRecord(
            m["submitter_id"], m["key"], m["request_hash"], m["ticket_id"], m["created_at"]
        )

    async def claim(self, record: IdempotencyRecord, *, since: datetime) -> None:
        """Insert, or take over a record older than `since`; a live record wins. On
        PostgreSQL a concurrent claim of the same key waits on the unique index until the
        first transaction ends."""
        values = {
            "submitter_id": record.submitter_id,
            "key": record.key,
            "request_hash": record.request_hash,
            "ticket_id": record.ticket_id,
            "created_at": record.created_at,
        }
        statement = self._dialect_insert(idempotency_keys).values(values)
        upsert = statement.on_conflict_do_update(
            index_elements=["submitter_id", "key"],
            set_={k: statement.excluded[k] for k in ("request_hash", "ticket_id", "created_at")},
            where=idempotency_keys.c.created_at < since,
        ).returning(idempotency_keys.c.key)
        if (await self._conn.execute(upsert)).first() is None:
            raise DuplicateIdempotencyKey(record.key)


# Statements of the hot paths (every request's caller lookup, the create, the unread badge),
# built once: SQLAlchemy then reuses their cache keys as well as their compiled SQL, instead of
# building and keying a new statement object per call.
_PROFILE = select(profiles).where(profiles.c.id == bindparam("user_id"))
_DEPARTMENTS = select(departments).order_by(departments.c.slug)
_ASSIGNMENT_LOCK = select(func.pg_advisory_xact_lock(bindparam("key", type_=BigInteger)))
_AGENT_LOADS = SqlAssignmentRepository._with_loads().where(
    profiles.c.role == str(Role.AGENT), profiles.c.department_id == bindparam("department_id")
)
_AGENT_LOADS_AT_RISK = _AGENT_LOADS.add_columns(
    at_risk_count(profiles.c.id, bindparam("at", type_=UtcDateTime())).label("at_risk")
)
_BUMP_TICKET_NUMBER = (
    sqlite.insert(counters)
    .values(name="ticket_number", value=1)
    .on_conflict_do_update(index_elements=["name"], set_={"value": counters.c.value + 1})
    .returning(counters.c.value)
)


@dataclass(frozen=True)
class _LastAssignedShape:
    """The assignment policy's tie-break: when an agent was last given a ticket."""

    def build(self, prefix: str) -> UpdateBase:
        return (
            update(profiles)
            .where(profiles.c.id == bindparam(prefix + "agent", type_=profiles.c.id.type))
            .values(last_assigned_at=bindparam(prefix + "at", type_=UtcDateTime()))
        )


_LAST_ASSIGNED = _LastAssignedShape()
_REFERENCE_NOTIFY = select(func.pg_notify(PROFILE_CHANGES_CHANNEL, REFERENCE_CHANGED))
_UNREAD = select(func.count()).where(
    notifications.c.user_id == bindparam("user_id"), notifications.c.read_at.is_(None)
)
