"""Audit records, admin actions, the one diff shape, the keyset rule and KEEP."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from helpdesk.domain import audit
from helpdesk.domain.keyset import Position, newest_first_after, oldest_first_after
from helpdesk.domain.patch import KEEP, patched
from helpdesk.domain.people import Actor
from helpdesk.domain.taxonomy import Category, Role

from .builders import ADMIN_ACTOR, NOW, profile


def ids() -> object:
    counter = iter(range(1, 10_000))
    return lambda: uuid.UUID(int=next(counter))


def test_a_changes_entries_keep_the_order_they_were_made_in() -> None:
    facts = [audit.AuditFact("ticket.updated", {}), audit.AuditFact("ticket.assigned", {})]
    entries = audit.entries(facts, actor_id=None, ticket_id=uuid.uuid4(), now=NOW, new_id=ids())  # type: ignore[arg-type]
    assert [e.action for e in sorted(entries, key=lambda e: e.created_at)] == [
        "ticket.updated",
        "ticket.assigned",
    ]


def test_admin_actions_of_the_system_have_no_actor() -> None:
    system = Actor(id=uuid.UUID(int=0), role=Role.ADMIN)
    entry = audit.admin_action(
        system, "user.created", "user", uuid.uuid4(), {}, now=NOW, new_id=ids()
    )  # type: ignore[arg-type]
    assert entry.actor_id is None and entry.ticket_id is None and entry.entity_type == "user"
    mine = audit.admin_action(
        ADMIN_ACTOR, "user.created", "user", uuid.uuid4(), {}, now=NOW, new_id=ids()
    )  # type: ignore[arg-type]
    assert mine.actor_id == ADMIN_ACTOR.id


def test_field_changes_have_one_shape_with_json_values() -> None:
    before = profile(uuid.UUID(int=5))
    after = profile(uuid.UUID(int=5), role=Role.ADMIN, department_id=None, full_name="منى")
    assert audit.field_changes(before, after, ("full_name", "role", "department_id", "email")) == {
        "changes": {
            "full_name": {"old": "موظف", "new": "منى"},
            "role": {"old": "agent", "new": "admin"},
            "department_id": {"old": str(before.department_id), "new": None},
        }
    }

    @dataclass
    class Dept:
        categories: tuple[Category, ...]

    diff = audit.field_changes(Dept((Category.HR,)), Dept(()), ["categories"])
    assert diff == {"changes": {"categories": {"old": ["hr"], "new": []}}}


def test_data_changes_name_only_the_fields_that_differ() -> None:
    before = {"start": "08:00", "working_days": [6, 0], "on_breach": {"release": False}}
    after = {"start": "09:00", "working_days": [6, 0], "on_breach": {"release": True}}
    assert audit.data_changes(before, after) == {
        "changes": {
            "start": {"old": "08:00", "new": "09:00"},
            "on_breach": {"old": {"release": False}, "new": {"release": True}},
        }
    }
    assert audit.data_changes(before, dict(before)) == {"changes": {}}


@dataclass(frozen=True)
class Row:
    created_at: datetime
    id: uuid.UUID


rows = st.lists(
    st.builds(
        Row,
        st.integers(0, 5).map(lambda m: datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=m)),
        st.integers(0, 2**64).map(lambda n: uuid.UUID(int=n)),
    ),
    unique_by=lambda r: r.id,
    max_size=30,
)


@given(rows, st.integers(1, 7), st.booleans())
def test_paging_by_position_visits_every_row_once_in_order(
    found: list[Row], size: int, newest: bool
) -> None:
    order = newest_first_after if newest else oldest_first_after
    seen: list[Row] = []
    after = None
    while True:
        page = order(found, after)[:size]
        if not page:
            break
        seen += page
        after = Position.of(page[-1])
    assert seen == order(found, None)
    assert len(seen) == len(found)


def test_keep_means_unchanged_and_none_means_cleared() -> None:
    assert patched(3, KEEP) == 3
    assert patched(3, None) is None
    assert patched(3, 4) == 4
