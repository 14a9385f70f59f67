"""In-memory repositories: a real implementation of the storage ports, not a mock.

Entities are copied in and out so that a caller mutating what it read changes nothing stored.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from uuid import UUID

from helpdesk.adapters.storage.memory.store import Transaction
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
from helpdesk.domain.arabic import fold
from helpdesk.domain.assignment import AgentLoad
from helpdesk.domain.departments import Department
from helpdesk.domain.keyset import Position, newest_first_after, oldest_first_after
from helpdesk.domain.people import Profile
from helpdesk.domain.permissions import TicketScope
from helpdesk.domain.records import AuditEntry, Comment, Notification, QuickAction
from helpdesk.domain.sla.clock import SlaState, sla_state
from helpdesk.domain.taxonomy import ACTIVE_STATUSES, Role
from helpdesk.domain.ticket import Ticket


def matches(ticket: Ticket, where: TicketFilter) -> bool:
    return (
        (where.statuses is None or ticket.status in where.statuses)
        and (where.priority is None or ticket.priority == where.priority)
        and (where.department_id is None or ticket.department_id == where.department_id)
        and (where.assignee_id is None or ticket.assigned_agent_id == where.assignee_id)
        and (not where.unassigned or ticket.assigned_agent_id is None)
        and (where.routing_mode is None or ticket.routing_mode == where.routing_mode)
        and (where.overridden is None or ticket.routing_overridden == where.overridden)
        and (where.category is None or ticket.category == where.category)
        and (where.created_after is None or ticket.created_at >= where.created_after)
        and (where.created_before is None or ticket.created_at < where.created_before)
        and (where.text is None or where.text in fold(f"{ticket.title} {ticket.description}"))
        and (where.sla is None or _sla_matches(ticket, where))
    )


def _sla_matches(ticket: Ticket, where: TicketFilter) -> bool:
    assert where.sla is not None and where.sla_at is not None
    return sla_state(ticket.clock, where.sla_at) == SlaState(where.sla)


def _due_key(ticket: Ticket) -> tuple[datetime, int]:
    """The `resolution_due` order's key: the due time (none: last), then the id."""
    return (ticket.clock.resolution_due_at or FAR_FUTURE, ticket.id.int)


class MemoryTicketRepository:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    async def add(self, ticket: Ticket) -> int:
        number = self._tx.next_value("ticket_number")
        # Stored with its clock, as SQL reads every ticket back with one.
        self._tx.write("tickets")[ticket.id] = replace(ticket, number=number, sla=ticket.clock)
        return number

    async def get(self, ticket_id: UUID) -> Ticket | None:
        ticket = self._tx.read("tickets").get(ticket_id)
        return ticket.copy() if ticket else None

    async def get_by_number(self, number: int) -> Ticket | None:
        for ticket in self._tx.read("tickets").values():
            if ticket.number == number:
                return ticket.copy()  # type: ignore[no-any-return]
        return None

    async def update(self, ticket: Ticket, *, expected_version: int) -> None:
        stored = self._tx.read("tickets").get(ticket.id)
        if stored is None or stored.version != expected_version:
            raise StaleVersion(str(ticket.id))
        self._tx.write("tickets")[ticket.id] = replace(ticket, sla=ticket.clock)

    async def search(
        self,
        scope: TicketScope,
        where: TicketFilter,
        after: Position | None,
        limit: int,
        *,
        order: TicketOrder = "created",
    ) -> list[Ticket]:
        rows = [
            t for t in self._tx.read("tickets").values() if scope.contains(t) and matches(t, where)
        ]
        if order == "resolution_due":
            start = None if after is None else (after.created_at, after.id.int)
            found = [t for t in sorted(rows, key=_due_key) if start is None or _due_key(t) > start]
            return [t.copy() for t in found[:limit]]
        return [t.copy() for t in newest_first_after(rows, after)[:limit]]

    async def active_assigned_to(self, agent_id: UUID) -> list[Ticket]:
        rows = [
            t
            for t in self._tx.read("tickets").values()
            if t.assigned_agent_id == agent_id and t.status in ACTIVE_STATUSES
        ]
        return [t.copy() for t in sorted(rows, key=lambda t: (t.created_at, t.id.int))]

    async def human_labelled(self) -> list[LabelledText]:
        rows = [t for t in self._tx.read("tickets").values() if t.human_category is not None]
        return [
            LabelledText(t.title, t.description, t.human_category)
            for t in sorted(rows, key=lambda t: (t.created_at, t.id.int))
            if t.human_category is not None
        ]

    async def delete_all(self) -> int:
        deleted = len(self._tx.read("tickets"))
        self._tx.write("tickets").clear()
        self._tx.write("comments").clear()
        self._tx.write("idempotency").clear()
        self._tx.write("sla_crossings").clear()
        self._tx.write("attachments").clear()
        for table in ("audit", "notifications"):
            rows = self._tx.write(table)
            for key in [k for k, row in rows.items() if row.ticket_id is not None]:
                del rows[key]
        return deleted


class MemoryProfileRepository:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    async def get(self, user_id: UUID) -> Profile | None:
        profile = self._tx.read("profiles").get(user_id)
        return replace(profile) if profile else None

    async def get_by_email(self, email: str) -> Profile | None:
        if not email:
            return None  # profiles made from tokens without an email share the empty one
        for profile in self._tx.read("profiles").values():
            if profile.email == email:
                return replace(profile)  # type: ignore[no-any-return]
        return None

    async def add(self, profile: Profile) -> None:
        if profile.id in self._tx.read("profiles") or await self.get_by_email(profile.email):
            raise DuplicateKey("email")
        self._tx.write("profiles")[profile.id] = replace(profile)

    async def update(self, profile: Profile) -> None:
        self._tx.write("profiles")[profile.id] = replace(profile)

    async def active_agents(self, department_id: UUID) -> list[Profile]:
        return sorted(
            (
                replace(p)
                for p in self._tx.read("profiles").values()
                if p.role is Role.AGENT and p.is_active and p.department_id == department_id
            ),
            key=lambda p: p.id.int,
        )

    async def active_admins(self) -> list[Profile]:
        return sorted(
            (
                replace(p)
                for p in self._tx.read("profiles").values()
                if p.role is Role.ADMIN and p.is_active
            ),
            key=lambda p: p.id.int,
        )

    async def search(
        self,
        *,
        role: Role | None,
        department_id: UUID | None,
        text: str | None,
        after: Position | None,
        limit: int,
    ) -> list[Profile]:
        needle = text.casefold() if text else None
        rows = [
            p
            for p in self._tx.read("profiles").values()
            if (role is None or p.role is role)
            and (department_id is None or p.department_id == department_id)
            and (needle is None or needle in p.email.casefold() or needle in p.full_name.casefold())
        ]
        return [replace(p) for p in newest_first_after(rows, after)[:limit]]


class MemoryDepartmentRepository:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    async def get(self, department_id: UUID) -> Department | None:
        department = self._tx.read("departments").get(department_id)
        return replace(department) if department else None

    async def all(self) -> list[Department]:
        return sorted(
            (replace(d) for d in self._tx.read("departments").values()), key=lambda d: d.slug
        )

    async def add(self, department: Department) -> None:
        if any(d.slug == department.slug for d in self._tx.read("departments").values()):
            raise DuplicateKey("slug")
        self._tx.write("departments")[department.id] = replace(department)

    async def update(self, department: Department) -> None:
        self._tx.write("departments")[department.id] = replace(department)


class MemoryAssignmentRepository:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def _load(self, agent_id: UUID) -> int:
        return sum(
            1
            for t in self._tx.read("tickets").values()
            if t.assigned_agent_id == agent_id and t.status in ACTIVE_STATUSES
        )

    def _at_risk(self, agent_id: UUID, at: datetime | None) -> int:
        if at is None:
            return 0
        return sum(
            1
            for t in self._tx.read("tickets").values()
            if t.assigned_agent_id == agent_id
            and t.status in ACTIVE_STATUSES
            and sla_state(t.clock, at) is SlaState.AT_RISK
        )

    async def loads(self, department_id: UUID, *, at: datetime | None = None) -> list[AgentLoad]:
        # The store's single-writer lock already serializes choices.
        return [
            AgentLoad(replace(p), self._load(p.id), self._at_risk(p.id, at))
            for p in self._tx.read("profiles").values()
            if p.role is Role.AGENT and p.department_id == department_id
        ]

    async def load_of(self, agent_id: UUID) -> AgentLoad | None:
        profile = self._tx.read("profiles").get(agent_id)
        return AgentLoad(replace(profile), self._load(agent_id)) if profile else None

    async def mark_assigned(self, agent_id: UUID, at: datetime) -> None:
        profiles = self._tx.write("profiles")
        if agent_id in profiles:
            profiles[agent_id] = replace(profiles[agent_id], last_assigned_at=at)


class MemoryCommentRepository:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    async def add(self, comment: Comment) -> None:
        self._tx.write("comments")[comment.id] = comment

    async def list(
        self, ticket_id: UUID, *, include_internal: bool, after: Position | None, limit: int
    ) -> list[Comment]:
        rows = [
            c
            for c in self._tx.read("comments").values()
            if c.ticket_id == ticket_id and (include_internal or not c.internal)
        ]
        return oldest_first_after(rows, after)[:limit]


class MemoryAuditRepository:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    async def add_all(self, entries: list[AuditEntry]) -> None:
        table = self._tx.write("audit")
        for entry in entries:
            table[entry.id] = entry

    async def for_ticket(
        self, ticket_id: UUID, *, after: Position | None, limit: int
    ) -> list[AuditEntry]:
        rows = [e for e in self._tx.read("audit").values() if e.ticket_id == ticket_id]
        return oldest_first_after(rows, after)[:limit]

    async def admin_actions(
        self, where: AdminAuditFilter, *, after: Position | None, limit: int
    ) -> list[AuditEntry]:
        rows = [
            e
            for e in self._tx.read("audit").values()
            if e.ticket_id is None
            and (where.entity_type is None or e.entity_type == where.entity_type)
            and (where.entity_id is None or e.entity_id == where.entity_id)
            and (where.actor_id is None or e.actor_id == where.actor_id)
            and (where.created_from is None or e.created_at >= where.created_from)
            and (where.created_to is None or e.created_at < where.created_to)
        ]
        return oldest_first_after(rows, after)[:limit]


class MemoryNotificationRepository:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    async def add_all(self, notifications: list[Notification]) -> None:
        table = self._tx.write("notifications")
        for notification in notifications:
            table[notification.id] = notification

    async def for_user(
        self, user_id: UUID, *, unread_only: bool, after: Position | None, limit: int
    ) -> list[Notification]:
        rows = [
            n
            for n in self._tx.read("notifications").values()
            if n.user_id == user_id and (not unread_only or n.read_at is None)
        ]
        return newest_first_after(rows, after)[:limit]

    async def unread_count(self, user_id: UUID) -> int:
        return sum(
            1
            for n in self._tx.read("notifications").values()
            if n.user_id == user_id and n.read_at is None
        )

    async def mark_read(
        self, user_id: UUID, notification_id: UUID, at: datetime
    ) -> Notification | None:
        found = self._tx.read("notifications").get(notification_id)
        if found is None or found.user_id != user_id:
            return None
        if found.read_at is None:
            found = replace(found, read_at=at)
            self._tx.write("notifications")[notification_id] = found
        return found  # type: ignore[no-any-return]

    async def mark_all_read(self, user_id: UUID, at: datetime) -> int:
        table = self._tx.write("notifications")
        unread = [k for k, n in table.items() if n.user_id == user_id and n.read_at is None]
        for key in unread:
            table[key] = replace(table[key], read_at=at)
        return len(unread)

    async def delete_all(self) -> int:
        deleted = len(self._tx.read("notifications"))
        self._tx.write("notifications").clear()
        return deleted


class MemoryQuickActionRepository:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    async def all(self) -> list[QuickAction]:
        return sorted(self._tx.read("quick_actions").values(), key=lambda a: (a.position, a.id.int))

    async def get(self, action_id: UUID) -> QuickAction | None:
        return self._tx.read("quick_actions").get(action_id)

    async def add(self, action: QuickAction) -> None:
        self._tx.write("quick_actions")[action.id] = action

    async def update(self, action: QuickAction) -> None:
        self._tx.write("quick_actions")[action.id] = action

    async def delete(self, action_id: UUID) -> bool:
        return self._tx.write("quick_actions").pop(action_id, None) is not None

    async def replace_all(self, actions: list[QuickAction]) -> None:
        table = self._tx.write("quick_actions")
        table.clear()
        table.update({a.id: a for a in actions})


class MemoryCredentialRepository:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    async def add(self, credential: Credential) -> None:
        table = self._tx.read("credentials")
        if credential.user_id in table or await self.get_by_email(credential.email):
            raise DuplicateKey("email")
        self._tx.write("credentials")[credential.user_id] = credential

    async def get_by_email(self, email: str) -> Credential | None:
        return next((c for c in self._tx.read("credentials").values() if c.email == email), None)

    async def get(self, user_id: UUID) -> Credential | None:
        return self._tx.read("credentials").get(user_id)

    async def update(self, credential: Credential) -> None:
        self._tx.write("credentials")[credential.user_id] = credential

    async def count_failure(self, user_id: UUID) -> int:
        table = self._tx.write("credentials")
        counted = replace(table[user_id], failed_logins=table[user_id].failed_logins + 1)
        table[user_id] = counted
        return int(counted.failed_logins)


class MemoryRoutingThresholdRepository:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    async def all(self) -> list[StoredThreshold]:
        return sorted(self._tx.read("routing_thresholds").values(), key=lambda t: str(t.category))

    async def replace_all(self, thresholds: list[StoredThreshold]) -> None:
        table = self._tx.write("routing_thresholds")
        table.clear()
        table.update({t.category: t for t in thresholds})


class MemoryIdempotencyRepository:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    async def get(
        self, submitter_id: UUID, key: str, *, since: datetime
    ) -> IdempotencyRecord | None:
        record = self._tx.read("idempotency").get((submitter_id, key))
        return record if record is not None and record.created_at >= since else None

    async def claim(self, record: IdempotencyRecord, *, since: datetime) -> None:
        if await self.get(record.submitter_id, record.key, since=since) is not None:
            raise DuplicateIdempotencyKey(record.key)
        self._tx.write("idempotency")[(record.submitter_id, record.key)] = record
