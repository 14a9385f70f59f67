"""Draining the outbox: due mail is claimed (held for a lease so that another worker leaves it
alone), sent outside any transaction, and its fate recorded in a unit of work of its own —
sent; retried later with back-off after a temporary failure; failed for good after a permanent
refusal or the last try. A mail server outage therefore delays mail and loses none (the rest of
the batch is given back untried); a temporary refusal of one mail (its recipient's mailbox
full) delays that mail only. A crash between sending and recording sends that mail once more
after the lease, with the same Message-ID."""

from __future__ import annotations

from dataclasses import dataclass

from helpdesk.application.ports.clock import Clock
from helpdesk.application.ports.mail import DeliveryFailed, MailSender
from helpdesk.application.ports.storage.unit_of_work import UnitOfWorkFactory
from helpdesk.domain.mail.outgoing import mail_to_send
from helpdesk.domain.mail.records import SEND_LEASE, OutboxMail, OutboxStatus, next_attempt

BATCH = 50


@dataclass(frozen=True, slots=True)
class SendReport:
    sent: int
    failed: int
    pending: int  # still waiting after this pass (retries included)

    def as_dict(self) -> dict[str, int]:
        return {"sent": self.sent, "failed": self.failed, "pending": self.pending}


class SendPendingUseCase:
    def __init__(
        self, uow: UnitOfWorkFactory, sender: MailSender, clock: Clock, *, domain: str
    ) -> None:
        """`domain`: of HELPDESK_MAIL_FROM, for the Message-IDs."""
        self._uow = uow
        self._sender = sender
        self._clock = clock
        self._domain = domain

    async def execute(self) -> SendReport:
        sent = failed = 0
        while True:
            now = self._clock.now()
            async with self._uow() as uow:
                batch = await uow.outbox.claim_due(now, lease_until=now + SEND_LEASE, limit=BATCH)
                await uow.commit()
            if not batch:
                break
            stop = False
            for index, mail in enumerate(batch):
                if stop:  # the server is down: give the rest back at once, untried
                    await self._release(batch[index:])
                    break
                outcome = await self._send(mail)
                sent += outcome == "sent"
                failed += outcome == "failed"
                stop = outcome == "down"
            if stop or len(batch) < BATCH:
                break
        async with self._uow(read_only=True) as uow:
            pending = (await uow.outbox.counts())[OutboxStatus.PENDING]
        return SendReport(sent=sent, failed=failed, pending=pending)

    async def _send(self, mail: OutboxMail) -> str:
        try:
            await self._sender.send(mail_to_send(mail, self._domain))
        except DeliveryFailed as error:
            attempts = mail.attempts + 1
            now = self._clock.now()
            retry_at = next_attempt(attempts, now) if error.temporary else None
            async with self._uow() as uow:
                if retry_at is None:
                    await uow.outbox.mark_failed(mail.id, attempts=attempts, error=error.reason)
                else:
                    await uow.outbox.mark_retry(
                        mail.id, attempts=attempts, next_attempt_at=retry_at, error=error.reason
                    )
                await uow.commit()
            if retry_at is None:
                return "failed"
            return "later" if error.this_mail_only else "down"
        async with self._uow() as uow:
            await uow.outbox.mark_sent(mail.id, self._clock.now())
            await uow.commit()
        return "sent"

    async def _release(self, mails: list[OutboxMail]) -> None:
        async with self._uow() as uow:
            for mail in mails:
                await uow.outbox.mark_retry(
                    mail.id,
                    attempts=mail.attempts,
                    next_attempt_at=mail.next_attempt_at,
                    error=mail.last_error,
                )
            await uow.commit()
