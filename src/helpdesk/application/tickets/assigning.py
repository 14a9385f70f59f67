"""Assignment steps shared by the ticket use cases (inside their unit of work)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from helpdesk.application.ports.storage.unit_of_work import UnitOfWork
from helpdesk.domain.assignment import choose_agent, is_eligible
from helpdesk.domain.people import Profile
from helpdesk.domain.ticket import Ticket


async def assign_by_policy(uow: UnitOfWork, department_id: UUID, now: datetime) -> Profile | None:
    """Pick the least-loaded eligible agent of the department (among equal loads, the one with
    fewest tickets at risk now) and record the assignment.

    `loads` serializes choices per department until the transaction ends, so concurrent
    creations cannot both see the same agent as least loaded.
    """
    agent = choose_agent(await uow.assignment.loads(department_id, at=now), department_id)
    if agent is not None:
        await uow.assignment.mark_assigned(agent.id, now)
    return agent


async def current_assignee_still_eligible(uow: UnitOfWork, ticket: Ticket) -> bool:
    if ticket.assigned_agent_id is None:
        return True
    candidate = await uow.assignment.load_of(ticket.assigned_agent_id)
    return candidate is not None and is_eligible(
        candidate.profile, ticket.department_id, candidate.load
    )


async def reassign_if_ineligible(uow: UnitOfWork, ticket: Ticket, now: datetime) -> None:
    """On reopening: an assignee who is no longer eligible gives way to the policy's choice."""
    if ticket.department_id is None or await current_assignee_still_eligible(uow, ticket):
        return
    agent = await assign_by_policy(uow, ticket.department_id, now)
    ticket.assigned_agent_id = agent.id if agent else None
