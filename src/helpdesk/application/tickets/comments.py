"""Comments and internal notes; a submitter's public comment reopens a resolved ticket."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from helpdesk.application.pagination import Page, check_limit, decode_cursor, page_of
from helpdesk.application.ports.clock import Clock, IdSource
from helpdesk.application.ports.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from helpdesk.application.tickets.assigning import reassign_if_ineligible
from helpdesk.application.tickets.saving import members, record_change, save_versioned
from helpdesk.application.tickets.sla import first_response
from helpdesk.domain import audit, notices
from helpdesk.domain.changes import Outcome, diff, reopen_by_submitter
from helpdesk.domain.comments import can_see_internal, check_comment, reopens
from helpdesk.domain.people import Actor
from helpdesk.domain.permissions import EVERYONE, STAFF, ensure_visible, require_role
from helpdesk.domain.records import Comment
from helpdesk.domain.ticket import Ticket


@dataclass(frozen=True, slots=True)
class AddComment:
    ticket_id: UUID
    body: str
    internal: bool = False


# Also written inside the comment's transaction (the e-mail channel records the message).
WithinComment = Callable[[UnitOfWork, Comment], Awaitable[None]]


class AddCommentUseCase:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, ids: IdSource) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids

    async def execute(
        self, actor: Actor, command: AddComment, *, within: WithinComment | None = None
    ) -> Comment:
        require_role(actor, EVERYONE)
        async with self._uow() as uow:
            ticket = ensure_visible(actor, await uow.tickets.get(command.ticket_id))
            body = check_comment(actor, ticket, command.body, internal=command.internal)
            now = self._clock.now()
            comment = Comment(self._ids.new_id(), ticket.id, actor.id, body, command.internal, now)
            await uow.comments.add(comment)
            facts = [audit.comment_added(comment.id, comment.internal)]
            outcome = Outcome(ticket)
            if reopens(actor, ticket, internal=command.internal):
                outcome = await self._reopen(uow, ticket)
                facts += audit.assignment_facts(outcome.changes, "reopen")
            elif actor.role in STAFF and not command.internal:
                await self._first_response(uow, ticket, now)
            audience = notices.comment_audience(
                outcome.ticket, author_id=actor.id, internal=command.internal
            )
            told = notices.on_comment(
                outcome.ticket,
                author_id=actor.id,
                internal=command.internal,
                watchers=await members(uow, audience),
            )
            await record_change(
                uow, outcome, facts, actor.id, now=now, new_id=self._ids.new_id, extra_notices=told
            )
            if within is not None:
                await within(uow, comment)
            await uow.commit()
        return comment

    async def _first_response(self, uow: UnitOfWork, ticket: Ticket, now: datetime) -> None:
        """A staff member's public comment is the ticket's first response, if none was yet."""
        after = ticket.copy()
        if await first_response(uow, after, now):
            after.version += 1
            after.updated_at = now
            await save_versioned(uow, ticket, after, None)

    async def _reopen(self, uow: UnitOfWork, ticket: Ticket) -> Outcome:
        """The reopened ticket goes back to its assignee, or by the policy when they are no
        longer eligible (a status change: a new version)."""
        now = self._clock.now()
        outcome = reopen_by_submitter(ticket, now)
        after = outcome.ticket
        await reassign_if_ineligible(uow, after, now)
        outcome.changes = diff(ticket, after)
        if outcome.assignee_change is not None and after.assigned_agent_id is not None:
            await uow.assignment.mark_assigned(after.assigned_agent_id, now)
        await save_versioned(uow, ticket, after, None)
        return outcome


@dataclass(frozen=True, slots=True)
class ListComments:
    ticket_id: UUID
    limit: int | None = None
    cursor: str | None = None


class ListCommentsUseCase:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, actor: Actor, query: ListComments) -> Page[Comment]:
        require_role(actor, EVERYONE)
        limit = check_limit(query.limit)
        async with self._uow(read_only=True) as uow:
            ticket = ensure_visible(actor, await uow.tickets.get(query.ticket_id))
            include_internal = can_see_internal(actor, ticket)
            filters = {"ticket": str(query.ticket_id), "internal": include_internal}
            after = decode_cursor(query.cursor, filters)
            rows = await uow.comments.list(
                query.ticket_id, include_internal=include_internal, after=after, limit=limit + 1
            )
        return page_of(rows, limit, filters)
