"""Who may write what on a ticket, and when a comment reopens it."""

from __future__ import annotations

import pytest

from helpdesk.domain.comments import MAX_BODY, can_see_internal, check_comment, reopens
from helpdesk.domain.errors import Conflict, Forbidden, ValidationFailed
from helpdesk.domain.taxonomy import TicketStatus

from .builders import (
    ADMIN_ACTOR,
    FINANCE,
    FINANCE_AGENT,
    IT_AGENT,
    OTHER_AGENT,
    SUBMITTER_ACTOR,
    ticket,
)


def test_the_body_is_trimmed_and_bounded() -> None:
    assert check_comment(SUBMITTER_ACTOR, ticket(), "  شكرًا  ", internal=False) == "شكرًا"
    for body in ("", "   ", "ا" * (MAX_BODY + 1)):
        with pytest.raises(ValidationFailed) as e:
            check_comment(SUBMITTER_ACTOR, ticket(), body, internal=False)
        assert e.value.errors[0].field == "body"
    assert check_comment(SUBMITTER_ACTOR, ticket(), "ا" * MAX_BODY, internal=False)


def test_an_end_user_may_not_write_internal_notes_even_with_a_bad_body() -> None:
    # 403 comes before 422 (docs/rules.md's order of checks).
    with pytest.raises(Forbidden):
        check_comment(SUBMITTER_ACTOR, ticket(), "", internal=True)


def test_a_closed_ticket_takes_internal_notes_but_no_public_comment() -> None:
    closed = ticket(status=TicketStatus.CLOSED)
    assert check_comment(IT_AGENT, closed, "ملاحظة", internal=True) == "ملاحظة"
    with pytest.raises(Conflict):
        check_comment(IT_AGENT, closed, "رد", internal=False)


def test_staff_of_the_ticket_see_internal_notes_and_its_requesters_do_not() -> None:
    it_ticket = ticket()
    assert can_see_internal(ADMIN_ACTOR, it_ticket)
    assert can_see_internal(IT_AGENT, it_ticket)
    assert not can_see_internal(SUBMITTER_ACTOR, it_ticket)
    # An agent of another department who filed the ticket is its requester there.
    filed_by_finance_agent = ticket(submitter_id=FINANCE_AGENT.id)
    assert not can_see_internal(FINANCE_AGENT, filed_by_finance_agent)
    with pytest.raises(Forbidden):
        check_comment(FINANCE_AGENT, filed_by_finance_agent, "ملاحظة", internal=True)
    # …unless it is assigned to them.
    assigned = ticket(department_id=FINANCE, assigned_agent_id=OTHER_AGENT)
    assert can_see_internal(FINANCE_AGENT, assigned)


def test_only_the_submitters_public_comment_on_a_resolved_ticket_reopens_it() -> None:
    resolved = ticket(status=TicketStatus.RESOLVED)
    assert reopens(SUBMITTER_ACTOR, resolved, internal=False)
    assert not reopens(IT_AGENT, resolved, internal=False)
    assert not reopens(SUBMITTER_ACTOR, ticket(status=TicketStatus.CLOSED), internal=False)
    assert not reopens(SUBMITTER_ACTOR, ticket(status=TicketStatus.OPEN), internal=False)
