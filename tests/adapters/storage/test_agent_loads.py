"""Agents' loads after tickets change hands and status: every adapter answers what counting the
active tickets answers. (The SQL adapter reads counts kept by triggers on the tickets table; a
count that drifted on a reassignment, a status change or a deletion shows here.)"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from helpdesk.domain.taxonomy import ACTIVE_STATUSES, Role, TicketStatus
from helpdesk.domain.ticket import Ticket

from .builders import T0, department, profile, seed, ticket


def _recount(tickets: list[Ticket], agents: list[Any]) -> dict[Any, int]:
    return {
        a.id: sum(t.assigned_agent_id == a.id and t.status in ACTIVE_STATUSES for t in tickets)
        for a in agents
    }


async def _loads(storage: Any, department_id: Any) -> dict[Any, int]:
    async with storage.unit_of_work() as uow:
        return {load.profile.id: load.load for load in await uow.assignment.loads(department_id)}


async def test_loads_follow_reassignments_status_changes_and_deletions(storage: Any) -> None:
    it = department("it")
    a, b, c = (profile(Role.AGENT, it.id) for _ in range(3))
    submitter = profile(Role.END_USER)
    tickets = [
        ticket(submitter, department_id=it.id, assignee=a.id),
        ticket(submitter, department_id=it.id, assignee=a.id, status=TicketStatus.IN_PROGRESS),
        ticket(submitter, department_id=it.id, assignee=b.id, status=TicketStatus.WAITING),
        ticket(submitter, department_id=it.id, assignee=a.id, status=TicketStatus.RESOLVED),
        ticket(submitter, department_id=it.id),
        ticket(submitter, department_id=it.id, assignee=c.id, status=TicketStatus.CLOSED),
    ]
    await seed(storage, it, a, b, c, submitter, *tickets)
    assert (
        await _loads(storage, it.id) == _recount(tickets, [a, b, c]) == {a.id: 2, b.id: 1, c.id: 0}
    )

    changes = {
        0: {"status": TicketStatus.RESOLVED},  # active → ended
        1: {"status": TicketStatus.WAITING},  # active → active, same agent
        2: {"assigned_agent_id": a.id},  # to another agent
        3: {"status": TicketStatus.OPEN},  # reopened
        4: {"assigned_agent_id": c.id},  # from no agent
        5: {"assigned_agent_id": None, "status": TicketStatus.OPEN},  # ended → unassigned
    }
    async with storage.unit_of_work() as uow:
        for index, fields in changes.items():
            current = await uow.tickets.get(tickets[index].id)
            assert current is not None
            changed = current.copy()
            for name, value in fields.items():
                setattr(changed, name, value)
            changed.version = current.version + 1
            changed.updated_at = T0 + timedelta(hours=1)
            await uow.tickets.update(changed, expected_version=current.version)
            tickets[index] = changed
        await uow.commit()
    assert (
        await _loads(storage, it.id) == _recount(tickets, [a, b, c]) == {a.id: 3, b.id: 0, c.id: 1}
    )

    async with storage.unit_of_work() as uow:
        await uow.tickets.delete_all()
        await uow.commit()
    assert await _loads(storage, it.id) == {a.id: 0, b.id: 0, c.id: 0}
    await seed(storage, ticket(submitter, department_id=it.id, assignee=b.id))
    assert await _loads(storage, it.id) == {a.id: 0, b.id: 1, c.id: 0}
