"""Rows ↔ entities, by hand (architecture.md: Core tables, no ORM)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import RowMapping

from helpdesk.application.ports.storage.people import Credential
from helpdesk.domain.arabic import fold
from helpdesk.domain.classification import CategoryScore, Classification
from helpdesk.domain.departments import Department
from helpdesk.domain.mail.records import (
    InboundOutcome,
    InboundRecord,
    OutboxMail,
    OutboxStatus,
    StoredAttachment,
)
from helpdesk.domain.people import Profile
from helpdesk.domain.records import AuditEntry, Comment, Notification, QuickAction
from helpdesk.domain.sla.clock import CROSSINGS, SlaClock, SlaTargets, next_check_at
from helpdesk.domain.taxonomy import Category, Channel, Priority, Role, RoutingMode, TicketStatus
from helpdesk.domain.ticket import Ticket

# Stored values to enum members by dictionary: calling the enum class costs ten times as much,
# and a list of tickets converts hundreds of values.
_CATEGORY = {c.value: c for c in Category}
_STATUS = {s.value: s for s in TicketStatus}
_PRIORITY = {p.value: p for p in Priority}
_MODE = {m.value: m for m in RoutingMode}
_CHANNEL = {c.value: c for c in Channel}


def classification_to_json(c: Classification | None) -> dict[str, Any] | None:
    if c is None:
        return None
    return {
        "category": str(c.category),
        "confidence": c.confidence,
        "scores": [[str(s.category), s.confidence] for s in c.scores],
        "model": c.model,
        "classified_at": c.classified_at.isoformat(),
    }


def classification_from_json(data: dict[str, Any] | None) -> Classification | None:
    if data is None:
        return None
    return Classification(
        category=_CATEGORY[data["category"]],
        confidence=float(data["confidence"]),
        scores=tuple(CategoryScore(_CATEGORY[c], float(p)) for c, p in data["scores"]),
        model=data["model"],
        classified_at=datetime.fromisoformat(data["classified_at"]),
    )


def ticket_values(t: Ticket) -> dict[str, Any]:
    return {
        "id": t.id,
        "title": t.title,
        "description": t.description,
        "search_text": fold(f"{t.title} {t.description}"),
        "status": str(t.status),
        "priority": str(t.priority),
        "submitter_id": t.submitter_id,
        "department_id": t.department_id,
        "assigned_agent_id": t.assigned_agent_id,
        "classification": classification_to_json(t.classification),
        "category": str(t.classification.category) if t.classification else None,
        "routing_mode": str(t.routing_mode),
        "routing_confidence": t.routing_confidence,
        "routing_reason": t.routing_reason,
        "routing_overridden": t.routing_overridden,
        "router_mode": str(t.router_mode),
        "version": t.version,
        "created_at": t.created_at,
        "updated_at": t.updated_at,
        "resolved_at": t.resolved_at,
        **sla_values(t.clock),
        "channel": str(t.channel),
        "human_category": str(t.human_category) if t.human_category else None,
        "human_category_by": t.human_category_by,
        "human_category_at": t.human_category_at,
        "moved_by_human": t.moved_by_human,
        "router_shadow": t.router_shadow,
    }


def _micros(d: timedelta | None) -> int | None:
    return None if d is None else d // timedelta(microseconds=1)


def sla_values(c: SlaClock) -> dict[str, Any]:
    """The clock as plain columns (docs/sla.md, "What the storage side can compute from it");
    its start is the ticket's created_at and its resolution instant the ticket's resolved_at."""
    targets = c.targets
    return {
        "sla_policy_id": targets.policy_id if targets else None,
        "sla_first_response_minutes": targets.first_response_minutes if targets else None,
        "sla_resolution_minutes": targets.resolution_minutes if targets else None,
        "sla_warning_percent": targets.warning_percent if targets else None,
        "first_response_warn_at": c.first_response_warn_at,
        "first_response_due_at": c.first_response_due_at,
        "resolution_warn_at": c.resolution_warn_at,
        "resolution_due_at": c.resolution_due_at,
        "first_responded_at": c.first_responded_at,
        "sla_paused_since": c.paused_since,
        "sla_paused_us": _micros(c.paused),
        "first_response_working_us": _micros(c.first_response_working),
        "resolution_working_us": _micros(c.resolution_working),
        "sla_acted": sum(1 << i for i, crossing in enumerate(CROSSINGS) if crossing in c.acted),
        "sla_next_check_at": next_check_at(c),
    }


def _duration(micros: int | None) -> timedelta | None:
    return None if micros is None else timedelta(microseconds=micros)


def sla_from(row: RowMapping) -> SlaClock:
    targets = None
    if row["sla_policy_id"] is not None:
        targets = SlaTargets(
            row["sla_policy_id"],
            row["sla_first_response_minutes"],
            row["sla_resolution_minutes"],
            row["sla_warning_percent"],
        )
    acted = int(row["sla_acted"])
    return SlaClock(
        started_at=row["created_at"],
        targets=targets,
        first_response_warn_at=row["first_response_warn_at"],
        first_response_due_at=row["first_response_due_at"],
        resolution_warn_at=row["resolution_warn_at"],
        resolution_due_at=row["resolution_due_at"],
        first_responded_at=row["first_responded_at"],
        resolved_at=row["resolved_at"],
        paused_since=row["sla_paused_since"],
        paused=timedelta(microseconds=int(row["sla_paused_us"])),
        first_response_working=_duration(row["first_response_working_us"]),
        resolution_working=_duration(row["resolution_working_us"]),
        acted=frozenset(c for i, c in enumerate(CROSSINGS) if acted >> i & 1),
    )


def ticket_from(row: RowMapping) -> Ticket:
    return Ticket(
        id=row["id"],
        number=int(row["number"]),
        title=row["title"],
        description=row["description"],
        status=_STATUS[row["status"]],
        priority=_PRIORITY[row["priority"]],
        submitter_id=row["submitter_id"],
        department_id=row["department_id"],
        assigned_agent_id=row["assigned_agent_id"],
        classification=classification_from_json(row["classification"]),
        routing_mode=_MODE[row["routing_mode"]],
        routing_confidence=row["routing_confidence"],
        routing_reason=row["routing_reason"],
        routing_overridden=row["routing_overridden"],
        router_mode=_MODE[row["router_mode"]],
        version=row["version"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        resolved_at=row["resolved_at"],
        sla=sla_from(row),
        channel=_CHANNEL[row["channel"]],
        human_category=_CATEGORY[row["human_category"]] if row["human_category"] else None,
        human_category_by=row["human_category_by"],
        human_category_at=row["human_category_at"],
        moved_by_human=row["moved_by_human"],
        router_shadow=row["router_shadow"],
    )


def profile_values(p: Profile) -> dict[str, Any]:
    return {
        "id": p.id,
        "email": p.email,
        "full_name": p.full_name,
        "role": str(p.role),
        "department_id": p.department_id,
        "is_active": p.is_active,
        "is_available": p.is_available,
        "max_open_tickets": p.max_open_tickets,
        "created_at": p.created_at,
        "last_assigned_at": p.last_assigned_at,
        "email_notifications": p.email_notifications,
    }


def profile_from(row: RowMapping) -> Profile:
    return Profile(
        id=row["id"],
        email=row["email"],
        full_name=row["full_name"],
        role=Role(row["role"]),
        department_id=row["department_id"],
        is_active=row["is_active"],
        is_available=row["is_available"],
        max_open_tickets=row["max_open_tickets"],
        created_at=row["created_at"],
        last_assigned_at=row["last_assigned_at"],
        email_notifications=row["email_notifications"],
    )


def department_values(d: Department) -> dict[str, Any]:
    return {
        "id": d.id,
        "slug": d.slug,
        "name": d.name,
        "description": d.description,
        "categories": [str(c) for c in d.categories],
        "is_active": d.is_active,
        "created_at": d.created_at,
    }


def department_from(row: RowMapping) -> Department:
    return Department(
        id=row["id"],
        slug=row["slug"],
        name=row["name"],
        description=row["description"],
        categories=tuple(Category(c) for c in row["categories"]),
        is_active=row["is_active"],
        created_at=row["created_at"],
    )


def comment_from(row: RowMapping) -> Comment:
    return Comment(
        row["id"],
        row["ticket_id"],
        row["author_id"],
        row["body"],
        row["internal"],
        row["created_at"],
    )


def audit_values(e: AuditEntry) -> dict[str, Any]:
    return {
        "id": e.id,
        "ticket_id": e.ticket_id,
        "actor_id": e.actor_id,
        "action": e.action,
        "metadata": e.metadata,
        "created_at": e.created_at,
        "entity_type": e.entity_type,
        "entity_id": e.entity_id,
    }


def audit_from(row: RowMapping) -> AuditEntry:
    return AuditEntry(
        id=row["id"],
        actor_id=row["actor_id"],
        action=row["action"],
        metadata=row["metadata"],
        created_at=row["created_at"],
        ticket_id=row["ticket_id"],
        entity_type=row["entity_type"],
        entity_id=row["entity_id"],
    )


def notification_values(n: Notification) -> dict[str, Any]:
    return {
        "id": n.id,
        "user_id": n.user_id,
        "ticket_id": n.ticket_id,
        "kind": n.kind,
        "title": n.title,
        "body": n.body,
        "read_at": n.read_at,
        "created_at": n.created_at,
    }


def notification_from(row: RowMapping) -> Notification:
    return Notification(
        id=row["id"],
        user_id=row["user_id"],
        ticket_id=row["ticket_id"],
        kind=row["kind"],
        title=row["title"],
        body=row["body"],
        created_at=row["created_at"],
        read_at=row["read_at"],
    )


def quick_action_values(a: QuickAction) -> dict[str, Any]:
    return {
        "id": a.id,
        "label": a.label,
        "title": a.title,
        "description": a.description,
        "category": str(a.category) if a.category else None,
        "priority": str(a.priority),
        "icon": a.icon,
        "position": a.position,
    }


def quick_action_from(row: RowMapping) -> QuickAction:
    return QuickAction(
        id=row["id"],
        label=row["label"],
        title=row["title"],
        description=row["description"],
        category=Category(row["category"]) if row["category"] else None,
        priority=_PRIORITY[row["priority"]],
        icon=row["icon"],
        position=row["position"],
    )


def credential_from(row: RowMapping) -> Credential:
    return Credential(
        row["user_id"],
        row["email"],
        row["password_hash"],
        row["disabled"],
        row["failed_logins"],
        row["locked_until"],
    )


def inbound_values(r: InboundRecord) -> dict[str, Any]:
    return {
        "id": r.id,
        "message_id": r.message_id,
        "outcome": str(r.outcome),
        "sender_address": r.sender_address,
        "subject": r.subject,
        "created_at": r.created_at,
        "ticket_id": r.ticket_id,
        "comment_id": r.comment_id,
        "reason": r.reason,
        "body": r.body,
    }


def inbound_from(row: RowMapping) -> InboundRecord:
    return InboundRecord(
        id=row["id"],
        message_id=row["message_id"],
        outcome=InboundOutcome(row["outcome"]),
        sender_address=row["sender_address"],
        subject=row["subject"],
        created_at=row["created_at"],
        ticket_id=row["ticket_id"],
        comment_id=row["comment_id"],
        reason=row["reason"],
        body=row["body"],
    )


def outbox_values(m: OutboxMail) -> dict[str, Any]:
    return {
        "id": m.id,
        "kind": m.kind,
        "user_id": m.user_id,
        "to_address": m.to_address,
        "to_name": m.to_name,
        "subject": m.subject,
        "heading": m.heading,
        "body": m.body,
        "ticket_id": m.ticket_id,
        "ticket_number": m.ticket_number,
        "in_reply_to": m.in_reply_to,
        "references": list(m.references),
        "status": str(m.status),
        "attempts": m.attempts,
        "next_attempt_at": m.next_attempt_at,
        "last_error": m.last_error,
        "created_at": m.created_at,
        "sent_at": m.sent_at,
    }


def outbox_from(row: RowMapping) -> OutboxMail:
    return OutboxMail(
        id=row["id"],
        kind=row["kind"],
        user_id=row["user_id"],
        to_address=row["to_address"],
        to_name=row["to_name"],
        subject=row["subject"],
        heading=row["heading"],
        body=row["body"],
        ticket_id=row["ticket_id"],
        ticket_number=row["ticket_number"],
        in_reply_to=row["in_reply_to"],
        references=tuple(row["references"]),
        status=OutboxStatus(row["status"]),
        attempts=row["attempts"],
        next_attempt_at=row["next_attempt_at"],
        last_error=row["last_error"],
        created_at=row["created_at"],
        sent_at=row["sent_at"],
    )


def attachment_values(a: StoredAttachment) -> dict[str, Any]:
    return {
        "id": a.id,
        "ticket_id": a.ticket_id,
        "comment_id": a.comment_id,
        "filename": a.filename,
        "content_type": a.content_type,
        "size": a.size,
        "key": a.key,
        "created_at": a.created_at,
    }


def attachment_from(row: RowMapping) -> StoredAttachment:
    return StoredAttachment(
        id=row["id"],
        ticket_id=row["ticket_id"],
        comment_id=row["comment_id"],
        filename=row["filename"],
        content_type=row["content_type"],
        size=row["size"],
        key=row["key"],
        created_at=row["created_at"],
    )
