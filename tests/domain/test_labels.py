"""Human labels: named by an override, implied by a one-category department, kept through
reclassification, recorded by the audit."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from helpdesk.domain import audit
from helpdesk.domain.changes import (
    TicketUpdate,
    apply_override,
    apply_reclassification,
    plan_update,
)
from helpdesk.domain.classification import Classification
from helpdesk.domain.departments import Department
from helpdesk.domain.errors import Conflict
from helpdesk.domain.labels import HumanLabel, implied_category, label_for
from helpdesk.domain.routing import RoutingDecision
from helpdesk.domain.taxonomy import Category, RoutingMode, TicketStatus
from helpdesk.domain.ticket import ensure_invariants

from .builders import ADMIN, ADMIN_ACTOR, AGENT, FINANCE, IT, IT_AGENT, NOW, ticket

FINANCE_DEPT = Department(FINANCE, "finance", "المالية", "", (Category.FINANCE,), True, NOW)
SUPPORT = uuid.UUID(int=300)
SUPPORT_DEPT = Department(
    SUPPORT, "support", "الدعم", "", (Category.NETWORK, Category.HARDWARE), True, NOW
)


def test_only_a_one_category_department_implies_a_category() -> None:
    assert implied_category(FINANCE_DEPT) is Category.FINANCE
    assert implied_category(SUPPORT_DEPT) is None
    assert implied_category(None) is None
    # A named category wins over the department's own.
    named = label_for(Category.HR, FINANCE_DEPT, by=AGENT, at=NOW)
    assert named == HumanLabel(Category.HR, AGENT, NOW)
    assert label_for(None, SUPPORT_DEPT, by=AGENT, at=NOW) is None


def test_an_override_keeps_the_human_category_beside_the_model_s() -> None:
    model = Classification.from_scores({Category.NETWORK: 0.9}, model="m", classified_at=NOW)
    before = ticket(classification=model)
    outcome = apply_override(
        before,
        department_id=SUPPORT,
        assignee_id=None,
        reason="العطل في الجهاز",
        now=NOW,
        label=label_for(Category.HARDWARE, SUPPORT_DEPT, by=AGENT, at=NOW),
    )
    after = outcome.ticket
    assert (after.human_category, after.human_category_by, after.human_category_at) == (
        Category.HARDWARE,
        AGENT,
        NOW,
    )
    assert after.category is Category.NETWORK  # the model's answer stays as it was
    assert after.moved_by_human
    assert outcome.changed("human_category") is not None
    fact = audit.overridden(before, after, after.routing_reason)
    assert fact.metadata["before"]["human_category"] is None
    assert fact.metadata["after"]["human_category"] == "hardware"


def test_an_override_to_a_several_category_department_without_a_category_labels_nothing() -> None:
    after = apply_override(
        ticket(),
        department_id=SUPPORT,
        assignee_id=None,
        reason="سبب",
        now=NOW,
        label=label_for(None, SUPPORT_DEPT, by=AGENT, at=NOW),
    ).ticket
    assert after.human_category is None and after.moved_by_human


def test_a_patch_moving_to_a_one_category_department_labels_the_ticket() -> None:
    outcome = plan_update(
        ticket(assigned_agent_id=None),
        TicketUpdate(department_id=FINANCE),
        actor=ADMIN_ACTOR,
        department=FINANCE_DEPT,
        assignee=None,
        current_assignee=None,
        if_match=None,
        now=NOW,
    )
    after = outcome.ticket
    assert (after.human_category, after.human_category_by) == (Category.FINANCE, ADMIN)
    assert after.moved_by_human
    change = outcome.changed("human_category")
    assert change is not None and (change.old, change.new) == (None, Category.FINANCE)
    logged = audit.assignment_facts(outcome.changes, "manual")[0]
    assert logged.metadata["changes"]["human_category"] == {"old": None, "new": "finance"}


def test_placing_a_department_less_ticket_is_not_a_move() -> None:
    triage = ticket(status=TicketStatus.TRIAGE, department_id=None, assigned_agent_id=None)
    after = plan_update(
        triage,
        TicketUpdate(department_id=FINANCE),
        actor=ADMIN_ACTOR,
        department=FINANCE_DEPT,
        assignee=None,
        current_assignee=None,
        if_match=None,
        now=NOW,
    ).ticket
    assert not after.moved_by_human  # the router had placed it nowhere
    assert after.human_category is Category.FINANCE


def test_the_same_category_again_keeps_who_set_it_first() -> None:
    first = ticket(human_category=Category.FINANCE, human_category_by=AGENT, human_category_at=NOW)
    outcome = plan_update(
        first,
        TicketUpdate(department_id=FINANCE),
        actor=ADMIN_ACTOR,
        department=FINANCE_DEPT,
        assignee=None,
        current_assignee=None,
        if_match=None,
        now=NOW + timedelta(hours=1),
    )
    assert (outcome.ticket.human_category_by, outcome.ticket.human_category_at) == (AGENT, NOW)
    assert outcome.changed("human_category") is None


def test_reclassify_never_replaces_the_human_category() -> None:
    labelled = ticket(
        status=TicketStatus.TRIAGE,
        department_id=None,
        assigned_agent_id=None,
        human_category=Category.FINANCE,
        human_category_by=IT_AGENT.id,
        human_category_at=NOW,
    )
    model = Classification.from_scores({Category.NETWORK: 0.99}, model="m2", classified_at=NOW)
    decision = RoutingDecision(RoutingMode.AUTO, IT, 0.99, "auto", Category.NETWORK)
    after = apply_reclassification(
        labelled, model, decision, assignee_id=None, if_match=None, now=NOW
    ).ticket
    assert after.category is Category.NETWORK
    assert (after.human_category, after.human_category_by) == (Category.FINANCE, IT_AGENT.id)


def test_a_label_is_whole_or_absent() -> None:
    with pytest.raises(Conflict, match="human category"):
        ensure_invariants(ticket(human_category=Category.FINANCE))


def test_a_move_stops_counting_once_the_router_agrees_with_it() -> None:
    moved = ticket(department_id=FINANCE, assigned_agent_id=None, moved_by_human=True)
    model = Classification.from_scores({Category.FINANCE: 0.9}, model="m2", classified_at=NOW)
    agrees = RoutingDecision(RoutingMode.AUTO, FINANCE, 0.9, "auto", Category.FINANCE)
    after = apply_reclassification(
        moved, model, agrees, assignee_id=None, if_match=None, now=NOW
    ).ticket
    assert not after.moved_by_human
    still = RoutingDecision(RoutingMode.AUTO, IT, 0.9, "auto", Category.NETWORK)
    overridden = ticket(
        department_id=FINANCE, assigned_agent_id=None, moved_by_human=True, routing_overridden=True
    )
    kept = apply_reclassification(
        overridden, model, still, assignee_id=None, if_match=None, now=NOW
    ).ticket
    assert kept.moved_by_human  # the router still disagrees with the person
