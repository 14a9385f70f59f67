"""Comment rules (docs/rules.md, "Comment"): who may write internal notes, how long a body may be,
when a ticket takes no public comment, and when a comment reopens a ticket."""

from __future__ import annotations

from helpdesk.domain.errors import Conflict, Forbidden, ValidationFailed
from helpdesk.domain.people import Actor
from helpdesk.domain.permissions import STAFF, workable_scope
from helpdesk.domain.taxonomy import TicketStatus
from helpdesk.domain.ticket import Ticket

MIN_BODY = 1
MAX_BODY = 5000


def check_comment(actor: Actor, ticket: Ticket, body: str, *, internal: bool) -> str:
    """The body to store (trimmed). In docs/rules.md's order: 403 (an end user's internal note),
    422 (the body), 409 (a closed ticket takes no more public comments)."""
    if internal and not can_see_internal(actor, ticket):
        raise Forbidden("only the staff who work on this ticket may write internal notes")
    text = body.strip()
    if not MIN_BODY <= len(text) <= MAX_BODY:
        raise ValidationFailed.of("body", f"must be {MIN_BODY}–{MAX_BODY} characters")
    if not internal and ticket.status is TicketStatus.CLOSED:
        raise Conflict("a closed ticket takes no more public comments")
    return text


def can_see_internal(actor: Actor, ticket: Ticket) -> bool:
    """Internal notes are for the staff who work on the ticket: admins, its assignee and its
    department's agents. An agent who only filed the ticket (it lives in another department) is
    its requester there, with an end user's view."""
    return actor.role in STAFF and workable_scope(actor).contains(ticket)


def reopens(actor: Actor, ticket: Ticket, *, internal: bool) -> bool:
    """The submitter's public comment on a resolved ticket reopens it."""
    return (
        not internal and actor.id == ticket.submitter_id and ticket.status is TicketStatus.RESOLVED
    )
