"""A real SMTP server for the tests: aiosmtpd on a free port of 127.0.0.1, keeping what it
receives; it can refuse recipients or content with a chosen answer, ask for a login, speak TLS,
drop the connection in the middle of a message, and be stopped and started again on its port."""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from .certificates import Certificates
from .dovecot import free_port

USER, PASSWORD = "helpdesk", "smtp-secret"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes


@dataclass
class Handler:
    received: list[Received] = field(default_factory=list)
    refuse_recipients: dict[str, str] = field(default_factory=dict)  # address -> SMTP answer
    data_answer: str | None = None  # answer DATA with this instead of accepting
    drop_in_data: bool = False

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if address in self.refuse_recipients:
            return self.refuse_recipients[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.drop_in_data:
            assert server.transport is not None
            server.transport.abort()
            return "250 never heard"
        if self.data_answer:
            return self.data_answer
        content = envelope.original_content or b""
        self.received.append(Received(envelope.mail_from or "", list(envelope.rcpt_tos), content))
        return "250 Message accepted for delivery"


def _authenticate(
    server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok, handled=False)  # aiosmtpd answers 535 itself


class SmtpSink:
    def __init__(
        self,
        *,
        certificates: Certificates | None = None,
        mode: str = "plain",  # plain | starttls | smtps
        auth: bool = False,
    ) -> None:
        self.handler = Handler()
        self.port = free_port()
        self._certificates = certificates
        self._mode = mode
        self._auth = auth
        self._controller: Controller | None = None

    def _server_context(self) -> ssl.SSLContext:
        assert self._certificates is not None
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self._certificates.cert, self._certificates.key)
        return context

    def start(self) -> SmtpSink:
        options: dict[str, Any] = {}
        if self._mode == "starttls":
            options.update(tls_context=self._server_context(), require_starttls=True)
        elif self._mode == "smtps":
            options.update(ssl_context=self._server_context())
        if self._auth:
            options.update(
                authenticator=_authenticate,
                auth_required=True,
                # aiosmtpd only counts STARTTLS as TLS; over smtps:// every byte is TLS already.
                auth_require_tls=self._mode == "starttls",
            )
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, **options)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def url(self, *, user: str | None = None, password: str | None = None) -> str:
        scheme = "smtps" if self._mode == "smtps" else "smtp"
        login = f"{user}:{password}@" if user else ""
        query = "?starttls=true" if self._mode == "starttls" else ""
        return f"{scheme}://{login}127.0.0.1:{self.port}{query}"
