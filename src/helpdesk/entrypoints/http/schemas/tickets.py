"""HTTP shapes (msgspec Structs): tickets, their comments and audit trail."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec

from helpdesk.domain.changes import MAX_REASON
from helpdesk.domain.classification import Classification
from helpdesk.domain.comments import MAX_BODY, MIN_BODY
from helpdesk.domain.mail.records import StoredAttachment
from helpdesk.domain.records import AuditEntry, Comment
from helpdesk.domain.sla.clock import SlaState, sla_state
from helpdesk.domain.taxonomy import Category, Channel, Priority, RoutingMode, TicketStatus
from helpdesk.domain.ticket import Ticket
from helpdesk.entrypoints.http.schemas.common import (
    UNSET,
    Description,
    Title,
    UnsetType,
    documented,
)


class TicketCreate(msgspec.Struct, forbid_unknown_fields=True):
    title: Title
    description: Description
    priority: Priority = Priority.MEDIUM


class TicketPatch(msgspec.Struct, forbid_unknown_fields=True):
    status: TicketStatus | UnsetType = UNSET
    priority: Priority | UnsetType = UNSET
    assigned_agent_id: UUID | UnsetType | None = UNSET
    department_id: UUID | UnsetType | None = UNSET


class OverrideRequest(msgspec.Struct, forbid_unknown_fields=True):
    department_id: UUID
    reason: Annotated[str, documented(1, MAX_REASON, bound=MAX_REASON)]
    assigned_agent_id: UUID | None = None
    category: Category | None = None


class CommentCreate(msgspec.Struct, forbid_unknown_fields=True):
    body: Annotated[str, documented(MIN_BODY, MAX_BODY)]
    internal: bool = False


class ScoreOut(msgspec.Struct):
    category: Category
    confidence: float


class ClassificationOut(msgspec.Struct):
    category: Category
    confidence: float
    scores: list[ScoreOut]
    model: str
    classified_at: datetime


class TicketOut(msgspec.Struct):
    id: UUID
    number: int
    title: str
    description: str
    status: TicketStatus
    priority: Priority
    submitter_id: UUID
    department_id: UUID | None
    assigned_agent_id: UUID | None
    classification: ClassificationOut | None
    routing_mode: RoutingMode
    routing_confidence: float | None
    routing_reason: str
    routing_overridden: bool
    human_category: Category | None
    human_category_by: UUID | None
    human_category_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None
    first_response_due_at: datetime | None
    resolution_due_at: datetime | None
    first_responded_at: datetime | None
    sla_state: SlaState | None
    channel: Channel


class TicketList(msgspec.Struct):
    items: list[TicketOut]
    next_cursor: str | None


class CommentOut(msgspec.Struct):
    id: UUID
    ticket_id: UUID
    author_id: UUID
    body: str
    internal: bool
    created_at: datetime


class AttachmentOut(msgspec.Struct):
    id: UUID
    ticket_id: UUID
    comment_id: UUID | None
    filename: str
    content_type: str
    size: int
    created_at: datetime


class AttachmentList(msgspec.Struct):
    items: list[AttachmentOut]


def attachment_out(a: StoredAttachment) -> AttachmentOut:
    return AttachmentOut(
        a.id, a.ticket_id, a.comment_id, a.filename, a.content_type, a.size, a.created_at
    )


class CommentList(msgspec.Struct):
    items: list[CommentOut]
    next_cursor: str | None


class AuditOut(msgspec.Struct):
    id: UUID
    ticket_id: UUID | None
    actor_id: UUID | None
    action: str
    metadata: dict[str, Any]
    created_at: datetime


class AuditList(msgspec.Struct):
    items: list[AuditOut]
    next_cursor: str | None


def classification_out(c: Classification | None) -> ClassificationOut | None:
    if c is None:
        return None
    return ClassificationOut(
        category=c.category,
        confidence=c.confidence,
        scores=[ScoreOut(s.category, s.confidence) for s in c.scores],
        model=c.model,
        classified_at=c.classified_at,
    )


def ticket_out(t: Ticket, now: datetime | None = None) -> TicketOut:
    """The ticket as clients see it; `sla_state` is its state at `now` (the response's time
    unless given)."""
    clock = t.clock
    return TicketOut(
        id=t.id,
        number=t.number,
        title=t.title,
        description=t.description,
        status=t.status,
        priority=t.priority,
        submitter_id=t.submitter_id,
        department_id=t.department_id,
        assigned_agent_id=t.assigned_agent_id,
        classification=classification_out(t.classification),
        routing_mode=t.routing_mode,
        routing_confidence=t.routing_confidence,
        routing_reason=t.routing_reason,
        routing_overridden=t.routing_overridden,
        human_category=t.human_category,
        human_category_by=t.human_category_by,
        human_category_at=t.human_category_at,
        version=t.version,
        created_at=t.created_at,
        updated_at=t.updated_at,
        resolved_at=t.resolved_at,
        first_response_due_at=clock.first_response_due_at,
        resolution_due_at=clock.resolution_due_at,
        first_responded_at=clock.first_responded_at,
        sla_state=sla_state(clock, now or datetime.now(UTC)),
        channel=t.channel,
    )


def comment_out(c: Comment) -> CommentOut:
    return CommentOut(c.id, c.ticket_id, c.author_id, c.body, c.internal, c.created_at)


def audit_out(e: AuditEntry) -> AuditOut:
    return AuditOut(e.id, e.ticket_id, e.actor_id, e.action, e.metadata, e.created_at)
