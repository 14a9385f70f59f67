"""Notifications through HTTP: always the caller's own — listed, counted, read one by one or all
at once — and someone else's is not there at all."""

from __future__ import annotations

import uuid

from .conftest import NETWORK, World, assert_problem


def test_notifications_are_the_callers_own(world: World) -> None:
    submitter = world.new_user()
    ticket = world.file(submitter, NETWORK)
    assignee = ticket["assigned_agent_id"]

    items = world.request("GET", "/api/v1/notifications", submitter).json()["items"]
    assert [(n["kind"], n["ticket_id"]) for n in items] == [("ticket_created", ticket["id"])]
    mine = items[0]
    assert mine["user_id"] == str(submitter.id) and mine["read_at"] is None
    assert f"#{ticket['number']}" in mine["title"]
    count = world.request("GET", "/api/v1/notifications/unread-count", submitter).json()
    assert count == {"count": 1}

    # Someone else's notification, an unknown one and a malformed id are all 404.
    theirs = world.request("GET", "/api/v1/notifications?limit=200", assignee).json()["items"]
    assigned = next(n for n in theirs if n["ticket_id"] == ticket["id"])
    assert assigned["kind"] == "ticket_assigned"
    for other in (assigned["id"], str(uuid.uuid4()), "nope"):
        assert_problem(world.request("POST", f"/api/v1/notifications/{other}/read", submitter), 404)
    assert (
        world.request("GET", "/api/v1/notifications?limit=200", assignee).json()["items"] == theirs
    )  # untouched

    # Reading one.
    read = world.request("POST", f"/api/v1/notifications/{mine['id']}/read", submitter)
    assert read.status_code == 200, read.text
    assert read.json()["id"] == mine["id"] and read.json()["read_at"] is not None
    assert world.request("GET", "/api/v1/notifications?unread=true", submitter).json() == {
        "items": [],
        "next_cursor": None,
    }
    count = world.request("GET", "/api/v1/notifications/unread-count", submitter).json()
    assert count == {"count": 0}
    listed = world.request("GET", "/api/v1/notifications", submitter).json()["items"]
    assert [n["id"] for n in listed] == [mine["id"]]  # read, still listed

    # Reading all of one's own, and only one's own.
    unread = world.request("GET", "/api/v1/notifications/unread-count", assignee).json()["count"]
    assert unread >= 1
    everything = world.request("POST", "/api/v1/notifications/read-all", assignee)
    assert everything.json() == {"updated": unread}
    assert world.request("GET", "/api/v1/notifications/unread-count", assignee).json() == {
        "count": 0
    }
    assert world.request("POST", "/api/v1/notifications/read-all", assignee).json() == {
        "updated": 0
    }
    world.file(submitter, NETWORK)
    assert world.request("GET", "/api/v1/notifications/unread-count", submitter).json() == {
        "count": 1
    }
