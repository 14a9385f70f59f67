"""The reports through HTTP on a known set of tickets, on every storage adapter: the same numbers
whichever database computes them, scoped by role, over half-open time windows."""

from __future__ import annotations

from typing import Any

from helpdesk.domain.taxonomy import Category

from .conftest import World, assert_problem


def report(world: World, name: str, who: Any = None, query: str = "") -> Any:
    response = world.request("GET", f"/api/v1/stats/{name}{query}", who or world.admin)
    assert response.status_code == 200, (name, query, response.text)
    return response.json()


def test_the_reports_on_a_known_set_of_tickets(storage_world: World) -> None:
    world = storage_world
    for answer in (
        {Category.NETWORK: 0.95},  # auto → it-support
        {Category.NETWORK: 1.0},  # auto → it-support, in the last bin
        {Category.HR: 0.7},  # suggested → human resources, triage
        {Category.FINANCE: 0.3},  # manual: too unsure for any department
        None,  # manual: the classifier is down, unclassified
    ):
        with world.classifier.answering(answer):
            filed = world.file()
    finance = str(world.departments["finance"].id)
    it = str(world.departments["it-support"].id)
    overridden = world.request(
        "POST",
        f"/api/v1/tickets/{filed['id']}/override",
        world.admin,
        json={"department_id": finance, "reason": "مالي"},
    )
    assert overridden.status_code == 200, overridden.text

    modes = report(world, "routing-modes")
    assert modes == {
        "total": 5,
        "modes": {"auto": 2, "suggested": 1, "manual": 2},  # the router's decisions
        "overridden": 1,
    }

    histogram = report(world, "confidence-histogram", query="?bins=10")
    assert [b["count"] for b in histogram["bins"]] == [0, 0, 0, 1, 0, 0, 0, 1, 0, 2]
    assert [(b["lower"], b["upper"]) for b in histogram["bins"][:2]] == [(0.0, 0.1), (0.1, 0.2)]
    assert histogram["bins"][-1]["upper"] == 1.0
    assert histogram["unclassified"] == 1
    assert len(report(world, "confidence-histogram", query="?bins=100")["bins"]) == 100
    assert len(report(world, "confidence-histogram", query="?bins=1")["bins"]) == 1
    for bins in ("0", "101", "x"):
        response = world.request(
            "GET", f"/api/v1/stats/confidence-histogram?bins={bins}", world.admin
        )
        assert [e["field"] for e in assert_problem(response, 422)["errors"]] == ["bins"]

    taxonomy = report(world, "taxonomy")
    counts = {c["category"]: c["count"] for c in taxonomy["categories"]}
    assert set(counts) == {c.value for c in Category}
    assert {k: v for k, v in counts.items() if v} == {"network": 2, "hr": 1, "finance": 1}
    assert taxonomy["unclassified"] == 1
    assert sum(counts.values()) + taxonomy["unclassified"] == modes["total"]

    rates = {r["department_id"]: r for r in report(world, "override-rate")["departments"]}
    assert (rates[finance]["total"], rates[finance]["overridden"], rates[finance]["rate"]) == (
        1,
        1,
        1.0,
    )
    assert (rates[it]["total"], rates[it]["rate"]) == (2, 0.0)
    facilities = str(world.departments["facilities"].id)
    assert (rates[facilities]["total"], rates[facilities]["rate"]) == (0, 0.0)

    workload = report(world, "agent-workload")["agents"]
    assert sum(a["total_active"] for a in workload) == 3  # two auto, one override
    assert all(a["total_active"] == a["open"] + a["in_progress"] + a["waiting"] for a in workload)

    # Agents see their own department only; end users none of it.
    agent = world.it_agents[0]
    assert report(world, "routing-modes", agent)["total"] == 2
    assert {a["department_id"] for a in report(world, "agent-workload", agent)["agents"]} == {it}
    assert report(world, "taxonomy", agent)["unclassified"] == 0
    for name in ("routing-modes", "confidence-histogram", "taxonomy", "override-rate"):
        assert_problem(world.request("GET", f"/api/v1/stats/{name}", world.user), 403)

    # Half-open time windows; an empty or inverted one is a 422.
    assert report(world, "routing-modes", query="?to=2000-01-01T00:00:00Z")["total"] == 0
    assert report(world, "routing-modes", query="?from=2000-01-01T00:00:00Z")["total"] == 5
    for window in (
        "?from=2030-01-01T00:00:00Z&to=2029-01-01T00:00:00Z",
        "?from=2030-01-01T00:00:00Z&to=2030-01-01T00:00:00Z",
    ):
        response = world.request("GET", f"/api/v1/stats/routing-modes{window}", world.admin)
        assert_problem(response, 422)


def test_routing_quality_on_a_known_set_of_tickets(storage_world: World) -> None:
    """On every storage adapter: auto-routed tickets finished where they were sent or moved
    away, a suggestion taken, labels from overrides; agents see their department's."""
    world = storage_world
    finance = str(world.departments["finance"].id)
    filed = {}
    for name, answer in (
        ("done", {Category.NETWORK: 0.95}),  # auto → it-support, resolved there
        ("moved", {Category.NETWORK: 0.9}),  # auto → it-support, moved to finance
        ("open", {Category.NETWORK: 0.92}),  # auto, still open: no verdict yet
        ("taken", {Category.HR: 0.7}),  # suggested → human resources, taken
        ("waiting", {Category.HR: 0.6}),  # suggested, still in triage
    ):
        with world.classifier.answering(answer):
            filed[name] = world.file()

    def ticket_path(name: str) -> str:
        return f"/api/v1/tickets/{filed[name]['id']}"

    done = world.request("PATCH", ticket_path("done"), world.admin, json={"status": "resolved"})
    assert done.status_code == 200, done.text
    moved = world.request(
        "POST",
        ticket_path("moved") + "/override",
        world.admin,
        json={"department_id": finance, "reason": "مالي"},
    )
    assert moved.status_code == 200 and moved.json()["human_category"] == "finance"
    taken = world.request("PATCH", ticket_path("taken"), world.admin, json={"status": "open"})
    assert taken.status_code == 200, taken.text

    body = report(world, "routing-quality")
    rows = {r["category"]: r for r in body["categories"]}
    assert list(rows) == [c.value for c in Category]  # every category, in taxonomy order
    assert rows["network"] == {
        "category": "network",
        "auto_routed": 3,
        "moved": 1,
        "auto_judged": 2,
        "auto_precision": 0.5,
        "suggested": 0,
        "suggested_judged": 0,
        "suggested_acceptance": None,
        "shadow": 0,
        "shadow_judged": 0,
        "shadow_precision": None,
        "labelled": 0,
        "model_accuracy": None,
    }
    assert (rows["hr"]["suggested"], rows["hr"]["suggested_judged"]) == (2, 1)
    assert rows["hr"]["suggested_acceptance"] == 1.0
    # The override labelled a network ticket as finance: the model was wrong on it.
    assert (rows["finance"]["labelled"], rows["finance"]["model_accuracy"]) == (1, 0.0)

    # Agents see their own department's tickets: the moved ticket is finance's now.
    mine = {
        r["category"]: r for r in report(world, "routing-quality", world.it_agents[0])["categories"]
    }
    assert (mine["network"]["auto_routed"], mine["network"]["moved"]) == (2, 0)
    assert mine["network"]["auto_precision"] == 1.0
    assert mine["finance"]["labelled"] == 0
    assert_problem(world.request("GET", "/api/v1/stats/routing-quality", world.user), 403)
    assert (
        report(world, "routing-quality", query="?to=2000-01-01T00:00:00Z")["categories"][0][
            "auto_routed"
        ]
        == 0
    )
