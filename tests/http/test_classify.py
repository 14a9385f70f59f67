"""The classify preview through HTTP: what the model thinks and where the router would send the
text — and nothing stored."""

from __future__ import annotations

import pytest

from .conftest import NETWORK, VAGUE, ScriptedClassifier, World, assert_problem, error_fields


def test_classify_is_a_preview(world: World, classifier: ScriptedClassifier) -> None:
    caller = world.new_user()
    calls = classifier.calls
    response = world.request("POST", "/api/v1/classify", caller, json={"text": NETWORK["title"]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert classifier.calls == calls + 1
    assert body["classification"]["category"] == "network"
    assert body["classification"]["confidence"] == pytest.approx(0.95)
    routing = body["routing"]
    assert (routing["mode"], routing["department_id"]) == (
        "auto",
        str(world.departments["it-support"].id),
    )
    assert routing["confidence"] == pytest.approx(0.95) and routing["reason"]
    # Nothing was filed, nobody was told.
    assert world.request("GET", "/api/v1/tickets", caller).json()["items"] == []
    assert world.request("GET", "/api/v1/notifications", caller).json()["items"] == []


def test_classify_previews_triage_and_an_outage(
    world: World, classifier: ScriptedClassifier
) -> None:
    vague = world.request("POST", "/api/v1/classify", world.user, json={"text": VAGUE["title"]})
    assert vague.json()["routing"]["mode"] == "manual"
    assert vague.json()["routing"]["department_id"] is None
    with classifier.answering(None):
        down = world.request("POST", "/api/v1/classify", world.user, json={"text": "الطابعة"})
    assert down.status_code == 200, down.text
    assert down.json()["classification"] is None
    assert (down.json()["routing"]["mode"], down.json()["routing"]["department_id"]) == (
        "manual",
        None,
    )
    assert error_fields(
        world.request("POST", "/api/v1/classify", world.user, json={"text": "abc"})
    ) == ["text"]
    assert_problem(world.client.post("/api/v1/classify", json={"text": "الطابعة"}), 401)
