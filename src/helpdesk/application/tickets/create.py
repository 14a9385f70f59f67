"""Create a ticket: validate, classify, route, assign, audit and notify in one transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from helpdesk.application.ports.classifier import Classifier
from helpdesk.application.ports.clock import Clock, IdSource
from helpdesk.application.ports.storage.common import DuplicateKey
from helpdesk.application.ports.storage.tickets import DuplicateIdempotencyKey, IdempotencyRecord
from helpdesk.application.ports.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from helpdesk.application.routing_evidence import RoutingThresholdCache, current_thresholds
from helpdesk.application.tickets.assigning import assign_by_policy
from helpdesk.application.tickets.saving import members, store_notifications
from helpdesk.application.tickets.sla import new_clock
from helpdesk.domain import audit, notices
from helpdesk.domain.arabic import TextPolicy, check_description, check_title
from helpdesk.domain.classification import Classification
from helpdesk.domain.departments import DepartmentDirectory
from helpdesk.domain.errors import Conflict, FieldError, ValidationFailed
from helpdesk.domain.people import Actor
from helpdesk.domain.permissions import EVERYONE, require_role
from helpdesk.domain.routing import Thresholds, decide
from helpdesk.domain.taxonomy import Channel, Priority, RoutingMode
from helpdesk.domain.text_preparation import classification_text
from helpdesk.domain.ticket import Ticket

MAX_KEY_LENGTH = 255
IDEMPOTENCY_TTL = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class CreateTicket:
    title: str
    description: str
    priority: Priority = Priority.MEDIUM
    idempotency_key: str | None = None
    channel: Channel = Channel.WEB
    # A mailed ticket: the Message-ID of the mail it came from, which the receipt answers.
    in_reply_to: str | None = None


# Also written inside the create's transaction (the e-mail channel records the message a ticket
# came from beside it, so that both commit or neither does).
WithinCreate = Callable[[UnitOfWork, Ticket], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Created:
    ticket: Ticket
    replayed: bool  # True when an earlier request with the same key made it


def _validated(command: CreateTicket, policy: TextPolicy) -> tuple[str, str]:
    errors: list[FieldError] = []
    title = description = ""
    try:
        title = check_title(command.title, policy)
    except ValidationFailed as e:
        errors += e.errors
    try:
        description = check_description(command.description, policy)
    except ValidationFailed as e:
        errors += e.errors
    key = command.idempotency_key
    if key is not None and not (0 < len(key) <= MAX_KEY_LENGTH and key.isprintable()):
        errors.append(
            FieldError("Idempotency-Key", f"must be 1–{MAX_KEY_LENGTH} printable characters")
        )
    if errors:
        raise ValidationFailed(errors)
    return title, description


def _request_hash(title: str, description: str, priority: Priority) -> str:
    return hashlib.sha256("\x1f".join((title, description, priority)).encode()).hexdigest()


class CreateTicketUseCase:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        classifier: Classifier,
        clock: Clock,
        ids: IdSource,
        *,
        thresholds: Thresholds,
        text_policy: TextPolicy,
        idempotency_ttl: timedelta = IDEMPOTENCY_TTL,
        routing_cache: RoutingThresholdCache | None = None,
    ) -> None:
        self._uow = uow
        self._classifier = classifier
        self._clock = clock
        self._ids = ids
        self._thresholds = thresholds
        self._routing_cache = routing_cache
        self._text_policy = text_policy
        self._idempotency_ttl = idempotency_ttl

    async def execute(
        self, actor: Actor, command: CreateTicket, *, within: WithinCreate | None = None
    ) -> Created:
        require_role(actor, EVERYONE)
        title, description = _validated(command, self._text_policy)
        request_hash = _request_hash(title, description, command.priority)
        key = command.idempotency_key
        if key is not None:
            replay = await self._replay(actor, key, request_hash)
            if replay is not None:
                return replay
        # Classify outside the transaction: a slow classifier must not hold locks.
        classification = await self._classifier.classify(classification_text(title, description))
        try:
            return await self._store(
                actor, command, title, description, request_hash, classification, within
            )
        except DuplicateIdempotencyKey:
            # A concurrent request with the same key committed first: answer with its ticket.
            replay = await self._replay(actor, key or "", request_hash)
            assert replay is not None
            return replay

    async def _replay(self, actor: Actor, key: str, request_hash: str) -> Created | None:
        since = self._clock.now() - self._idempotency_ttl
        async with self._uow(read_only=True) as uow:
            record = await uow.idempotency.get(actor.id, key, since=since)
            if record is None:
                return None
            if record.request_hash != request_hash:
                raise ValidationFailed.of(
                    "Idempotency-Key", "was already used for a different ticket"
                )
            ticket = await uow.tickets.get(record.ticket_id)
        if ticket is None:  # deleted since (dev utilities): treat the key as spent
            raise ValidationFailed.of("Idempotency-Key", "refers to a ticket that no longer exists")
        return Created(ticket, replayed=True)

    async def _store(
        self,
        actor: Actor,
        command: CreateTicket,
        title: str,
        description: str,
        request_hash: str,
        classification: Classification | None,
        within: WithinCreate | None,
    ) -> Created:
        now = self._clock.now()
        ticket_id = self._ids.new_id()
        async with self._uow() as uow:
            if command.idempotency_key is not None:
                await uow.idempotency.claim(
                    IdempotencyRecord(
                        actor.id, command.idempotency_key, request_hash, ticket_id, now
                    ),
                    since=now - self._idempotency_ttl,
                )
            await self._ensure_profile(uow, actor, now)
            directory = DepartmentDirectory.of(await uow.departments.all())
            thresholds = await current_thresholds(uow, self._thresholds, self._routing_cache)
            decision = decide(classification, directory, thresholds)
            # The service-level clock is read before the department's assignment lock is taken,
            # so the lock is held no longer than before.
            sla = await new_clock(
                uow,
                created_at=now,
                priority=command.priority,
                department_id=decision.department_id,
                category=classification.category if classification else None,
            )
            agent = None
            if decision.mode is RoutingMode.AUTO and decision.department_id is not None:
                agent = await assign_by_policy(uow, decision.department_id, now)
            ticket = Ticket.file(
                id=ticket_id,
                title=title,
                description=description,
                priority=command.priority,
                submitter_id=actor.id,
                classification=classification,
                decision=decision,
                assignee_id=agent.id if agent else None,
                now=now,
                channel=command.channel,
            )
            ticket.sla = sla
            ticket.number = await uow.tickets.add(ticket)
            facts = [audit.created(ticket, decision)]
            if agent is not None:
                facts.append(audit.assigned(None, agent.id, "auto"))
            new_id = self._ids.new_id
            await uow.audit.add_all(
                audit.entries(facts, actor_id=actor.id, ticket_id=ticket.id, now=now, new_id=new_id)
            )
            watchers = await members(uow, notices.pickup_audience(ticket))
            told = notices.on_created(ticket, watchers)
            await store_notifications(
                uow, told, ticket, now=now, new_id=new_id, submitter_reply_to=command.in_reply_to
            )
            if within is not None:
                await within(uow, ticket)
            await uow.commit()
        return Created(ticket, replayed=False)

    @staticmethod
    async def _ensure_profile(uow: UnitOfWork, actor: Actor, now: datetime) -> None:
        """A valid token with no profile acts as an end user; filing a ticket creates it. Two
        first requests of one user race to create it: the loser finds the winner's profile."""
        if actor.has_profile or await uow.profiles.get(actor.id) is not None:
            return
        try:
            await uow.profiles.add(actor.end_user_profile(now))
        except DuplicateKey:
            if await uow.profiles.get(actor.id) is None:
                raise Conflict(
                    "another account already uses the e-mail address in your token;"
                    " ask an administrator"
                ) from None
