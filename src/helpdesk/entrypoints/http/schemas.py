"""HTTP request and response shapes (msgspec Structs), apart from the domain's dataclasses."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec

from helpdesk.application.classify_preview import Preview
from helpdesk.domain.classification import Classification
from helpdesk.domain.people import Department, Profile
from helpdesk.domain.records import AuditEntry, Comment, Notification, QuickAction
from helpdesk.domain.taxonomy import Category, Priority, Role, RoutingMode, TicketStatus
from helpdesk.domain.ticket import Ticket

UNSET = msgspec.UNSET
UnsetType = msgspec.UnsetType
# Length limits are the domain's (with messages a client can show); these only bound the work.
Text = Annotated[str, msgspec.Meta(max_length=20_000)]


class TicketCreate(msgspec.Struct, forbid_unknown_fields=True):
    title: Text
    description: Text
    priority: Priority = Priority.MEDIUM


class TicketPatch(msgspec.Struct, forbid_unknown_fields=True):
    status: TicketStatus | UnsetType = UNSET
    priority: Priority | UnsetType = UNSET
    assigned_agent_id: UUID | UnsetType | None = UNSET
    department_id: UUID | UnsetType | None = UNSET


class OverrideRequest(msgspec.Struct, forbid_unknown_fields=True):
    department_id: UUID
    reason: Annotated[str, msgspec.Meta(max_length=1000)]
    assigned_agent_id: UUID | None = None


class CommentCreate(msgspec.Struct, forbid_unknown_fields=True):
    body: Text
    internal: bool = False


class ClassifyRequest(msgspec.Struct, forbid_unknown_fields=True):
    text: Text


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
    version: int
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None


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


class RoutingOut(msgspec.Struct):
    mode: RoutingMode
    department_id: UUID | None
    confidence: float | None
    reason: str


class ClassifyResponse(msgspec.Struct):
    classification: ClassificationOut | None
    routing: RoutingOut


class ProfileOut(msgspec.Struct):
    id: UUID
    email: str
    full_name: str
    role: Role
    department_id: UUID | None
    is_active: bool
    is_available: bool
    max_open_tickets: int | None
    created_at: datetime


class HealthOut(msgspec.Struct):
    status: str
    checks: dict[str, str]


class FieldErrorOut(msgspec.Struct):
    field: str
    message: str


class Problem(msgspec.Struct):
    """RFC 9457 problem document (`application/problem+json`)."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldErrorOut] | UnsetType = UNSET


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


def ticket_out(t: Ticket) -> TicketOut:
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
        version=t.version,
        created_at=t.created_at,
        updated_at=t.updated_at,
        resolved_at=t.resolved_at,
    )


def comment_out(c: Comment) -> CommentOut:
    return CommentOut(c.id, c.ticket_id, c.author_id, c.body, c.internal, c.created_at)


def audit_out(e: AuditEntry) -> AuditOut:
    return AuditOut(e.id, e.ticket_id, e.actor_id, e.action, e.metadata, e.created_at)


def profile_out(p: Profile) -> ProfileOut:
    return ProfileOut(
        id=p.id,
        email=p.email,
        full_name=p.full_name,
        role=p.role,
        department_id=p.department_id,
        is_active=p.is_active,
        is_available=p.is_available,
        max_open_tickets=p.max_open_tickets,
        created_at=p.created_at,
    )


def preview_out(p: Preview) -> ClassifyResponse:
    r = p.routing
    return ClassifyResponse(
        classification=classification_out(p.classification),
        routing=RoutingOut(r.mode, r.department_id, r.confidence, r.reason),
    )


class DepartmentCreate(msgspec.Struct, forbid_unknown_fields=True):
    slug: Annotated[str, msgspec.Meta(max_length=64)]
    name: Annotated[str, msgspec.Meta(max_length=120)]
    description: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    categories: list[Category] = msgspec.field(default_factory=list)


class DepartmentPatch(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(max_length=120)] | UnsetType = UNSET
    description: Annotated[str, msgspec.Meta(max_length=2000)] | UnsetType = UNSET
    categories: list[Category] | UnsetType = UNSET
    is_active: bool | UnsetType = UNSET


class DepartmentOut(msgspec.Struct):
    id: UUID
    slug: str
    name: str
    description: str
    categories: list[Category]
    is_active: bool
    created_at: datetime


class DepartmentList(msgspec.Struct):
    items: list[DepartmentOut]
    next_cursor: str | None


def department_out(d: Department) -> DepartmentOut:
    return DepartmentOut(
        d.id, d.slug, d.name, d.description, list(d.categories), d.is_active, d.created_at
    )


def unset_to_none(value: Any) -> Any:
    return None if value is UNSET else value


class NotificationOut(msgspec.Struct):
    id: UUID
    user_id: UUID
    ticket_id: UUID | None
    kind: str
    title: str
    body: str
    read_at: datetime | None
    created_at: datetime


class NotificationList(msgspec.Struct):
    items: list[NotificationOut]
    next_cursor: str | None


class CountOut(msgspec.Struct):
    count: int


class UpdatedOut(msgspec.Struct):
    updated: int


def notification_out(n: Notification) -> NotificationOut:
    return NotificationOut(
        n.id, n.user_id, n.ticket_id, n.kind, n.title, n.body, n.read_at, n.created_at
    )


Label = Annotated[str, msgspec.Meta(max_length=60)]


class QuickActionCreate(msgspec.Struct, forbid_unknown_fields=True):
    label: Label
    title: Text
    description: Text
    category: Category | None = None
    priority: Priority = Priority.MEDIUM
    icon: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    position: int | None = None


class QuickActionPatch(msgspec.Struct, forbid_unknown_fields=True):
    label: Label | UnsetType = UNSET
    title: Text | UnsetType = UNSET
    description: Text | UnsetType = UNSET
    category: Category | UnsetType | None = UNSET
    priority: Priority | UnsetType = UNSET
    icon: Annotated[str, msgspec.Meta(max_length=64)] | UnsetType | None = UNSET
    position: int | UnsetType = UNSET


class QuickActionOut(msgspec.Struct):
    id: UUID
    label: str
    title: str
    description: str
    category: Category | None
    priority: Priority
    icon: str | None
    position: int


class QuickActionList(msgspec.Struct):
    items: list[QuickActionOut]
    next_cursor: str | None


def quick_action_out(a: QuickAction) -> QuickActionOut:
    return QuickActionOut(
        a.id, a.label, a.title, a.description, a.category, a.priority, a.icon, a.position
    )


class AdminAuditOut(msgspec.Struct):
    id: UUID
    entity_type: str | None
    entity_id: UUID | None
    actor_id: UUID | None
    action: str
    metadata: dict[str, Any]
    created_at: datetime


class AdminAuditList(msgspec.Struct):
    items: list[AdminAuditOut]
    next_cursor: str | None


def admin_audit_out(e: AuditEntry) -> AdminAuditOut:
    return AdminAuditOut(
        e.id, e.entity_type, e.entity_id, e.actor_id, e.action, e.metadata, e.created_at
    )


class ModesOut(msgspec.Struct):
    auto: int
    suggested: int
    manual: int


class RoutingModesOut(msgspec.Struct):
    total: int
    modes: ModesOut
    overridden: int


class BinOut(msgspec.Struct):
    lower: float
    upper: float
    count: int


class HistogramOut(msgspec.Struct):
    bins: list[BinOut]
    unclassified: int


class CategoryCountOut(msgspec.Struct):
    category: Category
    count: int


class TaxonomyOut(msgspec.Struct):
    categories: list[CategoryCountOut]
    unclassified: int


class DepartmentRateOut(msgspec.Struct):
    department_id: UUID
    name: str
    total: int
    overridden: int
    rate: float


class OverrideRateOut(msgspec.Struct):
    departments: list[DepartmentRateOut]


class AgentWorkloadOut(msgspec.Struct):
    agent_id: UUID
    full_name: str
    department_id: UUID | None
    open: int
    in_progress: int
    waiting: int
    total_active: int


class WorkloadOut(msgspec.Struct):
    agents: list[AgentWorkloadOut]


class UserCreate(msgspec.Struct, forbid_unknown_fields=True):
    email: Annotated[str, msgspec.Meta(max_length=254)]
    full_name: Annotated[str, msgspec.Meta(max_length=120)]
    role: Role
    department_id: UUID | None = None
    password: Annotated[str, msgspec.Meta(max_length=256)] | None = None
    max_open_tickets: int | None = None


class UserPatch(msgspec.Struct, forbid_unknown_fields=True):
    full_name: Annotated[str, msgspec.Meta(max_length=120)] | UnsetType = UNSET
    role: Role | UnsetType = UNSET
    department_id: UUID | UnsetType | None = UNSET
    is_active: bool | UnsetType = UNSET
    is_available: bool | UnsetType = UNSET
    max_open_tickets: int | UnsetType | None = UNSET


class ProfileList(msgspec.Struct):
    items: list[ProfileOut]
    next_cursor: str | None


class LoginRequest(msgspec.Struct, forbid_unknown_fields=True):
    email: Annotated[str, msgspec.Meta(max_length=254)]
    password: Annotated[str, msgspec.Meta(max_length=256)]


class TokenOut(msgspec.Struct):
    access_token: str
    token_type: str
    expires_in: int
