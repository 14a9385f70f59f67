"""SLA policies: validation, uniqueness of scope, and which policy a ticket gets."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpdesk.domain.errors import Conflict, ValidationFailed
from helpdesk.domain.sla.defaults import DEFAULT_POLICIES, default_policies
from helpdesk.domain.sla.policy import (
    BreachActions,
    Recipient,
    SlaPolicy,
    check_scope_free,
    next_priority,
    select_policy,
)
from helpdesk.domain.taxonomy import Category, Priority

T = datetime(2026, 1, 1, tzinfo=UTC)
IT = uuid.UUID(int=1001)
HR = uuid.UUID(int=1002)


def policy(n: int = 1, **fields: Any) -> SlaPolicy:
    values: dict[str, Any] = {
        "id": uuid.UUID(int=n),
        "name": f"سياسة {n}",
        "priority": Priority.HIGH,
        "first_response_minutes": 60,
        "resolution_minutes": 480,
        "created_at": T,
    }
    values.update(fields)
    return SlaPolicy(**values)


def test_defaults_follow_the_contract() -> None:
    p = policy()
    assert p.warning_percent == 80
    assert p.on_breach == BreachActions(notify=(Recipient.ASSIGNEE,))
    assert p.is_active and p.department_id is None and p.category is None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "   "}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"first_response_minutes": 0}, "first_response_minutes"),
        ({"first_response_minutes": 1.5}, "first_response_minutes"),
        ({"resolution_minutes": 366 * 24 * 60 + 1}, "resolution_minutes"),
        ({"first_response_minutes": 600, "resolution_minutes": 480}, "resolution_minutes"),
        ({"warning_percent": 0}, "warning_percent"),
        ({"warning_percent": 100}, "warning_percent"),
        ({"warning_percent": True}, "warning_percent"),
        ({"priority": "critical"}, "priority"),
        ({"category": "weather"}, "category"),
        ({"on_breach": BreachActions(notify=("boss",))}, "on_breach.notify"),  # type: ignore[arg-type]
        (
            {"on_breach": BreachActions(notify=(Recipient.ADMINS, Recipient.ADMINS))},
            "on_breach.notify",
        ),
    ],
)
def test_a_bad_policy_cannot_be_built(fields: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationFailed) as failure:
        policy(**fields)
    assert [e.field for e in failure.value.errors] == [field]


def test_boundaries_are_accepted() -> None:
    policy(warning_percent=1, first_response_minutes=1, resolution_minutes=1)
    policy(warning_percent=99, on_breach=BreachActions(notify=()))
    assert policy(name="  اسم  ").name == "اسم"


def test_two_active_policies_may_not_share_a_scope() -> None:
    first = policy(1, department_id=IT)
    with pytest.raises(Conflict):
        check_scope_free(policy(2, department_id=IT), [first])
    # Another priority, another department, or an inactive one: no conflict.
    check_scope_free(policy(2, department_id=IT, priority=Priority.LOW), [first])
    check_scope_free(policy(2, department_id=HR), [first])
    check_scope_free(policy(2, department_id=IT, is_active=False), [first])
    check_scope_free(policy(2, department_id=IT), [policy(1, department_id=IT, is_active=False)])
    # A policy does not conflict with its own stored version.
    check_scope_free(first, [first])


ALL_SCOPES = [
    policy(1),
    policy(2, category=Category.PRINTING),
    policy(3, department_id=IT),
    policy(4, department_id=IT, category=Category.PRINTING),
]


@pytest.mark.parametrize(
    ("department", "category", "chosen"),
    [
        (IT, Category.PRINTING, 4),  # department + category
        (IT, Category.NETWORK, 3),  # department
        (HR, Category.PRINTING, 2),  # category
        (None, Category.PRINTING, 2),
        (HR, Category.HR, 1),  # priority alone
        (None, None, 1),
    ],
)
def test_the_most_specific_active_policy_wins(
    department: uuid.UUID | None, category: Category | None, chosen: int
) -> None:
    found = select_policy(
        ALL_SCOPES, priority=Priority.HIGH, department_id=department, category=category
    )
    assert found is not None and found.id.int == chosen


def test_inactive_and_other_priority_policies_are_ignored() -> None:
    policies = [
        policy(4, department_id=IT, category=Category.PRINTING, is_active=False),
        policy(3, department_id=IT, priority=Priority.LOW),
        policy(1),
    ]
    found = select_policy(
        policies, priority=Priority.HIGH, department_id=IT, category=Category.PRINTING
    )
    assert found is not None and found.id.int == 1


def test_no_matching_policy_means_no_due_times() -> None:
    assert select_policy(ALL_SCOPES, priority=Priority.LOW, department_id=IT, category=None) is None
    assert select_policy([], priority=Priority.HIGH, department_id=None, category=None) is None


@given(
    st.permutations(ALL_SCOPES), st.sampled_from([IT, HR, None]), st.sampled_from(list(Category))
)
def test_the_choice_does_not_depend_on_the_order_policies_are_listed(
    policies: list[SlaPolicy], department: uuid.UUID | None, category: Category
) -> None:
    expected = select_policy(
        ALL_SCOPES, priority=Priority.HIGH, department_id=department, category=category
    )
    assert expected == select_policy(
        policies, priority=Priority.HIGH, department_id=department, category=category
    )


def test_equal_scopes_go_to_the_oldest_policy_then_the_lowest_id() -> None:
    old = policy(9, created_at=T - timedelta(days=1))
    assert (
        select_policy([policy(1), old], priority=Priority.HIGH, department_id=None, category=None)
        == old
    )
    assert select_policy(
        [policy(3), policy(2)], priority=Priority.HIGH, department_id=None, category=None
    ) == policy(2)


def test_priorities_rise_one_level_at_a_time() -> None:
    assert next_priority(Priority.LOW) is Priority.MEDIUM
    assert next_priority(Priority.MEDIUM) is Priority.HIGH
    assert next_priority(Priority.HIGH) is Priority.URGENT
    assert next_priority(Priority.URGENT) is None


def test_the_seeded_policies_cover_every_priority_once_and_tighten_with_it() -> None:
    seeded = default_policies([uuid.uuid4() for _ in DEFAULT_POLICIES], T)
    assert sorted(p.priority for p in seeded) == sorted(Priority)
    by_priority = {p.priority: p for p in seeded}
    order = [Priority.LOW, Priority.MEDIUM, Priority.HIGH, Priority.URGENT]
    for lower, higher in itertools.pairwise(order):
        assert (
            by_priority[higher].first_response_minutes < by_priority[lower].first_response_minutes
        )
        assert by_priority[higher].resolution_minutes < by_priority[lower].resolution_minutes
    for p in seeded:
        check_scope_free(p, seeded)
