"""Request ids: the client's `X-Request-ID` when it is sane, a new one otherwise; returned on
every response (errors and unknown paths included), carried by every problem document and by
every log record written while the request is served."""

from __future__ import annotations

import re
import uuid
from typing import Any

from litestar.datastructures import MutableScopeHeaders, ResponseHeader
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from helpdesk.entrypoints.logs import REQUEST_ID

HEADER = "X-Request-ID"
# What a proxy or a client's tracing library sends: UUIDs, hex, base64-ish tokens. Anything else
# (control characters, spaces, quotes, more than 128 characters) is replaced, never echoed.
SANE = re.compile(r"[A-Za-z0-9._:@+=/-]{1,128}")
_STATE_KEY = "helpdesk_request_id"
# For the OpenAPI schema: every operation answers with it (set by `echo_request_id`).
REQUEST_ID_HEADER = ResponseHeader(
    name=HEADER,
    documentation_only=True,
    description="The request's id: the client's X-Request-ID when sane, else a new one",
)


def request_id(scope: Scope | dict[str, Any]) -> str:
    """The request's id: decided once per request (and remembered in its scope)."""
    state = scope.setdefault("state", {})
    found = state.get(_STATE_KEY)
    if found is None:
        sent = next(
            (value for name, value in scope.get("headers", ()) if name.lower() == b"x-request-id"),
            b"",
        ).decode("latin-1")
        found = sent if SANE.fullmatch(sent) else uuid.uuid4().hex
        state[_STATE_KEY] = found
    return str(found)


def request_id_middleware(app: ASGIApp) -> ASGIApp:
    """The first middleware: logs written while the request is served carry its id.

    The id is not reset afterwards: the server runs each request in a task of its own (with a
    copy of the context), and the records written after this middleware returned (the
    problem document of an error raised in it, the server's access line) belong to it too."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP:
            REQUEST_ID.set(request_id(scope))
        await app(scope, receive, send)

    return middleware


async def echo_request_id(message: Message, scope: Scope) -> None:
    """The app's `before_send` hook: every response says which request it answers (it also
    runs for the answers Litestar gives before any route matched: 404, 405), and the server's
    access line for it carries the id."""
    if message["type"] == "http.response.start":
        rid = request_id(scope)
        REQUEST_ID.set(rid)
        MutableScopeHeaders.from_message(message)[HEADER] = rid
