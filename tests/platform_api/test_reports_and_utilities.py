"""Stats, dev utilities and rate limiting, through HTTP."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from helpdesk.domain.taxonomy import Category

from ..api.client import SECRET, Api, bearer, running_api
from ..api.test_permissions import assert_problem


@pytest.fixture
def api(storage_url: str) -> Iterator[Api]:
    with running_api(storage_url) as api:
        yield api


def test_stats_on_a_known_data_set(api: Api) -> None:
    admin = api.as_(api.admin)
    for answer in (
        {Category.NETWORK: 0.95},  # auto
        {Category.NETWORK: 1.0},  # auto, last bin
        {Category.HR: 0.7},  # suggested
        {Category.FINANCE: 0.3},  # manual (low)
    ):
        api.classifier.answer = answer
        api.file()
    api.classifier.answer = None
    unclassified = api.file()  # manual, no classification
    departments = {
        d["slug"]: d["id"]
        for d in api.client.get("/api/v1/departments", headers=admin).json()["items"]
    }
    api.client.post(
        f"/api/v1/tickets/{unclassified['id']}/override",
        json={"department_id": departments["finance"], "reason": "مالي"},
        headers=admin,
    )
    modes = api.client.get("/api/v1/stats/routing-modes", headers=admin).json()
    assert modes == {"total": 5, "modes": {"auto": 2, "suggested": 1, "manual": 2}, "overridden": 1}
    histogram = api.client.get("/api/v1/stats/confidence-histogram?bins=10", headers=admin).json()
    assert [b["count"] for b in histogram["bins"]] == [0, 0, 0, 1, 0, 0, 0, 1, 0, 2]
    assert histogram["bins"][0]["lower"] == 0.0 and histogram["bins"][-1]["upper"] == 1.0
    assert histogram["unclassified"] == 1
    assert (
        len(
            api.client.get("/api/v1/stats/confidence-histogram?bins=100", headers=admin).json()[
                "bins"
            ]
        )
        == 100
    )
    for bins in (0, 101, "x"):
        assert_problem(
            api.client.get(f"/api/v1/stats/confidence-histogram?bins={bins}", headers=admin), 422
        )
    taxonomy = api.client.get("/api/v1/stats/taxonomy", headers=admin).json()
    counts = {c["category"]: c["count"] for c in taxonomy["categories"]}
    assert len(counts) == 10
    assert (counts["network"], counts["hr"], counts["finance"], taxonomy["unclassified"]) == (
        2,
        1,
        1,
        1,
    )
    assert sum(counts.values()) + taxonomy["unclassified"] == modes["total"]
    rates = {
        r["department_id"]: r
        for r in api.client.get("/api/v1/stats/override-rate", headers=admin).json()["departments"]
    }
    assert (rates[departments["finance"]]["total"], rates[departments["finance"]]["rate"]) == (
        1,
        1.0,
    )
    assert rates[departments["facilities"]]["rate"] == 0.0
    workload = api.client.get("/api/v1/stats/agent-workload", headers=admin).json()["agents"]
    assert sum(a["total_active"] for a in workload) == 3  # two auto, one override
    # Agents see their own department only; end users none of it.
    agent_modes = api.client.get("/api/v1/stats/routing-modes", headers=api.as_(api.agent)).json()
    assert agent_modes["total"] == 2
    assert {
        a["department_id"]
        for a in api.client.get("/api/v1/stats/agent-workload", headers=api.as_(api.agent)).json()[
            "agents"
        ]
    } == {departments["it-support"]}
    assert_problem(api.client.get("/api/v1/stats/taxonomy", headers=api.as_(api.user)), 403)
    # Half-open time windows.
    assert (
        api.client.get("/api/v1/stats/routing-modes?to=2000-01-01T00:00:00Z", headers=admin).json()[
            "total"
        ]
        == 0
    )
    assert_problem(
        api.client.get(
            "/api/v1/stats/routing-modes?from=2030-01-01T00:00:00Z&to=2029-01-01T00:00:00Z",
            headers=admin,
        ),
        422,
    )


def test_dev_utilities(api: Api) -> None:
    admin = api.as_(api.admin)
    config = api.client.get("/api/v1/stats/dev/config", headers=admin)
    assert config.status_code == 200
    assert SECRET not in config.text and config.json()["jwt_secret"] == "********"
    assert_problem(api.client.get("/api/v1/stats/dev/config", headers=api.as_(api.agent)), 403)
    api.classifier.answer = {Category.NETWORK: 0.95}
    api.file()
    reseeded = api.client.post(
        "/api/v1/stats/dev/reseed-tickets", json={"count": 7}, headers=admin
    ).json()
    assert reseeded == {"deleted": 1, "created": 7}
    items = api.client.get("/api/v1/tickets", headers=admin).json()["items"]
    assert len(items) == 7
    assert all(
        api.client.get(f"/api/v1/tickets/{t['id']}/audit", headers=admin).json()["items"][0][
            "action"
        ]
        == "ticket.created"
        for t in items
    )
    assert api.client.delete("/api/v1/stats/dev/notifications", headers=admin).json()["deleted"] > 0
    assert api.client.delete("/api/v1/stats/dev/tickets", headers=admin).json() == {"deleted": 7}
    assert (
        api.client.post("/api/v1/stats/dev/reseed-quick-actions", headers=admin).json()["count"]
        >= 8
    )


@pytest.mark.parametrize("settings", [{"dev_utilities": False}, {"env": "production"}])
def test_dev_utilities_can_be_absent(settings: dict[str, object]) -> None:
    with running_api(**settings) as api:
        assert_problem(api.client.get("/api/v1/stats/dev/config", headers=api.as_(api.admin)), 404)
        assert_problem(
            api.client.delete("/api/v1/stats/dev/tickets", headers=api.as_(api.admin)), 404
        )


def test_rate_limit_per_user() -> None:
    with running_api(rate_limit=5) as api:
        me = api.as_(api.user)
        assert all(
            api.client.get("/api/v1/users/me", headers=me).status_code == 200 for _ in range(5)
        )
        limited = api.client.get("/api/v1/users/me", headers=me)
        assert_problem(limited, 429)
        assert (
            limited.headers["ratelimit-limit"] == "5"
            and limited.headers["ratelimit-remaining"] == "0"
        )
        assert int(limited.headers["retry-after"]) > 0
        assert api.client.get("/api/v1/users/me", headers=bearer(uuid.uuid4())).status_code == 200
        assert api.client.get("/health").status_code == 200


def test_rate_limit_is_shared_through_redis() -> None:
    redis_url = "redis://127.0.0.1:6379/15"
    try:
        import redis

        redis.Redis.from_url(redis_url).ping()
    except Exception:
        if os.environ.get("CI") == "true":
            pytest.fail("Redis is not reachable, and under CI this test must run")
        pytest.skip("Redis is not reachable")
    user = uuid.uuid4()
    with (
        running_api(rate_limit=4, redis_url=redis_url) as first,
        running_api(rate_limit=4, redis_url=redis_url) as second,
    ):
        statuses = [
            (first if i % 2 else second)
            .client.get("/api/v1/users/me", headers=bearer(user))
            .status_code
            for i in range(6)
        ]
    assert statuses[:4] == [200] * 4 and statuses[4:] == [429, 429]
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter("helpdesk*"):
        client.delete(key)
