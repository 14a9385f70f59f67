"""Departments, users (with releasing an agent's work), the admin audit, quick actions and
notifications, through HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from helpdesk.domain.taxonomy import Category

from ..api.client import Api, bearer, running_api
from ..api.test_permissions import assert_problem


@pytest.fixture
def api() -> Iterator[Api]:
    with running_api() as api:
        yield api


def departments(api: Api) -> dict[str, dict[str, Any]]:
    items = api.client.get("/api/v1/departments", headers=api.as_(api.user)).json()["items"]
    return {d["slug"]: d for d in items}


def test_department_rules(api: Api) -> None:
    admin = api.as_(api.admin)
    created = api.client.post(
        "/api/v1/departments",
        json={
            "slug": "legal",
            "name": "الشؤون القانونية",
            "description": "العقود",
            "categories": [],
        },
        headers=admin,
    )
    assert created.status_code == 201 and created.json()["is_active"]
    assert_problem(
        api.client.post(
            "/api/v1/departments", json={"slug": "legal", "name": "مكرر"}, headers=admin
        ),
        409,
    )
    assert_problem(
        api.client.post(
            "/api/v1/departments",
            json={"slug": "net2", "name": "شبكات", "categories": ["network"]},
            headers=admin,
        ),
        409,
    )
    problem = assert_problem(
        api.client.post(
            "/api/v1/departments",
            json={"slug": "misc", "name": "متفرقات", "categories": ["other"]},
            headers=admin,
        ),
        422,
    )
    assert problem["errors"][0]["field"] == "categories"
    assert_problem(
        api.client.post(
            "/api/v1/departments", json={"slug": "x", "name": "س"}, headers=api.as_(api.agent)
        ),
        403,
    )
    assert_problem(api.client.get("/api/v1/departments/nope", headers=admin), 404)
    actions = api.client.get("/api/v1/audit?entity_type=department", headers=admin).json()["items"]
    assert [a["action"] for a in actions] == ["department.created"]
    assert actions[0]["entity_id"] == created.json()["id"] and actions[0]["actor_id"] == str(
        api.admin.id
    )
    assert_problem(api.client.get("/api/v1/audit", headers=api.as_(api.agent)), 403)


def test_deactivating_a_department(api: Api) -> None:
    admin = api.as_(api.admin)
    other_admin = api.client.post(
        "/api/v1/users",
        json={"email": "admin2@x.io", "full_name": "مدير ثان", "role": "admin"},
        headers=admin,
    ).json()
    hr = departments(api)["human-resources"]
    api.classifier.answer = {Category.HR: 0.7}
    triaged = api.file()  # suggested to HR
    api.classifier.answer = {Category.HR: 0.95}
    working = api.file()  # auto, assigned in HR
    off = api.client.patch(
        f"/api/v1/departments/{hr['id']}", json={"is_active": False}, headers=admin
    )
    assert off.status_code == 200 and not off.json()["is_active"]
    moved = api.client.get(f"/api/v1/tickets/{triaged['id']}", headers=admin).json()
    assert moved["department_id"] is None and moved["status"] == "triage"
    # The other admins are told (the one who acted is not, for their own action).
    told = api.client.get("/api/v1/notifications", headers=bearer(other_admin["id"])).json()[
        "items"
    ]
    assert any(n["kind"] == "triage_needed" and n["ticket_id"] == triaged["id"] for n in told)
    mine = api.client.get("/api/v1/notifications", headers=admin).json()["items"]
    assert not any(n["ticket_id"] == triaged["id"] for n in mine)
    # Existing work goes on; nothing new goes in.
    assignee = uuid.UUID(working["assigned_agent_id"])
    progress = api.client.patch(
        f"/api/v1/tickets/{working['id']}",
        json={"status": "in_progress"},
        headers=api.as_(assignee),
    )
    assert progress.status_code == 200
    assert api.file()["routing_mode"] == "manual"
    problem = assert_problem(
        api.client.post(
            f"/api/v1/tickets/{triaged['id']}/override",
            json={"department_id": hr["id"], "reason": "إعادة"},
            headers=admin,
        ),
        422,
    )
    assert problem["errors"][0]["field"] == "department_id"
    # Reactivating while another active department claims HR is a conflict.
    api.client.post(
        "/api/v1/departments",
        json={"slug": "people", "name": "شؤون الموظفين", "categories": ["hr"]},
        headers=admin,
    )
    assert_problem(
        api.client.patch(
            f"/api/v1/departments/{hr['id']}", json={"is_active": True}, headers=admin
        ),
        409,
    )


def test_users_and_releasing_an_agent(api: Api) -> None:
    admin = api.as_(api.admin)
    it = departments(api)["it-support"]
    api.classifier.answer = {Category.NETWORK: 0.95}
    tickets = [api.file() for _ in range(6)]
    agents = api.client.get(
        f"/api/v1/users?role=agent&department_id={it['id']}", headers=admin
    ).json()["items"]
    assert len(agents) == 2
    leaving = agents[0]["id"]
    mine = [t for t in tickets if t["assigned_agent_id"] == leaving]
    api.client.patch(
        f"/api/v1/tickets/{mine[0]['id']}", json={"status": "in_progress"}, headers=bearer(leaving)
    )
    newcomer = api.client.post(
        "/api/v1/users",
        json={
            "email": "new.agent@x.io",
            "full_name": "وكيل جديد",
            "role": "agent",
            "department_id": it["id"],
            "password": "correct-horse",
        },
        headers=admin,
    ).json()
    # Unavailable: keeps the work, gets no more.
    unavailable = api.client.patch(
        f"/api/v1/users/{leaving}", json={"is_available": False}, headers=admin
    ).json()
    assert unavailable["is_available"] is False
    assert all(
        api.client.get(f"/api/v1/tickets/{t['id']}", headers=admin).json()["assigned_agent_id"]
        == leaving
        for t in mine
    )
    # Deactivated: the work goes to the least loaded (the newcomer first), in_progress back to open.
    assert api.client.delete(f"/api/v1/users/{leaving}", headers=admin).status_code == 204
    after = [api.client.get(f"/api/v1/tickets/{t['id']}", headers=admin).json() for t in mine]
    assert all(t["assigned_agent_id"] not in (None, leaving) for t in after)
    assert after[0]["status"] == "open"
    loads = api.client.get("/api/v1/stats/agent-workload", headers=admin).json()["agents"]
    it_loads = sorted(a["total_active"] for a in loads if a["department_id"] == it["id"])
    assert it_loads == [3, 3]  # the remaining agent had 3, the newcomer took all 3 released
    audit = api.client.get(f"/api/v1/tickets/{mine[0]['id']}/audit", headers=admin).json()["items"]
    assert [e["action"] for e in audit][-2:] == ["ticket.released", "ticket.assigned"]
    told = api.client.get("/api/v1/notifications", headers=bearer(newcomer["id"])).json()["items"]
    assert {n["ticket_id"] for n in told if n["kind"] == "ticket_assigned"} == {
        t["id"] for t in mine
    }
    assert_problem(api.client.get("/api/v1/users/me", headers=bearer(leaving)), 403)
    # The users list, its filters and the audit trail of admin actions.
    found = api.client.get("/api/v1/users?q=new.agent", headers=admin).json()["items"]
    assert [u["id"] for u in found] == [newcomer["id"]]
    actions = [
        a["action"]
        for a in api.client.get(f"/api/v1/audit?entity_id={leaving}", headers=admin).json()["items"]
    ]
    assert actions[-2:] == ["user.updated", "user.deactivated"]
    assert_problem(
        api.client.patch(f"/api/v1/users/{api.admin.id}", json={"is_active": False}, headers=admin),
        409,
    )
    assert_problem(api.client.get("/api/v1/users", headers=api.as_(api.agent)), 403)


def test_user_creation_rules_and_login(api: Api) -> None:
    admin = api.as_(api.admin)
    problem = assert_problem(
        api.client.post(
            "/api/v1/users",
            json={"email": "a@x.io", "full_name": "أ", "role": "agent"},
            headers=admin,
        ),
        422,
    )
    assert problem["errors"][0]["field"] == "department_id"
    body = {
        "email": "Login.Me@x.io",
        "full_name": "مستخدم",
        "role": "end_user",
        "password": "long-enough",
    }
    assert api.client.post("/api/v1/users", json=body, headers=admin).status_code == 201
    assert_problem(api.client.post("/api/v1/users", json=body, headers=admin), 409)
    good = api.client.post(
        "/api/v1/auth/token", json={"email": "login.me@x.io", "password": "long-enough"}
    )
    assert good.status_code == 200
    token = good.json()
    assert token["token_type"] == "bearer" and token["expires_in"] == 3600
    me = api.client.get(
        "/api/v1/users/me", headers={"Authorization": f"Bearer {token['access_token']}"}
    ).json()
    assert me["email"] == "login.me@x.io"
    wrong_password = api.client.post(
        "/api/v1/auth/token", json={"email": "login.me@x.io", "password": "nope-nope"}
    )
    wrong_email = api.client.post(
        "/api/v1/auth/token", json={"email": "nobody@x.io", "password": "long-enough"}
    )
    assert_problem(wrong_password, 401)
    assert wrong_password.json() == wrong_email.json()


def test_notifications_are_the_callers_own(api: Api) -> None:
    api.classifier.answer = {Category.NETWORK: 0.95}
    ticket = api.file()
    user = api.as_(api.user)
    items = api.client.get("/api/v1/notifications", headers=user).json()["items"]
    assert items[0]["kind"] == "ticket_created" and "#" in items[0]["title"]
    assert api.client.get("/api/v1/notifications/unread-count", headers=user).json() == {"count": 1}
    assignee = bearer(ticket["assigned_agent_id"])
    theirs = api.client.get("/api/v1/notifications", headers=assignee).json()["items"][0]
    assert_problem(api.client.post(f"/api/v1/notifications/{theirs['id']}/read", headers=user), 404)
    assert_problem(api.client.post("/api/v1/notifications/nope/read", headers=user), 404)
    read = api.client.post(f"/api/v1/notifications/{items[0]['id']}/read", headers=user).json()
    assert read["read_at"] is not None
    assert api.client.get("/api/v1/notifications?unread=true", headers=user).json()["items"] == []
    assert api.client.post("/api/v1/notifications/read-all", headers=assignee).json() == {
        "updated": 1
    }


def test_quick_actions(api: Api) -> None:
    admin, user = api.as_(api.admin), api.as_(api.user)
    listed = api.client.get("/api/v1/quick-actions", headers=user).json()["items"]
    assert len(listed) >= 8
    assert [a["position"] for a in listed] == sorted(a["position"] for a in listed)
    body = {
        "label": "طلب كرسي",
        "title": "طلب كرسي جديد",
        "description": "أحتاج إلى كرسي مكتب جديد مريح",
        "category": "facilities",
    }
    assert_problem(api.client.post("/api/v1/quick-actions", json=body, headers=user), 403)
    created = api.client.post("/api/v1/quick-actions", json=body, headers=admin).json()
    assert created["position"] == listed[-1]["position"] + 1
    problem = assert_problem(
        api.client.patch(
            f"/api/v1/quick-actions/{created['id']}", json={"title": "Chair"}, headers=admin
        ),
        422,
    )
    assert problem["errors"][0]["field"] == "title"
    moved = api.client.patch(
        f"/api/v1/quick-actions/{created['id']}",
        json={"position": 0, "icon": "chair"},
        headers=admin,
    ).json()
    assert (moved["position"], moved["icon"]) == (0, "chair")
    assert (
        api.client.delete(f"/api/v1/quick-actions/{created['id']}", headers=admin).status_code
        == 204
    )
    assert_problem(api.client.delete(f"/api/v1/quick-actions/{created['id']}", headers=admin), 404)
    actions = [
        a["action"]
        for a in api.client.get("/api/v1/audit?entity_type=quick_action", headers=admin).json()[
            "items"
        ]
    ]
    assert actions == ["quick_action.created", "quick_action.updated", "quick_action.deleted"]
