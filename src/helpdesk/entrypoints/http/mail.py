"""`/api/v1/mail`: the e-mail channel's status, for admins."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency

from helpdesk.application.mail.status import ListHeld, ListHeldMailUseCase, MailStatusUseCase
from helpdesk.domain.people import Actor
from helpdesk.entrypoints.http.auth import admins_only
from helpdesk.entrypoints.http.params import Cursor, Limit
from helpdesk.entrypoints.http.problems import ERRORS
from helpdesk.entrypoints.http.schemas.mail import (
    HeldMailList,
    MailStatusOut,
    held_mail_out,
    mail_status_out,
)

AnyRequest = Request[Actor, Any, Any]


class MailController(Controller):
    path = "/api/v1/mail"
    tags = ("mail",)

    @get(
        "/status",
        summary="The last poll, what inbound mail became, the outbox's depth (admin)",
        responses=ERRORS,
        guards=[admins_only],
        operation_id="getMailStatus",
    )
    async def status(
        self, request: AnyRequest, mail_status: NamedDependency[MailStatusUseCase]
    ) -> MailStatusOut:
        return mail_status_out(await mail_status.execute(request.user))

    @get(
        "/held",
        summary="Messages held or refused instead of taken, newest first (admin)",
        responses=ERRORS,
        guards=[admins_only],
        operation_id="listHeldMail",
    )
    async def held(
        self,
        request: AnyRequest,
        list_held_mail: NamedDependency[ListHeldMailUseCase],
        limit: Limit = None,
        cursor: Cursor = None,
    ) -> HeldMailList:
        page = await list_held_mail.execute(request.user, ListHeld(limit, cursor))
        return HeldMailList([held_mail_out(r) for r in page.items], page.next_cursor)
