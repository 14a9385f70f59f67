"""The caller's profile is kept a few seconds per worker (HELPDESK_PROFILE_CACHE_SECONDS), yet
a change made through the service takes effect on the next request: a demoted admin is an
agent, a deactivated user is refused — on every storage."""

from __future__ import annotations

from .conftest import World, assert_problem


def test_a_profile_change_applies_to_the_next_request(storage_world: World) -> None:
    world = storage_world
    agent = world.it_agents[0]
    me = f"/api/v1/users/{agent.id}"
    # The agent's profile is now kept (SQL storage) by the worker.
    assert world.request("GET", "/api/v1/users/me", agent).json()["role"] == "agent"
    assert world.request("GET", "/api/v1/users?limit=1", agent).status_code == 403

    promoted = world.request("PATCH", me, world.admin, json={"role": "admin"})
    assert promoted.status_code == 200, promoted.text
    assert world.request("GET", "/api/v1/users?limit=1", agent).status_code == 200

    deactivated = world.request("PATCH", me, world.admin, json={"is_active": False})
    assert deactivated.status_code == 200, deactivated.text
    refused = assert_problem(world.request("GET", "/api/v1/users/me", agent), 403)
    assert "deactivated" in refused["detail"]

    reactivated = world.request("PATCH", me, world.admin, json={"is_active": True})
    assert reactivated.status_code == 200, reactivated.text
    assert world.request("GET", "/api/v1/users/me", agent).json()["role"] == "admin"


def test_a_refused_change_changes_nothing_kept(storage_world: World) -> None:
    world = storage_world
    admin = world.admin
    assert world.request("GET", "/api/v1/users/me", admin).json()["role"] == "admin"
    # The last admin cannot demote themselves: the transaction rolls back, and the admin is
    # still an admin on the next request.
    it = str(world.departments["it-support"].id)
    demotion = {"role": "agent", "department_id": it}
    refused = world.request("PATCH", f"/api/v1/users/{admin.id}", admin, json=demotion)
    assert refused.status_code == 409, refused.text
    assert world.request("GET", "/api/v1/users?limit=1", admin).status_code == 200
