"""A ticket's whole life through HTTP — filed, routed, worked on, resolved, reopened by its
submitter's answer — on every storage adapter."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import NETWORK, World


def ids(page: dict[str, Any]) -> list[str]:
    return [t["id"] for t in page["items"]]


def test_a_ticket_from_creation_to_reopening(storage_world: World) -> None:
    world = storage_world
    user = world.user
    created = world.request("POST", "/api/v1/tickets", user, json={**NETWORK, "priority": "high"})
    assert created.status_code == 201, created.text
    ticket = created.json()
    it = world.departments["it-support"]
    assert ticket["status"] == "open"
    assert ticket["priority"] == "high"
    assert ticket["submitter_id"] == str(user.id)
    assert ticket["department_id"] == str(it.id)
    assert ticket["routing_mode"] == "auto" and ticket["routing_overridden"] is False
    assert ticket["routing_confidence"] == pytest.approx(0.95)
    assert "auto" in ticket["routing_reason"] and "network" in ticket["routing_reason"]
    assert ticket["classification"]["category"] == "network"
    assert ticket["classification"]["model"] == "scripted-1"
    assert [s["category"] for s in ticket["classification"]["scores"]][:2] == [
        "network",
        "software",
    ]
    assert ticket["version"] == 1 and ticket["resolved_at"] is None
    assert isinstance(ticket["number"], int)
    assert ticket["created_at"].endswith("Z") or ticket["created_at"].endswith("+00:00")
    agent_id = ticket["assigned_agent_id"]
    assert agent_id in {str(a.id) for a in world.it_agents}
    path = f"/api/v1/tickets/{ticket['id']}"

    # The assignee finds it in their queue; the other IT agent does not (but sees it).
    mine = world.request("GET", "/api/v1/tickets?queue=mine&limit=200", agent_id).json()
    assert ids(mine) == [ticket["id"]]
    other = next(a for a in world.it_agents if str(a.id) != agent_id)
    assert ticket["id"] not in ids(
        world.request("GET", "/api/v1/tickets?queue=mine&limit=200", other).json()
    )
    assert world.request("GET", path, other).status_code == 200

    # Work on it.
    started = world.request(
        "PATCH", path, agent_id, json={"status": "in_progress"}, headers={"If-Match": '"1"'}
    )
    assert started.status_code == 200, started.text
    assert (started.json()["status"], started.json()["version"]) == ("in_progress", 2)
    assert started.headers["etag"] == '"2"'
    comment = world.request(
        "POST", f"{path}/comments", agent_id, json={"body": "أعدت تشغيل الموجه، جرب الآن"}
    )
    assert comment.status_code == 201, comment.text
    assert comment.json()["author_id"] == agent_id and comment.json()["internal"] is False
    assert world.request("GET", path, user).json()["version"] == 2  # comments change no version
    resolved = world.request("PATCH", path, agent_id, json={"status": "resolved"})
    assert resolved.status_code == 200
    assert resolved.json()["status"] == "resolved" and resolved.json()["resolved_at"] is not None
    assert resolved.json()["version"] == 3
    assert ticket["id"] not in ids(
        world.request("GET", "/api/v1/tickets?queue=mine&limit=200", agent_id).json()
    )

    # The submitter answers: it reopens, to the same agent.
    reply = world.request("POST", f"{path}/comments", user, json={"body": "ما زالت المشكلة قائمة"})
    assert reply.status_code == 201
    reopened = world.request("GET", path, user)
    body = reopened.json()
    assert (body["status"], body["resolved_at"], body["version"]) == ("open", None, 4)
    assert body["assigned_agent_id"] == agent_id
    assert reopened.headers["etag"] == '"4"'
    assert ticket["id"] in ids(
        world.request("GET", "/api/v1/tickets?queue=mine&limit=200", agent_id).json()
    )

    # Everyone in scope reads the same conversation, oldest first.
    comments = world.request("GET", f"{path}/comments", user).json()
    assert [(c["author_id"], c["body"]) for c in comments["items"]] == [
        (agent_id, "أعدت تشغيل الموجه، جرب الآن"),
        (str(user.id), "ما زالت المشكلة قائمة"),
    ]
    assert comments["next_cursor"] is None

    # And the audit trail tells the story, oldest first.
    audit = world.request("GET", f"{path}/audit", agent_id).json()["items"]
    assert [e["action"] for e in audit] == [
        "ticket.created",
        "ticket.assigned",
        "ticket.updated",  # in progress
        "ticket.comment_added",
        "ticket.updated",  # resolved
        "ticket.comment_added",
        "ticket.updated",  # reopened by the submitter's answer
    ]
    assert all(e["ticket_id"] == ticket["id"] for e in audit)
    stamps = [e["created_at"] for e in audit]
    assert stamps == sorted(stamps)

    # The submitter heard about it.
    notes = world.request("GET", "/api/v1/notifications?limit=200", user).json()["items"]
    assert any(n["ticket_id"] == ticket["id"] for n in notes)
