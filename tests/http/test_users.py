"""Users through HTTP: creating them and the rules on it, finding them, and what making an agent
unavailable or deactivating them does to their tickets."""

from __future__ import annotations

import uuid
from typing import Any

from .conftest import NETWORK, World, assert_problem, error_fields


def test_creating_a_user_and_its_rules(world: World) -> None:
    local = f"New.Person.{uuid.uuid4().hex[:8]}"
    body = {
        "email": f"{local}@Example.test",
        "full_name": "موظف جديد",
        "role": "end_user",
        "password": "long-enough",
    }
    created = world.request("POST", "/api/v1/users", world.admin, json=body)
    assert created.status_code == 201, created.text
    profile = created.json()
    assert profile["email"] == f"{local}@example.test".lower()
    assert (profile["role"], profile["department_id"], profile["is_active"]) == (
        "end_user",
        None,
        True,
    )
    # The e-mail is unique whatever its case.
    assert_problem(world.request("POST", "/api/v1/users", world.admin, json=body), 409)
    shouting = {**body, "email": body["email"].upper()}
    assert_problem(world.request("POST", "/api/v1/users", world.admin, json=shouting), 409)
    # An agent needs a department.
    agent = {"email": f"a-{uuid.uuid4().hex[:8]}@example.test", "full_name": "أ", "role": "agent"}
    assert error_fields(world.request("POST", "/api/v1/users", world.admin, json=agent)) == [
        "department_id"
    ]
    # Found by the list's filters.
    found = world.request("GET", f"/api/v1/users?q={local.lower()}", world.admin).json()
    assert [u["id"] for u in found["items"]] == [profile["id"]]
    it = world.departments["it-support"].id
    agents = world.request(
        "GET", f"/api/v1/users?role=agent&department_id={it}&limit=200", world.admin
    ).json()["items"]
    assert {a["id"] for a in agents if a["is_active"]} == {str(a.id) for a in world.it_agents}
    assert all(a["role"] == "agent" and a["department_id"] == str(it) for a in agents)
    # And their creation is in the admin audit.
    audit = world.request("GET", f"/api/v1/audit?entity_id={profile['id']}", world.admin)
    assert [e["action"] for e in audit.json()["items"]] == ["user.created"]


def test_the_last_admin_cannot_deactivate_themselves(fresh_world: World) -> None:
    world = fresh_world
    path = f"/api/v1/users/{world.admin.id}"
    assert_problem(world.request("PATCH", path, world.admin, json={"is_active": False}), 409)
    assert world.request("GET", "/api/v1/users/me", world.admin).json()["is_active"] is True


def test_releasing_an_agent(fresh_world: World) -> None:
    world = fresh_world
    admin = world.admin
    it = str(world.departments["it-support"].id)
    tickets = [world.file(text=NETWORK) for _ in range(6)]  # auto, shared by the two IT agents
    leaving = str(world.it_agents[0].id)
    theirs = [t for t in tickets if t["assigned_agent_id"] == leaving]
    assert len(theirs) == 3
    started = world.request(
        "PATCH", f"/api/v1/tickets/{theirs[0]['id']}", leaving, json={"status": "in_progress"}
    )
    assert started.status_code == 200, started.text

    def current(ticket_id: str) -> Any:
        return world.request("GET", f"/api/v1/tickets/{ticket_id}", admin).json()

    # Unavailable: keeps the work, gets no more.
    unavailable = world.request(
        "PATCH", f"/api/v1/users/{leaving}", admin, json={"is_available": False}
    )
    assert unavailable.status_code == 200 and unavailable.json()["is_available"] is False
    assert all(current(t["id"])["assigned_agent_id"] == leaving for t in theirs)
    other = str(world.it_agents[1].id)
    assert world.file(text=NETWORK)["assigned_agent_id"] == other  # now 4 tickets

    # A new agent joins.
    newcomer = world.request(
        "POST",
        "/api/v1/users",
        admin,
        json={
            "email": "new.agent@example.test",
            "full_name": "وكيل جديد",
            "role": "agent",
            "department_id": it,
            "password": "correct-horse",
        },
    ).json()

    # Deactivated: the work goes to the least loaded (the newcomer, every time), and a ticket in
    # progress goes back to open.
    assert world.request("DELETE", f"/api/v1/users/{leaving}", admin).status_code == 204
    after = [current(t["id"]) for t in theirs]
    assert {t["assigned_agent_id"] for t in after} == {newcomer["id"]}
    assert after[0]["status"] == "open"
    loads = world.request("GET", "/api/v1/stats/agent-workload", admin).json()["agents"]
    by_agent = {a["agent_id"]: a["total_active"] for a in loads if a["department_id"] == it}
    assert by_agent == {newcomer["id"]: 3, other: 4}
    audit = world.request("GET", f"/api/v1/tickets/{theirs[0]['id']}/audit", admin).json()
    assert [e["action"] for e in audit["items"]][-2:] == ["ticket.released", "ticket.assigned"]
    told = world.request("GET", "/api/v1/notifications?limit=200", newcomer["id"]).json()
    assert {n["ticket_id"] for n in told["items"] if n["kind"] == "ticket_assigned"} == {
        t["id"] for t in theirs
    }
    # They are out, and the admin audit says who did what.
    assert_problem(world.request("GET", "/api/v1/users/me", leaving), 403)
    profile = world.request("GET", "/api/v1/users?q=new.agent", admin).json()["items"]
    assert [u["id"] for u in profile] == [newcomer["id"]]
    actions = world.request("GET", f"/api/v1/audit?entity_id={leaving}", admin).json()["items"]
    assert [a["action"] for a in actions][-2:] == ["user.updated", "user.deactivated"]
    assert all(a["actor_id"] == str(admin.id) for a in actions[-2:])


def test_e_mail_notifications_are_a_choice_of_the_person_or_an_admin(world: World) -> None:
    body = {
        "email": f"p-{uuid.uuid4().hex[:8]}@example.test",
        "full_name": "موظفة",
        "role": "end_user",
    }
    profile = world.request("POST", "/api/v1/users", world.admin, json=body).json()
    assert profile["email_notifications"] is True
    # an admin sets it with the other fields
    path = f"/api/v1/users/{profile['id']}"
    changed = world.request("PATCH", path, world.admin, json={"email_notifications": False})
    assert changed.status_code == 200, changed.text
    assert changed.json()["email_notifications"] is False
    # a person sets only this on their own profile: any other field is a 422 naming it
    me = world.request("PATCH", "/api/v1/users/me", world.user, json={"email_notifications": False})
    assert me.status_code == 200 and me.json()["email_notifications"] is False
    again = world.request("GET", "/api/v1/users/me", world.user).json()
    assert again["email_notifications"] is False and again["role"] == "end_user"
    for sneaky in ({"role": "admin"}, {"email_notifications": False, "full_name": "x"}):
        refused = world.request("PATCH", "/api/v1/users/me", world.user, json=sneaky)
        assert refused.status_code == 422, refused.text
    assert world.request("GET", "/api/v1/users/me", world.user).json()["role"] == "end_user"
    wrong_type = world.request(
        "PATCH", "/api/v1/users/me", world.user, json={"email_notifications": "no"}
    )
    assert error_fields(wrong_type) == ["email_notifications"]
    back = world.request(
        "PATCH", "/api/v1/users/me", world.user, json={"email_notifications": True}
    )
    assert back.json()["email_notifications"] is True
