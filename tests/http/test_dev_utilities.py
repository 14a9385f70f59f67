"""The admin's development utilities under /api/v1/stats/dev, on every storage adapter, and
their absence when switched off or in production."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import SECRET, World, assert_problem, bearer, make_world

DEV_ROUTES = (
    ("GET", "/api/v1/stats/dev/config", None),
    ("POST", "/api/v1/stats/dev/reseed-tickets", {"count": 1}),
    ("DELETE", "/api/v1/stats/dev/tickets", None),
    ("DELETE", "/api/v1/stats/dev/notifications", None),
    ("POST", "/api/v1/stats/dev/reseed-quick-actions", None),
)


ISSUER = "https://issuer.example/?Token=pw-issuer"


def test_dev_config_masks_every_credential() -> None:
    with make_world(
        classifier_url="https://classifier.internal/?api_key=pw-classifier&mode=fast",
        mail_imap_url="imaps://desk:pw-imap@mail.example.org/INBOX?starttls=false",
        jwt_issuer=ISSUER,
        mail_smtp_url="smtps://desk:pw-smtp@mail.example.org:465",
    ) as world:
        response = world.client.get(
            "/api/v1/stats/dev/config", headers=bearer(world.admin, iss=ISSUER)
        )
        assert response.status_code == 200, response.text
        shown = response.json()
        assert "pw-" not in response.text and SECRET not in response.text
        assert shown["jwt_secret"] == "********"
        assert shown["classifier_url"] == (
            "https://classifier.internal/?api_key=********&mode=fast"
        )
        assert shown["mail_imap_url"] == (
            "imaps://desk:********@mail.example.org/INBOX?starttls=false"
        )
        assert shown["jwt_issuer"] == "https://issuer.example/?Token=********"
        assert shown["mail_smtp_url"] == "smtps://desk:********@mail.example.org:465"
        assert shown["mail_done_folder"] == "Processed"
        assert_problem(
            world.client.get("/api/v1/stats/dev/config", headers=bearer(world.user, iss=ISSUER)),
            403,
        )


def test_the_utilities_on_every_storage(storage_world: World, storage_url: str) -> None:
    world = storage_world
    admin = world.admin
    response = world.request("GET", "/api/v1/stats/dev/config", admin)
    assert response.status_code == 200, response.text
    config = response.json()
    assert config["jwt_secret"] == "********"
    assert SECRET not in response.text
    assert config["database_url"] == storage_url and config["rate_limit"] == 0

    # The demo tickets are filed as the newest end user; the world's newest is deactivated,
    # which the reseed does not yet skip (see the test below).
    world.new_user()
    before = world.file()
    reseeded = world.request("POST", "/api/v1/stats/dev/reseed-tickets", admin, json={"count": 7})
    assert reseeded.status_code == 200, reseeded.text
    assert reseeded.json() == {"deleted": 1, "created": 7}
    assert_problem(world.request("GET", f"/api/v1/tickets/{before['id']}", admin), 404)
    items = world.request("GET", "/api/v1/tickets", admin).json()["items"]
    assert len(items) == 7
    for ticket in items:
        audit = world.request("GET", f"/api/v1/tickets/{ticket['id']}/audit", admin).json()
        assert audit["items"][0]["action"] == "ticket.created"  # filed by the real use case

    deleted = world.request("DELETE", "/api/v1/stats/dev/notifications", admin).json()["deleted"]
    assert deleted > 0
    for who in (admin, world.user, *world.it_agents):
        left = world.request("GET", "/api/v1/notifications", who).json()["items"]
        assert left == []
    assert world.request("DELETE", "/api/v1/stats/dev/tickets", admin).json() == {"deleted": 7}
    assert world.request("GET", "/api/v1/tickets", admin).json()["items"] == []

    actions = world.request("GET", "/api/v1/quick-actions", admin).json()["items"]
    removed = world.request("DELETE", f"/api/v1/quick-actions/{actions[0]['id']}", admin)
    assert removed.status_code == 204
    restored = world.request("POST", "/api/v1/stats/dev/reseed-quick-actions", admin).json()
    assert restored["count"] == len(actions)
    again = world.request("GET", "/api/v1/quick-actions", admin).json()["items"]
    assert len(again) == len(actions)
    assert [a["title"] for a in again] == [a["title"] for a in actions]


@pytest.mark.parametrize(
    "settings", [{"dev_utilities": False}, {"env": "production"}], ids=["off", "production"]
)
def test_the_utilities_can_be_absent(settings: dict[str, Any]) -> None:
    with make_world(**settings) as world:
        for method, path, body in DEV_ROUTES:
            assert_problem(world.request(method, path, world.admin, json=body), 404)
        assert world.request("GET", "/api/v1/stats/routing-modes", world.admin).status_code == 200


def test_reseeding_files_as_an_active_end_user(fresh_world: World) -> None:
    world = fresh_world
    world.file()
    response = world.request(
        "POST", "/api/v1/stats/dev/reseed-tickets", world.admin, json={"count": 2}
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"deleted": 1, "created": 2}
    items = world.request("GET", "/api/v1/tickets", world.admin).json()["items"]
    deactivated = {str(p.id) for p in world.deactivated.values()}
    assert len(items) == 2 and not {t["submitter_id"] for t in items} & deactivated
