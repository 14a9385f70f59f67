"""Who is told what, in Arabic (docs/rules.md, "Notifications").

Each function returns the notices one event causes; the actor never gets one for their own
action, except the two receipts (the submitter's on creation, the actor's on an override).
Groups of people (a department's agents, the admins) are named here as an `Audience`; the use
case looks its members up and passes them back as `watchers`. `deliver` turns notices into the
notifications the use case stores.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from helpdesk.domain.records import Notification
from helpdesk.domain.taxonomy import TicketStatus
from helpdesk.domain.ticket import Ticket

STATUS_NAMES: dict[TicketStatus, str] = {
    TicketStatus.TRIAGE: "بانتظار الفرز",
    TicketStatus.OPEN: "مفتوحة",
    TicketStatus.IN_PROGRESS: "قيد المعالجة",
    TicketStatus.WAITING: "بانتظار الرد",
    TicketStatus.RESOLVED: "محلولة",
    TicketStatus.CLOSED: "مغلقة",
}


@dataclass(frozen=True, slots=True)
class Notice:
    user_id: UUID
    kind: str
    title: str
    body: str


@dataclass(frozen=True, slots=True)
class Audience:
    """A group to tell: a department's active agents, the active admins, or nobody."""

    department_id: UUID | None = None
    admins: bool = False


NOBODY = Audience()


def pickup_audience(ticket: Ticket) -> Audience:
    """Who picks up a ticket nobody is assigned to: its department's agents, or the admins when
    it has no department (triage). An assigned ticket has its assignee instead."""
    if ticket.assigned_agent_id is not None:
        return NOBODY
    if ticket.department_id is not None:
        return Audience(department_id=ticket.department_id)
    return Audience(admins=True)


def comment_audience(ticket: Ticket, *, author_id: UUID, internal: bool) -> Audience:
    """A submitter's public comment on an unassigned ticket goes to whoever picks it up."""
    if internal or author_id != ticket.submitter_id:
        return NOBODY
    return pickup_audience(ticket)


def deliver(
    notices: list[Notice], *, ticket_id: UUID | None, now: datetime, new_id: Callable[[], UUID]
) -> list[Notification]:
    """The notifications to store for these notices."""
    return [
        Notification(
            id=new_id(),
            user_id=n.user_id,
            ticket_id=ticket_id,
            kind=n.kind,
            title=n.title,
            body=n.body,
            created_at=now,
        )
        for n in notices
    ]


def _ref(ticket: Ticket) -> str:
    return f"#{ticket.number} «{ticket.title}»"


def _to(
    users: Iterable[UUID | None], actor_id: UUID | None, kind: str, title: str, body: str
) -> list[Notice]:
    seen: set[UUID] = set()
    notices = []
    for user in users:
        if user is None or user == actor_id or user in seen:
            continue
        seen.add(user)
        notices.append(Notice(user, kind, title, body))
    return notices


def merge(*groups: list[Notice]) -> list[Notice]:
    """Concatenate notices, dropping a repeat of the same kind to the same person."""
    seen: set[tuple[UUID, str]] = set()
    merged = []
    for notice in (n for group in groups for n in group):
        if (notice.user_id, notice.kind) not in seen:
            seen.add((notice.user_id, notice.kind))
            merged.append(notice)
    return merged


def on_created(ticket: Ticket, watchers: list[UUID]) -> list[Notice]:
    """`watchers`: the members of the ticket's `pickup_audience`."""
    receipt = Notice(
        ticket.submitter_id,
        "ticket_created",
        f"تم استلام تذكرتك {_ref(ticket)}",
        f"استلمنا تذكرتك وحالتها الآن: {STATUS_NAMES[ticket.status]}.",
    )
    actor = ticket.submitter_id
    if ticket.assigned_agent_id is not None:
        others = _to(
            [ticket.assigned_agent_id],
            actor,
            "ticket_assigned",
            f"أُسندت إليك التذكرة {_ref(ticket)}",
            "أُسندت إليك تذكرة جديدة تلقائيًا.",
        )
    elif ticket.department_id is not None:
        others = _to(
            watchers,
            actor,
            "department_queue",
            f"تذكرة جديدة في قسمك {_ref(ticket)}",
            "وصلت تذكرة جديدة إلى قائمة قسمك ولم تُسند إلى أحد بعد.",
        )
    else:
        others = on_sent_to_triage(ticket, watchers, actor)
    return merge([receipt], others)


def on_sent_to_triage(ticket: Ticket, admins: list[UUID], actor_id: UUID | None) -> list[Notice]:
    """A ticket with no department waits for an admin to route it."""
    return _to(
        admins,
        actor_id,
        "triage_needed",
        f"تذكرة بحاجة إلى فرز {_ref(ticket)}",
        "لم يُحدَّد قسم لهذه التذكرة وهي بانتظار الفرز اليدوي.",
    )


def on_status_changed(ticket: Ticket, old: TicketStatus, actor_id: UUID | None) -> list[Notice]:
    return _to(
        [ticket.submitter_id, ticket.assigned_agent_id],
        actor_id,
        "status_changed",
        f"تغيّرت حالة التذكرة {_ref(ticket)}",
        f"تغيّرت الحالة من «{STATUS_NAMES[old]}» إلى «{STATUS_NAMES[ticket.status]}».",
    )


def on_assigned(ticket: Ticket, actor_id: UUID | None) -> list[Notice]:
    return _to(
        [ticket.assigned_agent_id],
        actor_id,
        "ticket_assigned",
        f"أُسندت إليك التذكرة {_ref(ticket)}",
        "أصبحت مسؤولًا عن متابعة هذه التذكرة.",
    )


def on_department_changed(
    ticket: Ticket, watchers: list[UUID], actor_id: UUID | None
) -> list[Notice]:
    """Only when nobody is assigned: the new department's queue (`watchers`) is told."""
    if ticket.assigned_agent_id is not None or ticket.department_id is None:
        return []
    return _to(
        watchers,
        actor_id,
        "department_queue",
        f"تذكرة جديدة في قسمك {_ref(ticket)}",
        "نُقلت هذه التذكرة إلى قائمة قسمك ولم تُسند إلى أحد بعد.",
    )


def on_overridden(ticket: Ticket, actor_id: UUID, reason: str) -> list[Notice]:
    submitter = _to(
        [ticket.submitter_id],
        actor_id,
        "routing_overridden",
        f"أُعيد توجيه تذكرتك {_ref(ticket)}",
        f"أعاد أحد أعضاء فريق الدعم توجيه تذكرتك. السبب: {reason}",
    )
    receipt = [
        Notice(
            actor_id,
            "override_receipt",
            f"تم تعديل توجيه التذكرة {_ref(ticket)}",
            f"سُجّل تعديل التوجيه الذي أجريته. السبب: {reason}",
        )
    ]
    return merge(submitter, receipt, on_assigned(ticket, actor_id))


def on_comment(
    ticket: Ticket, *, author_id: UUID, internal: bool, watchers: list[UUID]
) -> list[Notice]:
    """`watchers`: the members of the comment's `comment_audience`."""
    if internal:
        return _to(
            [ticket.assigned_agent_id],
            author_id,
            "internal_note",
            f"ملاحظة داخلية على التذكرة {_ref(ticket)}",
            "أُضيفت ملاحظة داخلية إلى تذكرة مسندة إليك.",
        )
    if author_id == ticket.submitter_id:
        helpers = [ticket.assigned_agent_id] if ticket.assigned_agent_id else list(watchers)
        return _to(
            helpers,
            author_id,
            "comment_added",
            f"رد جديد من مقدّم التذكرة {_ref(ticket)}",
            "أضاف مقدّم التذكرة تعليقًا جديدًا.",
        )
    return _to(
        [ticket.submitter_id],
        author_id,
        "comment_added",
        f"رد جديد على تذكرتك {_ref(ticket)}",
        "أضاف فريق الدعم ردًا جديدًا على تذكرتك.",
    )


def on_released(ticket: Ticket, watchers: list[UUID]) -> list[Notice]:
    """An agent left: the ticket's new assignee, or its department's queue, is told."""
    if ticket.assigned_agent_id is not None:
        return on_assigned(ticket, None)
    return on_department_changed(ticket, watchers, None)
