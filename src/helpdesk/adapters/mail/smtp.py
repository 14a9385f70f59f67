"""The `MailSender` port over SMTP, with aiosmtplib: `smtp://` (plain, or `?starttls=true`) or
`smtps://` (TLS from the start), with the credentials in the URL when the server wants them.

A failure is `DeliveryFailed`, temporary or not. Permanent means the server refused this mail
for good: a 5xx answer to its recipient (`RCPT`) or its content (`DATA`). Everything else is
temporary and worth retrying: the server down, slow or cut off, a TLS failure, any 4xx answer,
and also a refused login, greeting or sender address, which are about our configuration rather
than this mail (marking every queued mail failed for them would lose mail once it is fixed).
An answer to the recipient or the content is about this mail only (`this_mail_only`): the
server is taking mail, and the next one may go.
"""

from __future__ import annotations

import ssl
from email.message import EmailMessage

import aiosmtplib

from helpdesk.adapters.mail.endpoints import Endpoint
from helpdesk.adapters.mail.rendering import render
from helpdesk.application.ports.clock import Clock
from helpdesk.application.ports.mail import DeliveryFailed
from helpdesk.domain.mail.outgoing import OutgoingMail

DEFAULT_TIMEOUT = 30.0


def _permanent(code: int) -> bool:
    return 500 <= code < 600


class SmtpSender:
    def __init__(
        self,
        endpoint: Endpoint,
        *,
        mail_from: str,
        clock: Clock,
        timeout: float = DEFAULT_TIMEOUT,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        """`ssl_context`: for a server whose certificate the system does not trust (a private
        CA); by default certificates and host names are verified."""
        self._endpoint = endpoint
        self._from = mail_from
        self._clock = clock
        self._timeout = timeout
        self._ssl = ssl_context

    async def send(self, mail: OutgoingMail) -> None:
        await self.send_message(render(mail, mail_from=self._from, now=self._clock.now()))

    async def send_message(self, message: EmailMessage) -> None:
        endpoint = self._endpoint
        try:
            await aiosmtplib.send(
                message,
                hostname=endpoint.host,
                port=endpoint.port,
                username=endpoint.username,
                password=endpoint.password,
                use_tls=endpoint.implicit_tls,
                start_tls=endpoint.starttls,
                tls_context=self._ssl if endpoint.secure else None,
                timeout=self._timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as error:
            codes = [refused.code for refused in error.recipients]
            said = "; ".join(f"{r.recipient}: {r.code} {r.message}" for r in error.recipients)
            raise DeliveryFailed(
                f"{endpoint}: recipient refused: {said}",
                temporary=not all(_permanent(code) for code in codes),
                this_mail_only=True,
            ) from error
        except (aiosmtplib.SMTPRecipientRefused, aiosmtplib.SMTPDataError) as error:
            raise DeliveryFailed(
                f"{endpoint}: {error.code} {error.message}",
                temporary=not _permanent(error.code),
                this_mail_only=True,
            ) from error
        except aiosmtplib.SMTPResponseException as error:
            raise DeliveryFailed(
                f"{endpoint}: {error.code} {error.message}", temporary=True
            ) from error
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
            raise DeliveryFailed(
                f"{endpoint}: {error or type(error).__name__}", temporary=True
            ) from error
