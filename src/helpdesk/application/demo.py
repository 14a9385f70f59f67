"""Demo data: the default departments, an admin, agents, an end user and sample tickets.

It goes through the real use cases, so routing, assignment, audit and notifications are real.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from helpdesk.application.ports.clock import Clock, IdSource
from helpdesk.application.ports.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from helpdesk.application.quick_actions import ReseedQuickActionsUseCase
from helpdesk.application.tickets.create import CreateTicket, CreateTicketUseCase
from helpdesk.application.users.create import SYSTEM_ACTOR, CreateUser, CreateUserUseCase
from helpdesk.domain.assignment import choose_agent
from helpdesk.domain.defaults import DEFAULT_DEPARTMENTS, SAMPLE_TICKETS
from helpdesk.domain.departments import Department
from helpdesk.domain.errors import ValidationFailed
from helpdesk.domain.keyset import Position
from helpdesk.domain.people import Actor, Profile
from helpdesk.domain.sla.defaults import DEFAULT_POLICIES, default_policies
from helpdesk.domain.taxonomy import Priority, Role

PAGE = 100
_PRIORITIES = (Priority.MEDIUM, Priority.LOW, Priority.HIGH, Priority.MEDIUM, Priority.URGENT)

DEMO_PASSWORD = "helpdesk-demo"
ADMIN_EMAIL = "admin@helpdesk.local"
END_USER_EMAIL = "employee@helpdesk.local"
DEMO_AGENT_NAMES = ("سارة", "خالد", "منى", "يوسف", "ليلى", "عمر", "هند", "طارق", "نورة", "فيصل")


@dataclass(frozen=True, slots=True)
class DemoAccounts:
    admin: Profile
    agent: Profile
    end_user: Profile
    seeded: bool  # False when the database already had data and nothing was added


class SeedDemoUseCase:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        ids: IdSource,
        create_user: CreateUserUseCase,
        reseed_quick_actions: ReseedQuickActionsUseCase,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids
        self._create_user = create_user
        self._reseed_quick_actions = reseed_quick_actions

    async def execute(self, *, agents_per_department: int = 2) -> DemoAccounts:
        """Seed an empty database (no departments yet); with data, only find the accounts."""
        async with self._uow(read_only=True) as uow:
            empty = not await uow.departments.all()
        if empty:
            await self._seed(agents_per_department)
        async with self._uow(read_only=True) as uow:
            admin = await uow.profiles.get_by_email(ADMIN_EMAIL)
            end_user = await uow.profiles.get_by_email(END_USER_EMAIL)
            it = next((d for d in await uow.departments.all() if d.slug == "it-support"), None)
            # The agent shown is the one next in line for IT tickets, so that the example
            # ticket lands in their `queue=mine`.
            agent = choose_agent(await uow.assignment.loads(it.id), it.id) if it else None
        if admin is None or end_user is None or agent is None:
            raise RuntimeError("the database has data but not the demo accounts; use an empty one")
        return DemoAccounts(admin, agent, end_user, seeded=empty)

    async def _seed(self, agents_per_department: int) -> None:
        departments = []
        async with self._uow() as uow:
            for slug, name, description, categories in DEFAULT_DEPARTMENTS:
                department = Department(
                    self._ids.new_id(), slug, name, description, categories, True, self._clock.now()
                )
                await uow.departments.add(department)
                departments.append(department)
            # The service levels every fresh installation starts with (docs/sla.md).
            ids = [self._ids.new_id() for _ in DEFAULT_POLICIES]
            for policy in default_policies(ids, self._clock.now()):
                await uow.sla.add_policy(policy)
            await uow.commit()
        users = [CreateUser(ADMIN_EMAIL, "مدير النظام", Role.ADMIN, password=DEMO_PASSWORD)]
        names = iter(DEMO_AGENT_NAMES * agents_per_department)
        for department in departments:
            for n in range(1, agents_per_department + 1):
                users.append(
                    CreateUser(
                        f"agent{n}.{department.slug}@helpdesk.local",
                        f"{next(names)} ({department.name})",
                        Role.AGENT,
                        department_id=department.id,
                        password=DEMO_PASSWORD,
                    )
                )
        users.append(
            CreateUser(END_USER_EMAIL, "موظف تجريبي", Role.END_USER, password=DEMO_PASSWORD)
        )
        for user in users:
            await self._create_user.execute(SYSTEM_ACTOR, user)
        await self._reseed_quick_actions.execute(SYSTEM_ACTOR)


class FileDemoTicketsUseCase:
    """File realistic tickets across the taxonomy as the first end user, through the create
    use case, so routing, assignment, audit and notifications are real."""

    def __init__(self, uow: UnitOfWorkFactory, create_ticket: CreateTicketUseCase) -> None:
        self._uow = uow
        self._create_ticket = create_ticket

    async def execute(
        self,
        count: int,
        *,
        fallback: Actor | None = None,
        on_progress: Callable[[], None] | None = None,
    ) -> int:
        async with self._uow(read_only=True) as uow:
            found = await _newest_active_end_user(uow)
        submitter = Actor.of(found) if found is not None else fallback
        if submitter is None:
            raise ValidationFailed.of("count", "there is no end user to file demo tickets")
        for i in range(count):
            title, description = SAMPLE_TICKETS[i % len(SAMPLE_TICKETS)]
            priority = _PRIORITIES[i % len(_PRIORITIES)]
            await self._create_ticket.execute(submitter, CreateTicket(title, description, priority))
            if on_progress is not None:
                on_progress()
        return count


async def _newest_active_end_user(uow: UnitOfWork) -> Profile | None:
    """Demo tickets are filed as an end user who may file them: a deactivated one would be
    refused after the reseed had already deleted every ticket."""
    after = None
    while True:
        page = await uow.profiles.search(
            role=Role.END_USER, department_id=None, text=None, after=after, limit=PAGE
        )
        active = next((p for p in page if p.is_active), None)
        if active is not None or len(page) < PAGE:
            return active
        after = Position.of(page[-1])
