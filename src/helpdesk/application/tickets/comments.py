"""Comments and internal notes; a submitter's public comment reopens a resolved ticket."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from helpdesk.application.context import Context
from helpdesk.application.pagination import Page, check_limit, decode_cursor, page_of
from helpdesk.application.ports.storage import Position
from helpdesk.application.tickets.assigning import reassign_if_ineligible
from helpdesk.application.tickets.common import record, save
from helpdesk.domain import audit, notices
from helpdesk.domain.changes import Outcome, diff, reopen_by_submitter
from helpdesk.domain.errors import Conflict, Forbidden, ValidationFailed
from helpdesk.domain.people import Actor
from helpdesk.domain.permissions import EVERYONE, STAFF, ensure_visible, require_role
from helpdesk.domain.records import Comment
from helpdesk.domain.taxonomy import Role, TicketStatus

MAX_BODY = 5000


@dataclass(frozen=True, slots=True)
class AddComment:
    ticket_id: UUID
    body: str
    internal: bool = False


class AddCommentUseCase:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    async def execute(self, actor: Actor, command: AddComment) -> Comment:
        require_role(actor, EVERYONE)
        ctx = self._ctx
        async with ctx.uow() as uow:
            ticket = ensure_visible(actor, await uow.tickets.get(command.ticket_id))
            if command.internal and actor.role not in STAFF:
                raise Forbidden("only agents and admins may write internal notes")
            body = command.body.strip()
            if not 1 <= len(body) <= MAX_BODY:
                raise ValidationFailed.of("body", f"must be 1–{MAX_BODY} characters")
            if not command.internal and ticket.status is TicketStatus.CLOSED:
                raise Conflict("a closed ticket takes no more public comments")
            now = ctx.clock.now()
            comment = Comment(ctx.ids.new_id(), ticket.id, actor.id, body, command.internal, now)
            await uow.comments.add(comment)
            facts = [audit.comment_added(comment.id, comment.internal)]
            outcome = Outcome(ticket)
            if (
                not command.internal
                and actor.id == ticket.submitter_id
                and ticket.status is TicketStatus.RESOLVED
            ):
                outcome = reopen_by_submitter(ticket, now)
                after = outcome.ticket
                await reassign_if_ineligible(uow, after, now)
                outcome.changes = diff(ticket, after)
                if outcome.assignee_change is not None and after.assigned_agent_id is not None:
                    await uow.assignment.mark_assigned(after.assigned_agent_id, now)
                await save(uow, ticket, after, None)
                facts += audit.assignment_facts(outcome.changes, "reopen")
            agents = []
            if (
                not command.internal
                and actor.id == ticket.submitter_id
                and outcome.ticket.assigned_agent_id is None
                and outcome.ticket.department_id is not None
            ):
                agents = [
                    p.id for p in await uow.profiles.active_agents(outcome.ticket.department_id)
                ]
            told = notices.on_comment(
                outcome.ticket,
                author_id=actor.id,
                internal=command.internal,
                department_agents=agents,
            )
            await record(ctx, uow, outcome, facts, actor.id, extra_notices=told)
            await uow.commit()
        return comment


@dataclass(frozen=True, slots=True)
class ListComments:
    ticket_id: UUID
    limit: int | None = None
    cursor: str | None = None


class ListCommentsUseCase:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    async def execute(self, actor: Actor, query: ListComments) -> Page[Comment]:
        require_role(actor, EVERYONE)
        limit = check_limit(query.limit)
        include_internal = actor.role is not Role.END_USER
        filters = {"ticket": str(query.ticket_id), "internal": include_internal}
        async with self._ctx.uow() as uow:
            ensure_visible(actor, await uow.tickets.get(query.ticket_id))
            after = decode_cursor(query.cursor, filters)
            rows = await uow.comments.list(
                query.ticket_id, include_internal=include_internal, after=after, limit=limit + 1
            )
        return page_of(rows, limit, filters, lambda c: Position(c.created_at, c.id))
