"""`/api/v1/tickets`: parse, call one use case, map the result."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from litestar import Controller, Request, Response, get, patch, post
from litestar.params import FromPath, FromQuery, HeaderParameter, JSONBody, QueryParameter

from helpdesk.application.tickets.comments import AddComment, ListComments
from helpdesk.application.tickets.create import CreateTicket
from helpdesk.application.tickets.override import OverrideRouting
from helpdesk.application.tickets.queries import ListTickets, TicketAudit
from helpdesk.application.tickets.reclassify import ReclassifyTicket
from helpdesk.application.tickets.update import UpdateTicket
from helpdesk.domain.changes import KEEP, TicketUpdate
from helpdesk.domain.errors import NotFound, ValidationFailed
from helpdesk.domain.people import Actor
from helpdesk.domain.taxonomy import Category, Priority, RoutingMode, TicketStatus
from helpdesk.domain.ticket import Ticket
from helpdesk.entrypoints.http.auth import staff_only
from helpdesk.entrypoints.http.responses import ERRORS, as_utc, container_of
from helpdesk.entrypoints.http.schemas import (
    UNSET,
    AuditList,
    CommentCreate,
    CommentList,
    CommentOut,
    OverrideRequest,
    TicketCreate,
    TicketList,
    TicketOut,
    TicketPatch,
    audit_out,
    comment_out,
    ticket_out,
)

AnyRequest = Request[Actor, Any, Any]


def path_id(raw: str) -> UUID:
    """A path id that is not a well-formed UUID is simply unknown (api.md)."""
    try:
        return UUID(raw)
    except ValueError:
        raise NotFound("ticket not found") from None


def if_match(request: AnyRequest) -> int | None:
    """`If-Match: "3"` → 3; `*` or absent → None; anything unparsable matches no version."""
    raw = request.headers.get("if-match")
    if raw is None or raw.strip() == "*":
        return None
    tag = raw.strip().removeprefix("W/").strip('"')
    return int(tag) if tag.isdigit() else -1


def with_etag(ticket: Ticket, status_code: int = 200) -> Response[TicketOut]:
    return Response(
        ticket_out(ticket), status_code=status_code, headers={"ETag": f'"{ticket.version}"'}
    )


def _assigned(raw: str | None) -> UUID | Literal["me", "none"] | None:
    if raw is None or raw in ("me", "none"):
        return raw  # type: ignore[return-value]
    try:
        return UUID(raw)
    except ValueError:
        raise ValidationFailed.of("assigned_agent_id", "must be a UUID, me or none") from None


class TicketController(Controller):
    path = "/api/v1/tickets"
    tags = ("tickets",)

    @post(
        "/",
        status_code=201,
        summary="File a ticket (routed and assigned automatically)",
        responses=ERRORS,
    )
    async def create(
        self,
        request: AnyRequest,
        data: JSONBody[TicketCreate],
        idempotency_key: Annotated[str | None, HeaderParameter(name="Idempotency-Key")] = None,
    ) -> Response[TicketOut]:
        created = (
            await container_of(request)
            .create_ticket()
            .execute(
                request.user,
                CreateTicket(data.title, data.description, data.priority, idempotency_key),
            )
        )
        return with_etag(created.ticket, 200 if created.replayed else 201)

    @get("/", summary="Tickets in the caller's scope, newest first", responses=ERRORS)
    async def list_tickets(
        self,
        request: AnyRequest,
        status: FromQuery[list[TicketStatus] | None] = None,
        priority: FromQuery[Priority | None] = None,
        department_id: FromQuery[UUID | None] = None,
        assigned_agent_id: Annotated[
            str | None, QueryParameter(description="a user id, `me` or `none`")
        ] = None,
        routing_mode: FromQuery[RoutingMode | None] = None,
        overridden: FromQuery[bool | None] = None,
        category: FromQuery[Category | None] = None,
        q: FromQuery[str | None] = None,
        created_after: FromQuery[datetime | None] = None,
        created_before: FromQuery[datetime | None] = None,
        queue: FromQuery[Literal["mine", "department", "triage"] | None] = None,
        limit: FromQuery[int | None] = None,
        cursor: FromQuery[str | None] = None,
    ) -> TicketList:
        page = (
            await container_of(request)
            .list_tickets()
            .execute(
                request.user,
                ListTickets(
                    statuses=frozenset(status) if status else None,
                    priority=priority,
                    department_id=department_id,
                    assigned=_assigned(assigned_agent_id),
                    routing_mode=routing_mode,
                    overridden=overridden,
                    category=category,
                    q=q,
                    created_after=as_utc(created_after),
                    created_before=as_utc(created_before),
                    queue=queue,
                    limit=limit,
                    cursor=cursor,
                ),
            )
        )
        return TicketList([ticket_out(t) for t in page.items], page.next_cursor)

    @get("/{ticket_id:str}", summary="One ticket", responses=ERRORS)
    async def get_ticket(
        self, request: AnyRequest, ticket_id: FromPath[str]
    ) -> Response[TicketOut]:
        ticket = await container_of(request).get_ticket().execute(request.user, path_id(ticket_id))
        return with_etag(ticket)

    @patch(
        "/{ticket_id:str}",
        summary="Change status, priority, assignee or department",
        responses=ERRORS,
        guards=[staff_only],
    )
    async def update(
        self, request: AnyRequest, ticket_id: FromPath[str], data: JSONBody[TicketPatch]
    ) -> Response[TicketOut]:
        changes = TicketUpdate(
            status=None if data.status is UNSET else data.status,
            priority=None if data.priority is UNSET else data.priority,
            assigned_agent_id=KEEP if data.assigned_agent_id is UNSET else data.assigned_agent_id,
            department_id=KEEP if data.department_id is UNSET else data.department_id,
        )
        ticket = (
            await container_of(request)
            .update_ticket()
            .execute(request.user, UpdateTicket(path_id(ticket_id), changes, if_match(request)))
        )
        return with_etag(ticket)

    @post(
        "/{ticket_id:str}/override",
        status_code=200,
        summary="Override the routing",
        responses=ERRORS,
        guards=[staff_only],
    )
    async def override(
        self, request: AnyRequest, ticket_id: FromPath[str], data: JSONBody[OverrideRequest]
    ) -> Response[TicketOut]:
        ticket = (
            await container_of(request)
            .override_routing()
            .execute(
                request.user,
                OverrideRouting(
                    path_id(ticket_id),
                    data.department_id,
                    data.reason,
                    data.assigned_agent_id,
                    if_match(request),
                ),
            )
        )
        return with_etag(ticket)

    @post(
        "/{ticket_id:str}/reclassify",
        status_code=200,
        summary="Rerun the classifier",
        responses=ERRORS,
        guards=[staff_only],
    )
    async def reclassify(
        self, request: AnyRequest, ticket_id: FromPath[str]
    ) -> Response[TicketOut]:
        ticket = (
            await container_of(request)
            .reclassify_ticket()
            .execute(request.user, ReclassifyTicket(path_id(ticket_id), if_match(request)))
        )
        return with_etag(ticket)

    @get("/{ticket_id:str}/comments", summary="Comments, oldest first", responses=ERRORS)
    async def list_comments(
        self,
        request: AnyRequest,
        ticket_id: FromPath[str],
        limit: FromQuery[int | None] = None,
        cursor: FromQuery[str | None] = None,
    ) -> CommentList:
        page = (
            await container_of(request)
            .list_comments()
            .execute(request.user, ListComments(path_id(ticket_id), limit, cursor))
        )
        return CommentList([comment_out(c) for c in page.items], page.next_cursor)

    @post(
        "/{ticket_id:str}/comments",
        status_code=201,
        summary="Comment or internal note",
        responses=ERRORS,
    )
    async def add_comment(
        self, request: AnyRequest, ticket_id: FromPath[str], data: JSONBody[CommentCreate]
    ) -> CommentOut:
        comment = (
            await container_of(request)
            .add_comment()
            .execute(request.user, AddComment(path_id(ticket_id), data.body, data.internal))
        )
        return comment_out(comment)

    @get(
        "/{ticket_id:str}/audit",
        summary="The ticket's audit trail, oldest first",
        responses=ERRORS,
        guards=[staff_only],
    )
    async def audit(
        self,
        request: AnyRequest,
        ticket_id: FromPath[str],
        limit: FromQuery[int | None] = None,
        cursor: FromQuery[str | None] = None,
    ) -> AuditList:
        page = (
            await container_of(request)
            .ticket_audit()
            .execute(request.user, TicketAudit(path_id(ticket_id), limit, cursor))
        )
        return AuditList([audit_out(e) for e in page.items], page.next_cursor)
