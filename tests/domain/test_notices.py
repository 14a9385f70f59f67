"""Who is told what (docs/rules.md, "Notifications"), and who picks up an unassigned ticket."""

from __future__ import annotations

import uuid

from helpdesk.domain import notices
from helpdesk.domain.taxonomy import TicketStatus

from .builders import ADMIN, AGENT, IT, NOW, OTHER_AGENT, SUBMITTER, ticket

WATCHERS = [uuid.UUID(int=50), uuid.UUID(int=51)]


def kinds(told: list[notices.Notice]) -> dict[uuid.UUID, list[str]]:
    out: dict[uuid.UUID, list[str]] = {}
    for n in told:
        out.setdefault(n.user_id, []).append(n.kind)
    return out


def test_whoever_picks_up_an_unassigned_ticket() -> None:
    assert notices.pickup_audience(ticket()) == notices.NOBODY
    assert notices.pickup_audience(ticket(assigned_agent_id=None)) == notices.Audience(
        department_id=IT
    )
    triage = ticket(assigned_agent_id=None, department_id=None, status=TicketStatus.TRIAGE)
    assert notices.pickup_audience(triage) == notices.Audience(admins=True)


def test_only_a_submitters_public_comment_has_an_audience() -> None:
    unassigned = ticket(assigned_agent_id=None)
    assert notices.comment_audience(unassigned, author_id=SUBMITTER, internal=False).department_id
    assert notices.comment_audience(unassigned, author_id=AGENT, internal=False) == notices.NOBODY
    assert notices.comment_audience(unassigned, author_id=SUBMITTER, internal=True) == (
        notices.NOBODY
    )


def test_creation_tells_the_submitter_and_the_assignee_or_the_queue() -> None:
    assigned = kinds(notices.on_created(ticket(), WATCHERS))
    assert assigned == {SUBMITTER: ["ticket_created"], AGENT: ["ticket_assigned"]}
    queued = kinds(notices.on_created(ticket(assigned_agent_id=None), WATCHERS))
    assert queued == {
        SUBMITTER: ["ticket_created"],
        WATCHERS[0]: ["department_queue"],
        WATCHERS[1]: ["department_queue"],
    }
    triage = ticket(assigned_agent_id=None, department_id=None, status=TicketStatus.TRIAGE)
    assert kinds(notices.on_created(triage, [ADMIN])) == {
        SUBMITTER: ["ticket_created"],
        ADMIN: ["triage_needed"],
    }


def test_the_actor_is_never_told_of_their_own_action_but_gets_the_override_receipt() -> None:
    changed = notices.on_status_changed(ticket(), TicketStatus.IN_PROGRESS, AGENT)
    assert kinds(changed) == {SUBMITTER: ["status_changed"]}
    overridden = notices.on_overridden(ticket(assigned_agent_id=OTHER_AGENT), AGENT, "سبب")
    assert kinds(overridden) == {
        SUBMITTER: ["routing_overridden"],
        AGENT: ["override_receipt"],
        OTHER_AGENT: ["ticket_assigned"],
    }


def test_comments_go_to_the_other_side() -> None:
    by_submitter = notices.on_comment(
        ticket(), author_id=SUBMITTER, internal=False, watchers=WATCHERS
    )
    assert kinds(by_submitter) == {AGENT: ["comment_added"]}
    unassigned = notices.on_comment(
        ticket(assigned_agent_id=None), author_id=SUBMITTER, internal=False, watchers=WATCHERS
    )
    assert set(kinds(unassigned)) == set(WATCHERS)
    by_staff = notices.on_comment(ticket(), author_id=OTHER_AGENT, internal=False, watchers=[])
    assert kinds(by_staff) == {SUBMITTER: ["comment_added"]}
    note = notices.on_comment(ticket(), author_id=OTHER_AGENT, internal=True, watchers=[])
    assert kinds(note) == {AGENT: ["internal_note"]}


def test_a_department_change_tells_the_new_queue_only_when_unassigned() -> None:
    assert notices.on_department_changed(ticket(), WATCHERS, ADMIN) == []
    moved = notices.on_department_changed(ticket(assigned_agent_id=None), WATCHERS, ADMIN)
    assert {n.user_id for n in moved} == set(WATCHERS)


def test_merge_drops_a_repeat_of_the_same_kind_to_the_same_person() -> None:
    a = notices.Notice(AGENT, "ticket_assigned", "t", "b")
    b = notices.Notice(AGENT, "status_changed", "t", "b")
    assert notices.merge([a], [a, b]) == [a, b]


def test_delivered_notifications_carry_the_notice_and_are_unread() -> None:
    told = notices.on_created(ticket(), WATCHERS)
    ids = iter(uuid.UUID(int=i) for i in range(1000, 1010))
    stored = notices.deliver(told, ticket_id=ticket().id, now=NOW, new_id=lambda: next(ids))
    assert [(s.user_id, s.kind, s.read_at) for s in stored] == [
        (n.user_id, n.kind, None) for n in told
    ]
    assert {s.created_at for s in stored} == {NOW}
    assert all("#7" in s.title for s in stored)  # the ticket number, in Arabic text
