"""Entities for storage tests, valid by the domain's rules, with what a test cares about named."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from helpdesk.domain.classification import Classification
from helpdesk.domain.departments import Department
from helpdesk.domain.people import Profile
from helpdesk.domain.permissions import TicketScope
from helpdesk.domain.routing import RoutingDecision
from helpdesk.domain.taxonomy import Category, Priority, Role, RoutingMode, TicketStatus
from helpdesk.domain.ticket import Ticket, with_status

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
EVERYTHING = TicketScope(everything=True)


def uuid_with_prefix(prefix: int) -> uuid.UUID:
    """A random UUID whose first byte is `prefix`: ids that sort far apart, either way."""
    return uuid.UUID(bytes=bytes([prefix]) + uuid.uuid4().bytes[1:])


def department(
    slug: str = "it", categories: tuple[Category, ...] = (Category.NETWORK,)
) -> Department:
    return Department(uuid.uuid4(), slug, f"قسم {slug}", "", categories, True, T0)


def profile(
    role: Role = Role.AGENT,
    department_id: uuid.UUID | None = None,
    email: str | None = None,
    **kw: Any,
) -> Profile:
    uid = kw.pop("id", None) or uuid.uuid4()
    return Profile(
        id=uid,
        email=email if email is not None else f"{uid.hex[:8]}@example.com",
        full_name=kw.pop("full_name", "موظف"),
        role=role,
        department_id=department_id,
        is_active=kw.pop("is_active", True),
        is_available=kw.pop("is_available", True),
        max_open_tickets=kw.pop("max_open_tickets", None),
        created_at=kw.pop("created_at", T0),
        **kw,
    )


def ticket(
    submitter: Profile,
    *,
    at: datetime = T0,
    title: str = "الطابعة لا تعمل",
    description: str = "الطابعة في الطابق الثاني لا تطبع أي مستند",
    confidence: float | None = 0.9,
    category: Category = Category.PRINTING,
    department_id: uuid.UUID | None = None,
    assignee: uuid.UUID | None = None,
    status: TicketStatus | None = None,
    mode: RoutingMode = RoutingMode.AUTO,
    id: uuid.UUID | None = None,
) -> Ticket:
    classification = (
        Classification.from_scores({category: confidence}, model="m", classified_at=at)
        if confidence is not None
        else None
    )
    decision = RoutingDecision(mode, department_id, confidence, "why", category)
    t = Ticket.file(
        id=id or uuid.uuid4(),
        title=title,
        description=description,
        priority=Priority.MEDIUM,
        submitter_id=submitter.id,
        classification=classification,
        decision=decision,
        assignee_id=assignee,
        now=at,
    )
    if status is not None:
        with_status(t, status, at)
        # The clock's resolution instant is the ticket's resolved_at (one column in SQL).
        t.sla = replace(t.clock, resolved_at=t.resolved_at)
    return t


def manual_ticket(submitter: Profile, **kw: Any) -> Ticket:
    """Filed without a classification: triage, no department."""
    return ticket(submitter, confidence=None, mode=RoutingMode.MANUAL, **kw)


async def seed(storage: Any, *items: Any) -> None:
    """Store departments, profiles and tickets in one committed unit of work."""
    async with storage.unit_of_work() as uow:
        for item in items:
            if isinstance(item, Department):
                await uow.departments.add(item)
            elif isinstance(item, Profile):
                await uow.profiles.add(item)
            elif isinstance(item, Ticket):
                item.number = await uow.tickets.add(item)
            else:
                raise TypeError(item)
        await uow.commit()
