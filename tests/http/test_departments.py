"""Departments through HTTP: the rules on slugs and categories, the admin audit of changes, and
what switching a department off does to its tickets and to routing."""

from __future__ import annotations

import uuid
from typing import Any

from helpdesk.domain.taxonomy import Category

from .conftest import World, assert_problem, error_fields


def unique_slug(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def test_creating_a_department_and_its_rules(world: World) -> None:
    slug = unique_slug("legal")
    body = {"slug": slug, "name": "الشؤون القانونية", "description": "العقود", "categories": []}
    created = world.request("POST", "/api/v1/departments", world.admin, json=body)
    assert created.status_code == 201, created.text
    department = created.json()
    assert department["is_active"] is True
    assert (department["slug"], department["name"], department["categories"]) == (
        slug,
        "الشؤون القانونية",
        [],
    )
    # Any role reads it, alone and in the list.
    path = f"/api/v1/departments/{department['id']}"
    assert world.request("GET", path, world.user).json() == department
    listed = world.request("GET", "/api/v1/departments", world.user).json()["items"]
    assert department in listed
    # A second department with the same slug, or claiming a category another active department
    # handles, is a conflict; `other` is no department's category.
    duplicate = world.request(
        "POST", "/api/v1/departments", world.admin, json={"slug": slug, "name": "مكرر"}
    )
    assert_problem(duplicate, 409)
    claimed = {"slug": unique_slug("net"), "name": "شبكات", "categories": ["network"]}
    assert_problem(world.request("POST", "/api/v1/departments", world.admin, json=claimed), 409)
    other = {"slug": unique_slug("misc"), "name": "متفرقات", "categories": ["other"]}
    refused = world.request("POST", "/api/v1/departments", world.admin, json=other)
    assert error_fields(refused) == ["categories"]
    # Only admins create; unknown and malformed ids are 404.
    by_agent = {"slug": unique_slug("x"), "name": "س"}
    assert_problem(
        world.request("POST", "/api/v1/departments", world.it_agents[0], json=by_agent), 403
    )
    assert_problem(world.request("GET", "/api/v1/departments/nope", world.admin), 404)
    assert_problem(world.request("GET", f"/api/v1/departments/{uuid.uuid4()}", world.admin), 404)
    # The refusals left nothing behind; the creation is in the admin audit.
    slugs = [
        d["slug"] for d in world.request("GET", "/api/v1/departments", world.user).json()["items"]
    ]
    assert slugs.count(slug) == 1 and not {claimed["slug"], other["slug"], by_agent["slug"]} & set(
        slugs
    )
    audit = world.request("GET", f"/api/v1/audit?entity_id={department['id']}", world.admin)
    entries = audit.json()["items"]
    assert [e["action"] for e in entries] == ["department.created"]
    assert entries[0]["entity_type"] == "department"
    assert entries[0]["actor_id"] == str(world.admin.id)


def test_switching_a_department_off_and_on(fresh_world: World) -> None:
    world = fresh_world
    hr = world.departments["human-resources"]
    path = f"/api/v1/departments/{hr.id}"
    other_admin = world.request(
        "POST",
        "/api/v1/users",
        world.admin,
        json={"email": "admin2@example.test", "full_name": "مدير ثان", "role": "admin"},
    ).json()
    with world.classifier.answering({Category.HR: 0.7}):
        waiting = world.file()  # suggested to HR, in triage
    with world.classifier.answering({Category.HR: 0.95}):
        working = world.file()  # auto, assigned in HR
    assert (waiting["department_id"], waiting["status"]) == (str(hr.id), "triage")
    assert working["assigned_agent_id"] is not None

    off = world.request("PATCH", path, world.admin, json={"is_active": False})
    assert off.status_code == 200, off.text
    assert off.json()["is_active"] is False

    # Its triage goes back to the admins' triage, and the other admins are told (the one who
    # acted is not, for their own action).
    moved = world.request("GET", f"/api/v1/tickets/{waiting['id']}", world.admin).json()
    assert (moved["department_id"], moved["status"]) == (None, "triage")
    told = world.request("GET", "/api/v1/notifications", other_admin["id"]).json()["items"]
    assert any(n["kind"] == "triage_needed" and n["ticket_id"] == waiting["id"] for n in told)
    mine = world.request("GET", "/api/v1/notifications", world.admin).json()["items"]
    assert not any(n["ticket_id"] == waiting["id"] for n in mine)

    # Work already assigned goes on; nothing new goes in.
    progress = world.request(
        "PATCH",
        f"/api/v1/tickets/{working['id']}",
        working["assigned_agent_id"],
        json={"status": "in_progress"},
    )
    assert progress.status_code == 200, progress.text
    with world.classifier.answering({Category.HR: 0.95}):
        newcomer = world.file()
    assert (newcomer["routing_mode"], newcomer["department_id"]) == ("manual", None)
    override = world.request(
        "POST",
        f"/api/v1/tickets/{waiting['id']}/override",
        world.admin,
        json={"department_id": str(hr.id), "reason": "إعادة"},
    )
    assert error_fields(override) == ["department_id"]

    # Switching it back on while another active department claims its category is a conflict.
    people: dict[str, Any] = {"slug": "people", "name": "شؤون الموظفين", "categories": ["hr"]}
    assert world.request("POST", "/api/v1/departments", world.admin, json=people).status_code == 201
    assert_problem(world.request("PATCH", path, world.admin, json={"is_active": True}), 409)
    assert world.request("GET", path, world.admin).json()["is_active"] is False
    # Once the claim is gone it comes back, and routing sends it tickets again.
    listed = world.request("GET", "/api/v1/departments", world.admin).json()["items"]
    people_path = "/api/v1/departments/" + next(d["id"] for d in listed if d["slug"] == "people")
    off = world.request("PATCH", people_path, world.admin, json={"is_active": False})
    assert off.status_code == 200, off.text
    on = world.request("PATCH", path, world.admin, json={"is_active": True})
    assert on.status_code == 200 and on.json()["is_active"] is True
    with world.classifier.answering({Category.HR: 0.95}):
        routed = world.file()
    assert (routed["routing_mode"], routed["department_id"]) == ("auto", str(hr.id))
