"""Who may see and change what (docs/rules.md, "Visibility and permissions")."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from helpdesk.domain.errors import Forbidden, NotFound
from helpdesk.domain.people import Actor
from helpdesk.domain.taxonomy import Role
from helpdesk.domain.ticket import Ticket

STAFF: frozenset[Role] = frozenset({Role.AGENT, Role.ADMIN})
EVERYONE: frozenset[Role] = frozenset(Role)
ADMINS: frozenset[Role] = frozenset({Role.ADMIN})


def require_active(actor: Actor) -> None:
    if not actor.is_active:
        raise Forbidden("this account is deactivated")


def require_role(actor: Actor, allowed: frozenset[Role]) -> None:
    """The role check, made before anything about the target is looked at."""
    require_active(actor)
    if actor.role not in allowed:
        raise Forbidden(f"the {actor.role} role may not do this")


@dataclass(frozen=True, slots=True)
class TicketScope:
    """The tickets a caller can see: everything, or the union of the conditions that are set."""

    everything: bool = False
    submitter_id: UUID | None = None
    department_id: UUID | None = None
    assignee_id: UUID | None = None

    def contains(self, ticket: Ticket) -> bool:
        return self.everything or (
            (self.submitter_id is not None and ticket.submitter_id == self.submitter_id)
            or (self.department_id is not None and ticket.department_id == self.department_id)
            or (self.assignee_id is not None and ticket.assigned_agent_id == self.assignee_id)
        )


def visible_scope(actor: Actor) -> TicketScope:
    """Admins see all; agents their department's tickets, their assigned ones and those they
    filed themselves; end users the ones they filed."""
    if actor.role is Role.ADMIN:
        return TicketScope(everything=True)
    if actor.role is Role.AGENT:
        return TicketScope(
            submitter_id=actor.id, department_id=actor.department_id, assignee_id=actor.id
        )
    return TicketScope(submitter_id=actor.id)


def workable_scope(actor: Actor) -> TicketScope:
    """The tickets a caller may change: admins all, agents their department's and assigned."""
    if actor.role is Role.ADMIN:
        return TicketScope(everything=True)
    if actor.role is Role.AGENT:
        return TicketScope(department_id=actor.department_id, assignee_id=actor.id)
    return TicketScope()


def ensure_visible(actor: Actor, ticket: Ticket | None) -> Ticket:
    """A ticket the caller cannot see does not exist for them: 404, never 403."""
    if ticket is None or not visible_scope(actor).contains(ticket):
        raise NotFound("ticket not found")
    return ticket


def ensure_workable(actor: Actor, ticket: Ticket | None) -> Ticket:
    """Visible but not workable (an agent's own ticket in another department) is a 403."""
    ticket = ensure_visible(actor, ticket)
    if not workable_scope(actor).contains(ticket):
        raise Forbidden("you may not change tickets outside your department")
    return ticket
