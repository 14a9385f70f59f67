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
