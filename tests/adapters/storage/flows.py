"""Real use cases over SQL storage: a department with agents, and the create-ticket flow with a
classifier that is always sure (so every ticket is routed and assigned automatically)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from helpdesk.adapters.storage.sql.tables import audit_entries, tickets
from helpdesk.adapters.storage.sql.unit_of_work import SqlStorage
from helpdesk.application.ports.classifier import ClassifierHealth
from helpdesk.application.users.create import SYSTEM_ACTOR, CreateUser
from helpdesk.container import Container
from helpdesk.domain.classification import Classification
from helpdesk.domain.departments import Department
from helpdesk.domain.people import Actor
from helpdesk.domain.taxonomy import Category, Role

from ...wiring import wired

TITLE, DESCRIPTION = "الشبكة لا تعمل", "لا يوجد اتصال بالإنترنت في مكتبي منذ الصباح"


class NetworkClassifier:
    """Always the department's category, at 0.95: above the auto-routing threshold."""

    async def classify(self, text: str) -> Classification | None:
        return Classification.from_scores(
            {Category.NETWORK: 0.95, Category.HARDWARE: 0.03},
            model="stub",
            classified_at=datetime.now(UTC),
        )

    async def health(self) -> ClassifierHealth:
        return "ok"


def context(storage: Any) -> Container:
    """The real use cases over `storage`, with the always-sure classifier."""
    return wired(storage, NetworkClassifier())


async def seed_department(storage: Any, agents: int) -> tuple[Department, list[uuid.UUID], Actor]:
    """A network department with `agents` agents (made by the create-user use case) and an end
    user to file tickets."""
    ctx = context(storage)
    dept = Department(
        uuid.uuid4(), "it", "الدعم الفني", "", (Category.NETWORK,), True, datetime.now(UTC)
    )
    async with storage.unit_of_work() as uow:
        await uow.departments.add(dept)
        await uow.commit()
    create_user = ctx.create_user()
    ids = [
        (
            await create_user.execute(
                SYSTEM_ACTOR, CreateUser(f"agent{i}@x.io", f"وكيل {i}", Role.AGENT, dept.id)
            )
        ).id
        for i in range(agents)
    ]
    user = await create_user.execute(SYSTEM_ACTOR, CreateUser("user@x.io", "موظف", Role.END_USER))
    return dept, ids, Actor.of(user)


async def ticket_counts(storage: SqlStorage) -> tuple[int, int]:
    """(tickets, tickets without their ticket.created audit entry) — the second must be 0."""
    async with storage.engine.connect() as conn:
        count = (await conn.execute(select(func.count()).select_from(tickets))).scalar_one()
        unaudited = (
            await conn.execute(
                select(func.count())
                .select_from(tickets)
                .where(
                    ~select(audit_entries.c.id)
                    .where(
                        audit_entries.c.ticket_id == tickets.c.id,
                        audit_entries.c.action == "ticket.created",
                    )
                    .exists()
                )
            )
        ).scalar_one()
    return int(count), int(unaudited)
