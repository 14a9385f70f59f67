"""Service levels over HTTP: the policies (staff read, admins write, audited, validated, one
active policy per scope), the department calendars, and the ticket's SLA fields, filter and
order as a client sees them, with the SLA pass run in between (time moved by the clock)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from .conftest import NETWORK, World, assert_problem, make_world

POLICIES = "/api/v1/sla-policies"


class MovableClock:
    def __init__(self) -> None:
        self.at = datetime(2026, 3, 5, 11, 30, tzinfo=UTC)  # Thursday, 14:30 in Riyadh

    def now(self) -> datetime:
        return self.at


@pytest.fixture(scope="module")
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture(scope="module")
def world(clock: MovableClock) -> Iterator[World]:
    with make_world(overrides={"clock": clock}) as w:
        yield w


def policy_body(**kw: Any) -> dict[str, Any]:
    return {
        "name": "الشبكة العاجلة",
        "priority": "urgent",
        "category": "network",
        "first_response_minutes": 15,
        "resolution_minutes": 120,
        **kw,
    }


def test_the_seeded_policies_are_listed_for_staff(world: World) -> None:
    for who in (world.admin, world.it_agents[0]):
        items = world.request("GET", POLICIES, who).json()["items"]
        by_priority = {p["priority"]: p for p in items if p["department_id"] is None}
        assert by_priority["medium"]["first_response_minutes"] == 240
        assert by_priority["medium"]["resolution_minutes"] == 1440
        assert by_priority["medium"]["on_breach"] == {
            "notify": ["assignee", "department"],
            "raise_priority": True,
            "release": False,
        }
        assert by_priority["urgent"]["warning_percent"] == 80


def test_a_policy_is_created_changed_and_deleted_with_an_audit_trail(
    world: World, clock: MovableClock
) -> None:
    created = world.request("POST", POLICIES, world.admin, json=policy_body())
    assert created.status_code == 201, created.text
    policy = created.json()
    assert policy["on_breach"] == {
        "notify": ["assignee"],
        "raise_priority": False,
        "release": False,
    }
    assert policy["is_active"] is True and policy["category"] == "network"
    path = f"{POLICIES}/{policy['id']}"
    clock.at += timedelta(seconds=1)
    # The same scope, active: the choice would be ambiguous.
    assert_problem(world.request("POST", POLICIES, world.admin, json=policy_body()), 409)
    changed = world.request(
        "PATCH", path, world.admin, json={"warning_percent": 50, "on_breach": {"release": True}}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["warning_percent"] == 50
    assert changed.json()["on_breach"]["release"] is True
    clock.at += timedelta(seconds=1)
    assert world.request("DELETE", path, world.admin).status_code == 204
    assert_problem(world.request("PATCH", path, world.admin, json={"name": "x"}), 404)
    trail = world.request(
        "GET", f"/api/v1/audit?entity_type=sla_policy&entity_id={policy['id']}", world.admin
    ).json()["items"]
    assert [e["action"] for e in trail] == [
        "sla_policy.created",
        "sla_policy.updated",
        "sla_policy.deleted",
    ]
    assert trail[1]["metadata"]["changes"]["warning_percent"] == {"old": 80, "new": 50}


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        (policy_body(resolution_minutes=10), {"resolution_minutes"}),
        (
            policy_body(warning_percent=0, first_response_minutes=0),
            {"warning_percent", "first_response_minutes"},
        ),
        (policy_body(name="   "), {"name"}),
        (policy_body(on_breach={"notify": ["everyone"]}), {"on_breach.notify[0]"}),
        (policy_body(on_breach={"notify": ["admins", "admins"]}), {"on_breach.notify"}),
        (policy_body(priority="soon"), {"priority"}),
        (policy_body(department_id="00000000-0000-0000-0000-000000000000"), {"department_id"}),
        (policy_body(first_response_minutes="ten"), {"first_response_minutes"}),
    ],
)
def test_a_bad_policy_is_a_422_naming_its_fields(
    world: World, body: dict[str, Any], fields: set[str]
) -> None:
    problem = assert_problem(world.request("POST", POLICIES, world.admin, json=body), 422)
    assert {e["field"] for e in problem["errors"]} == fields


def test_a_department_calendar_defaults_and_is_replaced(world: World) -> None:
    finance = world.departments["finance"].id
    path = f"/api/v1/departments/{finance}/calendar"
    assert world.request("GET", path, world.user).json() == {
        "timezone": "Asia/Riyadh",
        "working_days": [7, 1, 2, 3, 4],
        "start": "08:00",
        "end": "16:00",
        "holidays": [],
    }
    bad = {"timezone": "Mars/Olympus", "start": "17:00", "end": "09:00", "holidays": ["tomorrow"]}
    problem = assert_problem(world.request("PUT", path, world.admin, json=bad), 422)
    assert {e["field"] for e in problem["errors"]} == {"timezone", "end", "holidays"}
    wanted = {
        "timezone": "Europe/Berlin",
        "working_days": [1, 2, 3, 4, 5],
        "start": "09:00",
        "end": "24:00",
        "holidays": ["2026-12-25", "2026-01-01"],
    }
    saved = world.request("PUT", path, world.admin, json=wanted)
    assert saved.status_code == 200, saved.text
    assert saved.json()["holidays"] == ["2026-01-01", "2026-12-25"]  # kept sorted
    assert world.request("GET", path, world.it_agents[0]).json() == saved.json()
    unknown = "/api/v1/departments/00000000-0000-0000-0000-000000000000/calendar"
    assert_problem(world.request("GET", unknown, world.admin), 404)
    assert_problem(world.request("GET", "/api/v1/departments/nope/calendar", world.admin), 404)


def test_tickets_show_their_clock_and_filter_and_sort_by_it(
    world: World, clock: MovableClock
) -> None:
    clock.at = datetime(2026, 3, 5, 11, 30, tzinfo=UTC)
    first = world.file(world.user, NETWORK)  # medium: 4 h / 24 h from Thursday 14:30 Riyadh
    assert first["first_response_due_at"] == "2026-03-08T07:30:00Z"  # Sunday 10:30 Riyadh
    assert first["resolution_due_at"] == "2026-03-10T11:30:00Z"
    assert (first["first_responded_at"], first["sla_state"]) == (None, "on_track")
    clock.at += timedelta(minutes=30)
    second = world.file(world.user, NETWORK, priority="urgent")
    assert second["resolution_due_at"] == "2026-03-08T08:00:00Z"  # 1 h Thursday + 3 h Sunday
    listing = world.request(
        "GET", "/api/v1/tickets?order=resolution_due&limit=1", world.admin
    ).json()
    ids = [t["id"] for t in listing["items"]]
    page_two = world.request(
        "GET",
        f"/api/v1/tickets?order=resolution_due&limit=1&cursor={listing['next_cursor']}",
        world.admin,
    ).json()
    ids += [t["id"] for t in page_two["items"]]
    assert ids[:2] == [second["id"], first["id"]]  # soonest due first, across pages
    # Sunday 10:31 Riyadh: both first responses are overdue.
    clock.at = datetime(2026, 3, 8, 7, 31, tzinfo=UTC)
    with world.client.portal() as portal:
        report = portal.call(world.container.sla_pass().execute)
    assert report.breached >= 2
    for ticket in (first, second):
        assignee = ticket["assigned_agent_id"]
        told = world.request("GET", "/api/v1/notifications?limit=200", assignee).json()["items"]
        kinds = [n["kind"] for n in told if n["ticket_id"] == ticket["id"]]
        assert kinds.count("sla_breach") == 1, kinds
    breached = world.request("GET", "/api/v1/tickets?sla=breached&limit=200", world.admin).json()
    assert {first["id"], second["id"]} <= {t["id"] for t in breached["items"]}
    assert all(t["sla_state"] == "breached" for t in breached["items"])
    at_risk = world.request("GET", "/api/v1/tickets?sla=at_risk&limit=200", world.admin).json()
    assert first["id"] not in {t["id"] for t in at_risk["items"]}
    assert_problem(world.request("GET", "/api/v1/tickets?sla=late", world.admin), 422)
    assert_problem(world.request("GET", "/api/v1/tickets?order=oldest", world.admin), 422)


def test_the_sla_report_is_scoped_and_counts_in_working_minutes(
    world: World, clock: MovableClock
) -> None:
    clock.at = datetime(2026, 3, 15, 5, 0, tzinfo=UTC)  # Sunday 08:00 in Riyadh
    filed = world.file(world.user, NETWORK)
    agent = world.it_agents[0]
    clock.at += timedelta(minutes=45)
    path = f"/api/v1/tickets/{filed['id']}/comments"
    assert world.request("POST", path, agent, json={"body": "نعمل عليها"}).status_code == 201
    window = "from=2026-03-15T00:00:00Z&to=2026-03-16T00:00:00Z"
    rows = world.request("GET", f"/api/v1/stats/sla?{window}", world.admin).json()["rows"]
    it_support = str(world.departments["it-support"].id)
    assert rows == [
        {
            "department_id": it_support,
            "priority": "medium",
            "total": 1,
            "first_response_met": 1,
            "first_response_breached": 0,
            "resolution_met": 0,
            "resolution_breached": 0,
            "median_first_response_minutes": 45.0,
            "p90_first_response_minutes": 45.0,
            "median_resolution_minutes": None,
            "p90_resolution_minutes": None,
        }
    ]
    # Agents see their own department only.
    finance_rows = world.request("GET", f"/api/v1/stats/sla?{window}", world.finance_agent)
    assert finance_rows.json() == {"rows": []}
    assert world.request("GET", f"/api/v1/stats/sla?{window}", agent).json()["rows"] == rows
    assert_problem(
        world.request(
            "GET",
            "/api/v1/stats/sla?from=2026-03-16T00:00:00Z&to=2026-03-15T00:00:00Z",
            world.admin,
        ),
        422,
    )
