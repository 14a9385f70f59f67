"""`/api/v1/mail`: the e-mail channel's status, for admins."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency

from helpdesk.application.mail.status import MailStatusUseCase
from helpdesk.domain.people import Actor
from helpdesk.entrypoints.http.auth import admins_only
from helpdesk.entrypoints.http.problems import ERRORS
from helpdesk.entrypoints.http.schemas.mail import MailStatusOut, mail_status_out

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
