"""Quick actions through HTTP: every role lists them in order; admins add, change and remove
them, and each change is in the admin audit."""

from __future__ import annotations

from .conftest import World, assert_problem, error_fields

CHAIR = {
    "label": "طلب كرسي",
    "title": "طلب كرسي جديد",
    "description": "أحتاج إلى كرسي مكتب جديد مريح",
    "category": "facilities",
}


def test_quick_actions_from_creation_to_removal(world: World) -> None:
    listed = world.request("GET", "/api/v1/quick-actions", world.user).json()["items"]
    assert len(listed) >= 8
    positions = [a["position"] for a in listed]
    assert positions == sorted(positions)

    created = world.request("POST", "/api/v1/quick-actions", world.admin, json=CHAIR)
    assert created.status_code == 201, created.text
    action = created.json()
    assert {k: action[k] for k in CHAIR} == CHAIR
    assert action["priority"] == "medium" and action["icon"] is None
    assert action["position"] == listed[-1]["position"] + 1  # added at the end
    path = f"/api/v1/quick-actions/{action['id']}"

    # Its texts follow the Arabic rules of a ticket; a refused change changes nothing.
    assert error_fields(world.request("PATCH", path, world.admin, json={"title": "Chair"})) == [
        "title"
    ]
    moved = world.request("PATCH", path, world.admin, json={"position": 0, "icon": "chair"})
    assert moved.status_code == 200, moved.text
    assert (moved.json()["title"], moved.json()["position"], moved.json()["icon"]) == (
        CHAIR["title"],
        0,
        "chair",
    )
    reordered = world.request("GET", "/api/v1/quick-actions", world.user).json()["items"]
    assert [a["position"] for a in reordered] == sorted(a["position"] for a in reordered)
    leading = [a["id"] for a in reordered if a["position"] == 0]
    assert action["id"] in leading  # among the first, ties in any order

    assert world.request("DELETE", path, world.admin).status_code == 204
    assert_problem(world.request("DELETE", path, world.admin), 404)
    assert_problem(world.request("PATCH", path, world.admin, json={"icon": "x"}), 404)
    after = world.request("GET", "/api/v1/quick-actions", world.user).json()["items"]
    assert action["id"] not in {a["id"] for a in after}

    audit = world.request("GET", f"/api/v1/audit?entity_id={action['id']}", world.admin).json()
    assert [e["action"] for e in audit["items"]] == [
        "quick_action.created",
        "quick_action.updated",
        "quick_action.deleted",
    ]
    assert {e["entity_type"] for e in audit["items"]} == {"quick_action"}
    by_type = world.request("GET", "/api/v1/audit?entity_type=quick_action&limit=200", world.admin)
    assert {e["id"] for e in audit["items"]} <= {e["id"] for e in by_type.json()["items"]}
