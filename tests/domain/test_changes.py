"""Planning ticket changes: updates, overrides, reclassification and releases."""

from __future__ import annotations

import uuid

import pytest

from helpdesk.domain.assignment import AgentLoad
from helpdesk.domain.changes import (
    MAX_REASON,
    TicketUpdate,
    apply_override,
    check_override,
    plan_update,
    release_ticket,
)
from helpdesk.domain.departments import Department
from helpdesk.domain.errors import Conflict, Forbidden, PreconditionFailed, ValidationFailed
from helpdesk.domain.patch import KEEP
from helpdesk.domain.taxonomy import Category, Priority, RoutingMode, TicketStatus

from .builders import (
    ADMIN_ACTOR,
    AGENT,
    FINANCE,
    IT,
    IT_AGENT,
    NOW,
    OTHER_AGENT,
    profile,
    ticket,
)

FINANCE_DEPT = Department(FINANCE, "finance", "المالية", "", (Category.FINANCE,), True, NOW)


def plan(request: TicketUpdate, **kw: object) -> object:
    return plan_update(
        kw.pop("ticket", ticket()),  # type: ignore[arg-type]
        request,
        actor=kw.pop("actor", ADMIN_ACTOR),  # type: ignore[arg-type]
        department=kw.pop("department", None),  # type: ignore[arg-type]
        assignee=kw.pop("assignee", None),  # type: ignore[arg-type]
        current_assignee=kw.pop("current_assignee", None),  # type: ignore[arg-type]
        if_match=kw.pop("if_match", None),  # type: ignore[arg-type]
        now=NOW,
    )


def test_a_request_that_changes_nothing_plans_no_change() -> None:
    outcome = plan(TicketUpdate(priority=Priority.MEDIUM, department_id=IT))
    assert outcome.changes == []  # type: ignore[attr-defined]
    assert plan(TicketUpdate()).changes == []  # type: ignore[attr-defined]


def test_keep_is_not_null() -> None:
    assert TicketUpdate().assigned_agent_id is KEEP
    cleared = plan(TicketUpdate(assigned_agent_id=None))
    assert cleared.ticket.assigned_agent_id is None  # type: ignore[attr-defined]


def test_clearing_the_assignee_of_work_in_progress_reopens_it() -> None:
    outcome = plan(
        TicketUpdate(assigned_agent_id=None), ticket=ticket(status=TicketStatus.IN_PROGRESS)
    )
    assert outcome.ticket.status is TicketStatus.OPEN  # type: ignore[attr-defined]
    assert {c.field for c in outcome.changes} >= {"status", "assigned_agent_id"}  # type: ignore[attr-defined]


def test_moving_department_drops_an_assignee_who_is_not_a_member() -> None:
    outcome = plan(
        TicketUpdate(department_id=FINANCE),
        department=FINANCE_DEPT,
        current_assignee=profile(AGENT),
    )
    moved = outcome.ticket  # type: ignore[attr-defined]
    assert (moved.department_id, moved.assigned_agent_id) == (FINANCE, None)


def test_the_order_of_checks_is_403_422_412_409() -> None:
    with pytest.raises(Forbidden):  # an agent may not reopen a closed ticket, whatever else
        plan(
            TicketUpdate(status=TicketStatus.OPEN, department_id=uuid.uuid4()),
            ticket=ticket(status=TicketStatus.CLOSED),
            actor=IT_AGENT,
        )
    with pytest.raises(ValidationFailed):  # unknown department before the stale If-Match
        plan(TicketUpdate(department_id=uuid.uuid4()), if_match=99)
    with pytest.raises(PreconditionFailed):  # If-Match before the illegal transition
        plan(TicketUpdate(status=TicketStatus.TRIAGE), if_match=99)
    with pytest.raises(Conflict):
        plan(TicketUpdate(status=TicketStatus.IN_PROGRESS), ticket=ticket(assigned_agent_id=None))


def test_an_assignee_must_be_an_eligible_agent_of_the_department() -> None:
    outsider = AgentLoad(profile(OTHER_AGENT, department_id=FINANCE), 0)
    with pytest.raises(ValidationFailed) as e:
        plan(TicketUpdate(assigned_agent_id=OTHER_AGENT), assignee=outsider)
    assert e.value.errors[0].field == "assigned_agent_id"
    member = AgentLoad(profile(OTHER_AGENT), 0)
    assigned = plan(TicketUpdate(assigned_agent_id=OTHER_AGENT), assignee=member)
    assert assigned.ticket.assigned_agent_id == OTHER_AGENT  # type: ignore[attr-defined]


def test_an_override_needs_a_reason_and_another_department() -> None:
    with pytest.raises(ValidationFailed):
        check_override(
            ticket(),
            department=FINANCE_DEPT,
            assignee=None,
            assignee_requested=False,
            reason="  ",
            if_match=None,
        )
    same = Department(IT, "it", "الدعم", "", (Category.NETWORK,), True, NOW)
    with pytest.raises(Conflict):
        check_override(
            ticket(),
            department=same,
            assignee=None,
            assignee_requested=False,
            reason="خطأ",
            if_match=None,
        )
    with pytest.raises(Conflict):
        check_override(
            ticket(status=TicketStatus.RESOLVED),
            department=FINANCE_DEPT,
            assignee=None,
            assignee_requested=False,
            reason="خطأ",
            if_match=None,
        )


def test_an_override_reason_is_at_most_max_reason_characters_after_trimming() -> None:
    def check(reason: str) -> Department:
        return check_override(
            ticket(),
            department=FINANCE_DEPT,
            assignee=None,
            assignee_requested=False,
            reason=reason,
            if_match=None,
        )

    assert check(" " + "س" * MAX_REASON + " ") == FINANCE_DEPT
    with pytest.raises(ValidationFailed) as refused:
        check("س" * (MAX_REASON + 1))
    assert refused.value.errors[0].field == "reason"


def test_an_override_is_manual_for_good_and_opens_a_triage_ticket() -> None:
    triage = ticket(status=TicketStatus.TRIAGE, assigned_agent_id=None, department_id=None)
    outcome = apply_override(
        triage, department_id=FINANCE, assignee_id=None, reason=" خطأ ", now=NOW
    )
    after = outcome.ticket
    assert (after.routing_mode, after.routing_overridden, after.routing_reason) == (
        RoutingMode.MANUAL,
        True,
        "خطأ",
    )
    assert after.status is TicketStatus.OPEN
    assert after.router_mode is RoutingMode.AUTO  # what the router decided is kept


def test_a_release_hands_work_in_progress_back_as_open() -> None:
    outcome = release_ticket(ticket(status=TicketStatus.IN_PROGRESS), OTHER_AGENT, NOW)
    assert (outcome.ticket.status, outcome.ticket.assigned_agent_id) == (
        TicketStatus.OPEN,
        OTHER_AGENT,
    )
