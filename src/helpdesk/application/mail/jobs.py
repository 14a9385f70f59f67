"""The e-mail channel's periodic work as two jobs a runner calls: take the mailbox's new mail
every HELPDESK_MAIL_POLL_INTERVAL seconds, and drain the outbox every OUTBOX_INTERVAL seconds.
Each `run_once()` builds a fresh use case (a fresh unit of work per step) and returns what it
did. The container gives None instead of a job whose servers are not configured."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from helpdesk.application.mail.inbound import FetchMailUseCase
from helpdesk.application.mail.outbound import SendPendingUseCase
from helpdesk.application.ports.mail import MailboxUnavailable
from helpdesk.domain.errors import DependencyUnavailable

# Draining an empty outbox costs one indexed query, so mail waits at most this long.
OUTBOX_INTERVAL = 10.0


@dataclass(frozen=True, slots=True)
class FetchMailJob:
    fetch_mail: Callable[[], FetchMailUseCase]
    interval: float
    name: str = "mail.fetch"

    async def run_once(self) -> dict[str, int]:
        try:
            return (await self.fetch_mail().execute()).as_dict()
        except MailboxUnavailable as e:  # a warning at this turn, not a traceback
            raise DependencyUnavailable(f"mailbox: {e.reason}") from e


@dataclass(frozen=True, slots=True)
class SendPendingJob:
    send_pending: Callable[[], SendPendingUseCase]
    interval: float = OUTBOX_INTERVAL
    name: str = "mail.send_pending"

    async def run_once(self) -> dict[str, int]:
        return (await self.send_pending().execute()).as_dict()
