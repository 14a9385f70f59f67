"""A helpdesk to run use cases against: default departments, agents, an admin, end users,
a classifier whose answer each test sets, and a clock it can move."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from helpdesk.application.tickets.comments import AddComment
from helpdesk.application.tickets.create import CreateTicket
from helpdesk.application.tickets.override import OverrideRouting
from helpdesk.application.tickets.queries import ListTickets
from helpdesk.application.tickets.reclassify import ReclassifyTicket
from helpdesk.application.tickets.update import UpdateTicket
from helpdesk.application.users.create import SYSTEM_ACTOR, CreateUser
from helpdesk.container import Container
from helpdesk.domain.changes import TicketUpdate
from helpdesk.domain.classification import Classification
from helpdesk.domain.departments import Department
from helpdesk.domain.people import Actor, Profile
from helpdesk.domain.records import AuditEntry, Notification
from helpdesk.domain.taxonomy import Category, Role
from helpdesk.domain.ticket import Ticket

from ..wiring import wired

TITLE, DESCRIPTION = "مشكلة في العمل", "لدي مشكلة تحتاج إلى مساعدة عاجلة من فريق الدعم"


class Clock:
    def __init__(self) -> None:
        self.at = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)

    def now(self) -> datetime:
        self.at += timedelta(milliseconds=1)  # every event at its own time
        return self.at


class ScriptedClassifier:
    def __init__(self, clock: Clock) -> None:
        self.answer: dict[Category, float] | None = {Category.NETWORK: 0.95}
        self._clock = clock

    async def classify(self, text: str) -> Classification | None:
        if self.answer is None:
            return None
        return Classification.from_scores(
            self.answer, model="scripted", classified_at=self._clock.now()
        )

    async def health(self) -> str:
        return "ok"


@dataclass
class World:
    storage: Any
    clock: Clock
    classifier: ScriptedClassifier
    use_cases: Container
    departments: dict[str, Department] = field(default_factory=dict)
    admin: Actor = SYSTEM_ACTOR
    user: Actor = SYSTEM_ACTOR
    other_user: Actor = SYSTEM_ACTOR
    agents: dict[str, list[Actor]] = field(default_factory=dict)

    @classmethod
    async def build(cls, storage: Any) -> World:
        clock = Clock()
        classifier = ScriptedClassifier(clock)
        use_cases = wired(storage, classifier, clock)
        world = cls(storage, clock, classifier, use_cases)
        users = use_cases.create_user()
        await use_cases.seed_demo().execute()
        async with storage.unit_of_work() as uow:
            world.departments = {d.slug: d for d in await uow.departments.all()}
            for slug, dept in world.departments.items():
                agents = await uow.profiles.active_agents(dept.id)
                world.agents[slug] = [Actor.of(a) for a in sorted(agents, key=lambda p: p.email)]
            world.admin = Actor.of(await uow.profiles.get_by_email("admin@helpdesk.local"))  # type: ignore[arg-type]
            world.user = Actor.of(await uow.profiles.get_by_email("employee@helpdesk.local"))  # type: ignore[arg-type]
        other = await users.execute(SYSTEM_ACTOR, CreateUser("other@x.io", "آخر", Role.END_USER))
        world.other_user = Actor.of(other)
        return world

    def dept(self, slug: str) -> UUID:
        return self.departments[slug].id

    async def file(self, actor: Actor | None = None, **answer: float) -> Ticket:
        if answer:
            self.classifier.answer = {Category(k): v for k, v in answer.items()}
        created = await self.use_cases.create_ticket().execute(
            actor or self.user, CreateTicket(TITLE, DESCRIPTION)
        )
        return created.ticket

    async def update(
        self, actor: Actor, ticket: Ticket, if_match: int | None = None, **changes: Any
    ) -> Ticket:
        return await self.use_cases.update_ticket().execute(
            actor, UpdateTicket(ticket.id, TicketUpdate(**changes), if_match)
        )

    async def override(
        self,
        actor: Actor,
        ticket: Ticket,
        slug: str,
        reason: str = "تصحيح",
        agent: UUID | None = None,
    ) -> Ticket:
        return await self.use_cases.override_routing().execute(
            actor, OverrideRouting(ticket.id, self.dept(slug), reason, agent)
        )

    async def reclassify(self, actor: Actor, ticket: Ticket, **answer: float) -> Ticket:
        self.classifier.answer = {Category(k): v for k, v in answer.items()} if answer else None
        return await self.use_cases.reclassify_ticket().execute(actor, ReclassifyTicket(ticket.id))

    async def comment(
        self, actor: Actor, ticket: Ticket, body: str = "تعليق", internal: bool = False
    ) -> Any:
        return await self.use_cases.add_comment().execute(
            actor, AddComment(ticket.id, body, internal)
        )

    async def get(self, actor: Actor, ticket: Ticket) -> Ticket:
        return await self.use_cases.get_ticket().execute(actor, ticket.id)

    async def list(self, actor: Actor, **query: Any) -> list[Ticket]:
        return (await self.use_cases.list_tickets().execute(actor, ListTickets(**query))).items

    async def stored(self, ticket: Ticket) -> Ticket:
        async with self.storage.unit_of_work() as uow:
            found = await uow.tickets.get(ticket.id)
        assert found is not None
        return found

    async def audit(self, ticket: Ticket) -> list[AuditEntry]:
        async with self.storage.unit_of_work() as uow:
            return await uow.audit.for_ticket(ticket.id, after=None, limit=200)

    async def told(self, ticket: Ticket) -> dict[UUID, list[str]]:
        """Who got which kinds of notification about the ticket."""
        out: dict[UUID, list[str]] = {}
        async with self.storage.unit_of_work() as uow:
            for actor in self.everyone():
                items: list[Notification] = await uow.notifications.for_user(
                    actor.id, unread_only=False, after=None, limit=500
                )
                kinds = [n.kind for n in reversed(items) if n.ticket_id == ticket.id]
                if kinds:
                    out[actor.id] = kinds
        return out

    def everyone(self) -> list[Actor]:
        return [
            self.admin,
            self.user,
            self.other_user,
            *(a for agents in self.agents.values() for a in agents),
        ]

    async def profile(self, actor: Actor) -> Profile:
        async with self.storage.unit_of_work() as uow:
            found = await uow.profiles.get(actor.id)
        assert found is not None
        return found
