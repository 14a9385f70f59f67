"""Plain domain values for the domain tests: tickets in any state, profiles, actors."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from helpdesk.domain.people import Actor, Profile
from helpdesk.domain.taxonomy import Priority, Role, RoutingMode, TicketStatus
from helpdesk.domain.ticket import Ticket

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
IT = uuid.UUID(int=100)
FINANCE = uuid.UUID(int=200)
SUBMITTER = uuid.UUID(int=1)
AGENT = uuid.UUID(int=2)
OTHER_AGENT = uuid.UUID(int=3)
ADMIN = uuid.UUID(int=4)


def ticket(**kw: Any) -> Ticket:
    fields: dict[str, Any] = dict(
        id=uuid.UUID(int=999),
        number=7,
        title="الطابعة لا تعمل",
        description="الطابعة في الطابق الثاني لا تطبع",
        status=TicketStatus.OPEN,
        priority=Priority.MEDIUM,
        submitter_id=SUBMITTER,
        department_id=IT,
        assigned_agent_id=AGENT,
        classification=None,
        routing_mode=RoutingMode.AUTO,
        routing_confidence=0.9,
        routing_reason="auto",
        routing_overridden=False,
        router_mode=RoutingMode.AUTO,
        version=1,
        created_at=NOW,
        updated_at=NOW,
    )
    fields.update(kw)
    return Ticket(**fields)


def actor(role: Role, user_id: uuid.UUID, department: uuid.UUID | None = None) -> Actor:
    return Actor(id=user_id, role=role, department_id=department)


SUBMITTER_ACTOR = actor(Role.END_USER, SUBMITTER)
IT_AGENT = actor(Role.AGENT, AGENT, IT)
FINANCE_AGENT = actor(Role.AGENT, OTHER_AGENT, FINANCE)
ADMIN_ACTOR = actor(Role.ADMIN, ADMIN)


def profile(user_id: uuid.UUID, role: Role = Role.AGENT, **kw: Any) -> Profile:
    fields: dict[str, Any] = dict(
        email=f"u{user_id.int}@example.com",
        full_name="موظف",
        role=role,
        department_id=IT if role is Role.AGENT else None,
        is_active=True,
        is_available=True,
        max_open_tickets=None,
        created_at=NOW,
    )
    fields.update(kw)
    return Profile(id=user_id, **fields)
