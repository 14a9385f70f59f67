"""The SLA pass: act on every warning and breach that has come, exactly once.

It reads the tickets whose next check has come (an index read: with nothing due it costs one
small query), then takes them one at a time, each in a unit of work of its own so a user's
change to one ticket waits for one ticket, never for the whole pass:

1. claim the ticket while it is still due (on PostgreSQL `FOR NO KEY UPDATE SKIP LOCKED`: a
   ticket another process is acting on is left to it);
2. ask the domain which crossings are due (`due_crossings`), and record each in the crossings
   table, whose key (ticket, target, point, due instant) refuses a second record — so even
   a pass that got past the lock cannot act twice;
3. notify (Arabic `sla_warning` / `sla_breach`), audit (`sla.warning`, `sla.breached`,
   `sla.escalated`) and apply the policy's `on_breach` effects (a raised priority re-targets the
   ticket; a release returns it to the department's queue);
4. save the ticket with its crossings marked (which moves its next check on) and commit.

Exactly once therefore holds across any number of `helpdesk serve` and `helpdesk worker`
processes, on PostgreSQL and SQLite alike (SQLite's write transactions are serialized).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from helpdesk.application.ports.clock import Clock, IdSource
from helpdesk.application.ports.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from helpdesk.application.tickets.saving import save_versioned, store_notifications
from helpdesk.application.tickets.sla import calendar_for
from helpdesk.domain import audit, notices
from helpdesk.domain.sla import audit as sla_audit
from helpdesk.domain.sla import notices as sla_notices
from helpdesk.domain.sla.business_calendar import BusinessCalendar
from helpdesk.domain.sla.clock import Crossing, Point, due_crossings, mark_acted
from helpdesk.domain.sla.escalation import (
    apply_escalation,
    breach_recipients,
    escalation_for,
    warning_recipients,
)
from helpdesk.domain.sla.policy import BreachActions, SlaPolicy
from helpdesk.domain.ticket import Ticket

BATCH = 500


class _PassCache:
    """What a pass reads once and uses for every ticket it acts on: policies, calendars, the
    departments' active agents and the active admins (a pass is one instant's view)."""

    def __init__(self) -> None:
        self.policies: dict[UUID, SlaPolicy] | None = None
        self.calendars: dict[UUID | None, BusinessCalendar] = {}
        self.agents: dict[UUID, list[UUID]] = {}
        self.admins: list[UUID] | None = None

    async def policy(self, uow: UnitOfWork, policy_id: UUID) -> SlaPolicy | None:
        if self.policies is None:
            self.policies = {p.id: p for p in await uow.sla.policies()}
        return self.policies.get(policy_id)

    async def calendar(self, uow: UnitOfWork, department_id: UUID | None) -> BusinessCalendar:
        if department_id not in self.calendars:
            self.calendars[department_id] = await calendar_for(uow, department_id)
        return self.calendars[department_id]

    async def department_agents(self, uow: UnitOfWork, department_id: UUID | None) -> list[UUID]:
        if department_id is None:
            return []
        if department_id not in self.agents:
            found = await uow.profiles.active_agents(department_id)
            self.agents[department_id] = [p.id for p in found]
        return self.agents[department_id]

    async def active_admins(self, uow: UnitOfWork) -> list[UUID]:
        if self.admins is None:
            self.admins = [p.id for p in await uow.profiles.active_admins()]
        return self.admins


@dataclass(slots=True)
class PassReport:
    """What one pass did: crossings acted on, and escalations that changed a ticket."""

    warned: int = 0
    breached: int = 0
    escalated: int = 0
    tickets: set[UUID] = field(default_factory=set)

    def as_dict(self) -> dict[str, int]:
        return {"warned": self.warned, "breached": self.breached, "escalated": self.escalated}

    def __str__(self) -> str:
        return (
            f"warned {self.warned}, breached {self.breached}, escalated {self.escalated} "
            f"on {len(self.tickets)} tickets"
        )


class SlaPassUseCase:
    """One SLA pass; also the periodic job "sla" (every HELPDESK_SLA_INTERVAL seconds)."""

    name = "sla"

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        ids: IdSource,
        *,
        interval: float = 30.0,
        batch: int = BATCH,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids
        self.interval = interval
        self._batch = batch

    async def run_once(self) -> PassReport:
        return await self.execute()

    async def execute(self) -> PassReport:
        now = self._clock.now()
        report = PassReport()
        cache = _PassCache()
        looked_at: set[UUID] = set()
        while True:
            # Tickets looked at stay due when another process holds them (or when they are due
            # at this very instant with nothing to do yet): read past them.
            limit = self._batch + len(looked_at)
            async with self._uow(read_only=True) as uow:
                due = await uow.sla.due_for_check(now, limit)
            fresh = [ticket_id for ticket_id in due if ticket_id not in looked_at]
            for ticket_id in fresh:
                looked_at.add(ticket_id)
                await self._check(ticket_id, now, report, cache)
            if len(due) < limit or not fresh:
                return report

    async def _check(
        self, ticket_id: UUID, now: datetime, report: PassReport, cache: _PassCache
    ) -> None:
        async with self._uow() as uow:
            ticket = await uow.sla.claim_due(ticket_id, now)
            if ticket is None:
                return  # no longer due, or another process is acting on it
            crossings = due_crossings(ticket.clock, now)
            if not crossings:
                return
            await self._act(uow, ticket, crossings, now, report, cache)
            await uow.commit()
        report.tickets.add(ticket_id)

    async def _act(
        self,
        uow: UnitOfWork,
        ticket: Ticket,
        crossings: tuple[Crossing, ...],
        now: datetime,
        report: PassReport,
        cache: _PassCache,
    ) -> None:
        clock = ticket.clock
        assert clock.targets is not None  # due crossings need targets
        policy = await cache.policy(uow, clock.targets.policy_id)
        # A policy deleted since the ticket was targeted: its breaches still tell the assignee.
        actions = policy.on_breach if policy is not None else BreachActions()
        calendar = await cache.calendar(uow, ticket.department_id)
        department_agents = await cache.department_agents(uow, ticket.department_id)
        admins = await cache.active_admins(uow)
        after = ticket.copy()
        told: list[notices.Notice] = []
        facts: list[audit.AuditFact] = []
        for crossing in crossings:
            target = crossing.target
            due_at = clock.due_at(target)
            warn_at = clock.warn_at(target)
            assert due_at is not None and warn_at is not None
            if not await uow.sla.mark_crossing(ticket.id, crossing, due_at, now):
                continue  # acted on already (by another process): the mark below retires it
            if crossing.point is Point.WARNING:
                people = warning_recipients(
                    assignee_id=ticket.assigned_agent_id,
                    department_agents=department_agents,
                    admins=admins,
                )
                told += sla_notices.on_warning(ticket, target, due_at, calendar, people)
                facts.append(sla_audit.warning(target, warn_at, due_at, clock.targets.policy_id))
                report.warned += 1
                continue
            escalation = escalation_for(
                actions, priority=after.priority, assignee_id=after.assigned_agent_id
            )
            people = breach_recipients(
                actions.notify,
                assignee_id=after.assigned_agent_id,
                department_agents=department_agents,
                admins=admins,
            )
            told += sla_notices.on_breach(after, target, due_at, calendar, people, escalation)
            facts.append(
                sla_audit.breached(target, due_at, clock.targets.policy_id, actions.notify)
            )
            report.breached += 1
            if escalation.changes_ticket:
                old_priority = after.priority
                released = apply_escalation(after, escalation, now)
                facts.append(
                    sla_audit.escalated(
                        target, escalation, old_priority=old_priority, released_agent_id=released
                    )
                )
                report.escalated += 1
        after.sla = mark_acted(after.clock, crossings)
        after.version += 1
        after.updated_at = now
        # A raised priority re-targets the ticket; a release that reopens work is no response.
        await save_versioned(uow, ticket, after, None, by_staff=False)
        new_id = self._ids.new_id
        await uow.audit.add_all(
            audit.entries(facts, actor_id=None, ticket_id=ticket.id, now=now, new_id=new_id)
        )
        # Stored, and queued as e-mail for those who get mail (the outbox skips the rest).
        await store_notifications(uow, notices.merge(told), after, now=now, new_id=new_id)
