"""`/api/v1/tickets`: parse, call one use case, map the result."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from urllib.parse import quote
from uuid import UUID

from litestar import Controller, Request, Response, get, patch, post
from litestar.datastructures import ResponseHeader
from litestar.di import NamedDependency
from litestar.params import FromQuery, HeaderParameter, JSONBody, QueryParameter

from helpdesk.adapters.metrics import TICKETS_CREATED
from helpdesk.application.mail.status import GetAttachmentUseCase, ListAttachmentsUseCase
from helpdesk.application.tickets.comments import (
    AddComment,
    AddCommentUseCase,
    ListComments,
    ListCommentsUseCase,
)
from helpdesk.application.tickets.create import CreateTicket, CreateTicketUseCase
from helpdesk.application.tickets.override import OverrideRouting, OverrideRoutingUseCase
from helpdesk.application.tickets.queries import (
    GetTicketUseCase,
    ListTickets,
    ListTicketsUseCase,
    Queue,
    TicketAudit,
    TicketAuditUseCase,
)
from helpdesk.application.tickets.reclassify import ReclassifyTicket, ReclassifyTicketUseCase
from helpdesk.application.tickets.update import UpdateTicket, UpdateTicketUseCase
from helpdesk.domain.changes import TicketUpdate
from helpdesk.domain.errors import ValidationFailed
from helpdesk.domain.people import Actor
from helpdesk.domain.taxonomy import Category, Priority, RoutingMode, TicketStatus
from helpdesk.domain.ticket import Ticket
from helpdesk.entrypoints.http.auth import staff_only
from helpdesk.entrypoints.http.params import (
    AttachmentId,
    Cursor,
    IfMatch,
    Limit,
    TicketId,
    as_utc,
    if_match,
    path_uuid,
)
from helpdesk.entrypoints.http.problems import ERRORS
from helpdesk.entrypoints.http.schemas.common import given
from helpdesk.entrypoints.http.schemas.tickets import (
    AttachmentList,
    AuditList,
    CommentCreate,
    CommentList,
    CommentOut,
    OverrideRequest,
    TicketCreate,
    TicketList,
    TicketOut,
    TicketPatch,
    attachment_out,
    audit_out,
    comment_out,
    ticket_out,
)

AnyRequest = Request[Actor, Any, Any]
# Documented on single-ticket responses; `with_etag` sets it.
ETAG = [
    ResponseHeader(
        name="ETag",
        description='The ticket\'s version (`"3"`); send it back as If-Match to change it',
        documentation_only=True,
    )
]


def request_time(request: AnyRequest) -> datetime:
    """The instant a ticket's `sla_state` is given at: the container's clock (tests move it)."""
    return request.app.state.container.clock().now()  # type: ignore[no-any-return]


def with_etag(ticket: Ticket, request: AnyRequest, status_code: int = 200) -> Response[TicketOut]:
    return Response(
        ticket_out(ticket, request_time(request)),
        status_code=status_code,
        headers={"ETag": f'"{ticket.version}"'},
    )


# Types a browser would render in our origin (scripts inside HTML, SVG or XML) go out as plain
# bytes; every file is a download anyway (Content-Disposition: attachment, nosniff).
_RENDERED = ("text/html", "image/svg+xml", "application/xhtml+xml", "text/xml", "application/xml")


def download_type(content_type: str) -> str:
    kind = content_type.split(";", 1)[0].strip().casefold()
    if not kind or "/" not in kind or kind in _RENDERED or kind.endswith("+xml"):
        return "application/octet-stream"
    return kind


def _ticket_id(raw: str) -> UUID:
    return path_uuid(raw, "ticket")


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
        operation_id="createTicket",
        response_headers=ETAG,
    )
    async def create(
        self,
        request: AnyRequest,
        data: JSONBody[TicketCreate],
        create_ticket: NamedDependency[CreateTicketUseCase],
        idempotency_key: Annotated[str | None, HeaderParameter(name="Idempotency-Key")] = None,
    ) -> Response[TicketOut]:
        created = await create_ticket.execute(
            request.user, CreateTicket(data.title, data.description, data.priority, idempotency_key)
        )
        if created.replayed:
            return with_etag(created.ticket, request, 200)
        TICKETS_CREATED.labels(created.ticket.routing_mode).inc()
        return with_etag(created.ticket, request, 201)

    @get(
        "/",
        summary="Tickets in the caller's scope, newest first",
        responses=ERRORS,
        operation_id="listTickets",
    )
    async def list_tickets(
        self,
        request: AnyRequest,
        list_tickets: NamedDependency[ListTicketsUseCase],
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
        queue: FromQuery[Queue | None] = None,
        sla: FromQuery[Literal["at_risk", "breached"] | None] = None,
        order: FromQuery[Literal["created", "resolution_due"]] = "created",
        limit: Limit = None,
        cursor: Cursor = None,
    ) -> TicketList:
        page = await list_tickets.execute(
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
                created_after=as_utc(created_after, "created_after"),
                created_before=as_utc(created_before, "created_before"),
                queue=queue,
                sla=sla,
                order=order,
                limit=limit,
                cursor=cursor,
            ),
        )
        now = request_time(request)
        return TicketList([ticket_out(t, now) for t in page.items], page.next_cursor)

    @get(
        "/{ticket_id:str}",
        summary="One ticket",
        responses=ERRORS,
        operation_id="getTicket",
        response_headers=ETAG,
    )
    async def get_ticket(
        self,
        request: AnyRequest,
        ticket_id: TicketId,
        get_ticket: NamedDependency[GetTicketUseCase],
    ) -> Response[TicketOut]:
        return with_etag(await get_ticket.execute(request.user, _ticket_id(ticket_id)), request)

    @patch(
        "/{ticket_id:str}",
        summary="Change status, priority, assignee or department",
        responses=ERRORS,
        guards=[staff_only],
        operation_id="updateTicket",
        response_headers=ETAG,
    )
    async def update(
        self,
        request: AnyRequest,
        ticket_id: TicketId,
        data: JSONBody[TicketPatch],
        update_ticket: NamedDependency[UpdateTicketUseCase],
        version: IfMatch = None,
    ) -> Response[TicketOut]:
        changes = TicketUpdate(**given(data))
        ticket = await update_ticket.execute(
            request.user, UpdateTicket(_ticket_id(ticket_id), changes, if_match(version))
        )
        return with_etag(ticket, request)

    @post(
        "/{ticket_id:str}/override",
        status_code=200,
        summary="Override the routing",
        responses=ERRORS,
        guards=[staff_only],
        operation_id="overrideTicket",
        response_headers=ETAG,
    )
    async def override(
        self,
        request: AnyRequest,
        ticket_id: TicketId,
        data: JSONBody[OverrideRequest],
        override_routing: NamedDependency[OverrideRoutingUseCase],
        version: IfMatch = None,
    ) -> Response[TicketOut]:
        ticket = await override_routing.execute(
            request.user,
            OverrideRouting(
                _ticket_id(ticket_id),
                data.department_id,
                data.reason,
                data.assigned_agent_id,
                if_match(version),
                data.category,
            ),
        )
        return with_etag(ticket, request)

    @post(
        "/{ticket_id:str}/reclassify",
        status_code=200,
        summary="Rerun the classifier",
        responses=ERRORS,
        guards=[staff_only],
        operation_id="reclassifyTicket",
        response_headers=ETAG,
    )
    async def reclassify(
        self,
        request: AnyRequest,
        ticket_id: TicketId,
        reclassify_ticket: NamedDependency[ReclassifyTicketUseCase],
        version: IfMatch = None,
    ) -> Response[TicketOut]:
        ticket = await reclassify_ticket.execute(
            request.user, ReclassifyTicket(_ticket_id(ticket_id), if_match(version))
        )
        return with_etag(ticket, request)

    @get(
        "/{ticket_id:str}/comments",
        summary="Comments, oldest first",
        responses=ERRORS,
        operation_id="listTicketComments",
    )
    async def list_comments(
        self,
        request: AnyRequest,
        ticket_id: TicketId,
        list_comments: NamedDependency[ListCommentsUseCase],
        limit: Limit = None,
        cursor: Cursor = None,
    ) -> CommentList:
        page = await list_comments.execute(
            request.user, ListComments(_ticket_id(ticket_id), limit, cursor)
        )
        return CommentList([comment_out(c) for c in page.items], page.next_cursor)

    @post(
        "/{ticket_id:str}/comments",
        status_code=201,
        summary="Comment or internal note",
        responses=ERRORS,
        operation_id="addTicketComment",
    )
    async def add_comment(
        self,
        request: AnyRequest,
        ticket_id: TicketId,
        data: JSONBody[CommentCreate],
        add_comment: NamedDependency[AddCommentUseCase],
    ) -> CommentOut:
        comment = await add_comment.execute(
            request.user, AddComment(_ticket_id(ticket_id), data.body, data.internal)
        )
        return comment_out(comment)

    @get(
        "/{ticket_id:str}/attachments",
        summary="Files kept with the ticket (from e-mail)",
        responses=ERRORS,
        operation_id="listTicketAttachments",
    )
    async def list_attachments(
        self,
        request: AnyRequest,
        ticket_id: TicketId,
        list_attachments: NamedDependency[ListAttachmentsUseCase],
    ) -> AttachmentList:
        found = await list_attachments.execute(request.user, _ticket_id(ticket_id))
        return AttachmentList([attachment_out(a) for a in found])

    @get(
        "/{ticket_id:str}/attachments/{attachment_id:str}",
        summary="One kept file, as a download",
        responses=ERRORS,
        media_type="application/octet-stream",
        operation_id="getTicketAttachment",
    )
    async def get_attachment(
        self,
        request: AnyRequest,
        ticket_id: TicketId,
        attachment_id: AttachmentId,
        get_attachment: NamedDependency[GetAttachmentUseCase],
    ) -> Response[bytes]:
        found, content = await get_attachment.execute(
            request.user, _ticket_id(ticket_id), path_uuid(attachment_id, "attachment")
        )
        return Response(
            content,
            media_type=download_type(found.content_type),
            headers={
                "Content-Disposition": f"attachment; filename*=UTF-8''{quote(found.filename)}",
                "X-Content-Type-Options": "nosniff",
            },
        )

    @get(
        "/{ticket_id:str}/audit",
        summary="The ticket's audit trail, oldest first",
        responses=ERRORS,
        guards=[staff_only],
        operation_id="getTicketAudit",
    )
    async def audit(
        self,
        request: AnyRequest,
        ticket_id: TicketId,
        ticket_audit: NamedDependency[TicketAuditUseCase],
        limit: Limit = None,
        cursor: Cursor = None,
    ) -> AuditList:
        page = await ticket_audit.execute(
            request.user, TicketAudit(_ticket_id(ticket_id), limit, cursor)
        )
        return AuditList([audit_out(e) for e in page.items], page.next_cursor)
