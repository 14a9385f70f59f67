"""A ticket's life through HTTP, overrides, reclassification, list filters and pagination,
and the public routes (health, OpenAPI)."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import pytest

from helpdesk.domain.taxonomy import Category, Role

from .conftest import (
    COOLING,
    NETWORK,
    PRINTER,
    SALARY,
    VAGUE,
    ScriptedClassifier,
    World,
    assert_problem,
    error_fields,
)

ARABIC_LETTERS = "بتثجحخدذرزسشصضطظعغفقكلمنهوي"


def unique_word() -> str:
    """An Arabic word no other test uses, to find this test's tickets by `q`."""
    return "".join(random.choice(ARABIC_LETTERS) for _ in range(12))


def ids(page: dict[str, Any]) -> list[str]:
    return [t["id"] for t in page["items"]]


def test_a_ticket_from_creation_to_reopening(world: World) -> None:
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
    assert ticket["id"] in ids(mine)
    assert all(t["assigned_agent_id"] == agent_id for t in mine["items"])
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
    assert [c["author_id"] for c in comments["items"]] == [agent_id, str(user.id)]
    assert comments["next_cursor"] is None

    # And the audit trail tells the story, oldest first.
    audit = world.request("GET", f"{path}/audit", agent_id).json()["items"]
    actions = [e["action"] for e in audit]
    assert actions[0] == "ticket.created"
    assert "ticket.assigned" in actions
    assert actions.count("ticket.comment_added") == 2
    assert actions.count("ticket.updated") >= 3  # in_progress, resolved, reopened
    assert all(e["ticket_id"] == ticket["id"] for e in audit)
    stamps = [e["created_at"] for e in audit]
    assert stamps == sorted(stamps)

    # The submitter heard about it.
    notes = world.request("GET", "/api/v1/notifications?limit=200", user).json()["items"]
    assert any(n["ticket_id"] == ticket["id"] for n in notes)


def test_routing_modes_at_creation(world: World) -> None:
    finance = world.file(text=SALARY)
    assert (finance["routing_mode"], finance["status"]) == ("auto", "open")
    assert finance["department_id"] == str(world.departments["finance"].id)
    assert finance["assigned_agent_id"] is not None
    suggested = world.file(text=COOLING)
    assert (suggested["routing_mode"], suggested["status"]) == ("suggested", "triage")
    assert suggested["department_id"] == str(world.departments["facilities"].id)
    assert suggested["assigned_agent_id"] is None
    manual = world.file(text=VAGUE)
    assert (manual["routing_mode"], manual["status"]) == ("manual", "triage")
    assert manual["department_id"] is None and manual["assigned_agent_id"] is None
    # Queues: the facilities ticket waits in its department's queue and triage.
    facilities_agent = world.new_user(Role.AGENT, slug="facilities")
    department = world.request(
        "GET", "/api/v1/tickets?queue=department&limit=200", facilities_agent
    )
    assert suggested["id"] in ids(department.json())
    triage = world.request("GET", "/api/v1/tickets?queue=triage&limit=200", facilities_agent)
    assert suggested["id"] in ids(triage.json()) and manual["id"] not in ids(triage.json())
    admin_triage = world.request("GET", "/api/v1/tickets?queue=triage&limit=200", world.admin)
    assert {suggested["id"], manual["id"]} <= set(ids(admin_triage.json()))


def test_a_classifier_outage_never_loses_a_ticket(
    world: World, classifier: ScriptedClassifier
) -> None:
    with classifier.answering(None):
        response = world.request("POST", "/api/v1/tickets", world.user, json=PRINTER)
    assert response.status_code == 201
    ticket = response.json()
    assert ticket["classification"] is None and ticket["routing_confidence"] is None
    assert (ticket["routing_mode"], ticket["status"]) == ("manual", "triage")


def test_override_with_a_reason(world: World) -> None:
    ticket = world.file()  # it-support, assigned
    path = f"/api/v1/tickets/{ticket['id']}"
    finance = world.departments["finance"]
    it_agent = ticket["assigned_agent_id"]
    reason = "الطلب يخص فاتورة الطابعة وليس عطلا فنيا"
    assert error_fields(
        world.request("POST", f"{path}/override", it_agent, json={"department_id": str(finance.id)})
    ) == ["reason"]
    response = world.request(
        "POST",
        f"{path}/override",
        it_agent,
        json={"department_id": str(finance.id), "reason": reason},
        headers={"If-Match": '"1"'},
    )
    assert response.status_code == 200, response.text
    after = response.json()
    assert after["department_id"] == str(finance.id)
    assert after["routing_mode"] == "manual" and after["routing_overridden"] is True
    assert after["routing_reason"] == reason
    assert after["status"] == "open" and after["version"] == 2
    assignee = world.profile(after["assigned_agent_id"])
    assert assignee.department_id == finance.id
    # The classification the router made is kept.
    assert after["classification"] == ticket["classification"]
    # The IT agent no longer sees it; the finance agent does.
    assert_problem(world.request("GET", path, it_agent), 404)
    assert world.request("GET", path, world.finance_agent).status_code == 200
    # Audited with the reason, before and after.
    audit = world.request("GET", f"{path}/audit", world.admin).json()["items"]
    entry = next(e for e in audit if e["action"] == "ticket.routing_overridden")
    assert entry["actor_id"] == it_agent
    assert reason in str(entry["metadata"])
    assert str(world.departments["it-support"].id) in str(entry["metadata"])
    # Filters see it as overridden.
    overridden = world.request("GET", "/api/v1/tickets?overridden=true&limit=200", world.admin)
    assert ticket["id"] in ids(overridden.json())
    not_overridden = world.request("GET", "/api/v1/tickets?overridden=false&limit=200", world.admin)
    assert ticket["id"] not in ids(not_overridden.json())


def test_override_to_a_named_agent_and_to_an_ineligible_one(world: World) -> None:
    ticket = world.file(text=VAGUE)  # triage, no department
    path = f"/api/v1/tickets/{ticket['id']}/override"
    finance = str(world.departments["finance"].id)
    wrong = world.request(
        "POST",
        path,
        world.admin,
        json={
            "department_id": finance,
            "reason": "مالي",
            "assigned_agent_id": str(world.it_agents[0].id),
        },
    )
    assert error_fields(wrong) == ["assigned_agent_id"]
    ok = world.request(
        "POST",
        path,
        world.admin,
        json={
            "department_id": finance,
            "reason": "مالي",
            "assigned_agent_id": str(world.finance_agent.id),
        },
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["assigned_agent_id"] == str(world.finance_agent.id)
    assert ok.json()["status"] == "open"  # out of triage


def test_reclassify(world: World, classifier: ScriptedClassifier) -> None:
    ticket = world.file(text=VAGUE)  # other → triage without a department
    path = f"/api/v1/tickets/{ticket['id']}"
    before = world.request("GET", path, world.admin)

    # Unavailable: 503, and nothing changes.
    with classifier.answering(None):
        down = world.request("POST", f"{path}/reclassify", world.admin)
    assert_problem(down, 503)
    assert "Retry-After" in down.headers
    unchanged = world.request("GET", path, world.admin)
    assert unchanged.json() == before.json()
    assert unchanged.headers["etag"] == before.headers["etag"]
    audit = world.request("GET", f"{path}/audit", world.admin).json()["items"]
    assert [e["action"] for e in audit] == ["ticket.created"]

    # Available again, with a confident finance answer: routed as at creation.
    with classifier.answering({Category.FINANCE: 0.97, Category.HR: 0.01}):
        response = world.request(
            "POST", f"{path}/reclassify", world.admin, headers={"If-Match": '"1"'}
        )
    assert response.status_code == 200, response.text
    after = response.json()
    assert after["classification"]["category"] == "finance"
    assert after["routing_mode"] == "auto" and after["routing_confidence"] == pytest.approx(0.97)
    assert after["department_id"] == str(world.departments["finance"].id)
    assert after["status"] == "open" and after["assigned_agent_id"] is not None
    assert after["version"] == 2 and response.headers["etag"] == '"2"'
    audit = world.request("GET", f"{path}/audit", world.admin).json()["items"]
    assert "ticket.reclassified" in [e["action"] for e in audit]


def test_reclassify_keeps_a_human_decision(world: World, classifier: ScriptedClassifier) -> None:
    ticket = world.file()
    path = f"/api/v1/tickets/{ticket['id']}"
    finance = str(world.departments["finance"].id)
    overridden = world.request(
        "POST", f"{path}/override", world.admin, json={"department_id": finance, "reason": "قرار"}
    ).json()
    with classifier.answering({Category.NETWORK: 0.99}):
        response = world.request("POST", f"{path}/reclassify", world.admin)
    assert response.status_code == 200
    after = response.json()
    assert after["classification"]["category"] == "network"
    for key in ("department_id", "assigned_agent_id", "status", "routing_overridden"):
        assert after[key] == overridden[key], key


# -- lists ---------------------------------------------------------------------------------------


def test_list_filters(world: World) -> None:
    word = unique_word()
    user = uuid.uuid4()

    def file(text: dict[str, str], **body: Any) -> dict[str, Any]:
        return world.file(user, {**text, "description": f"{text['description']} {word}"}, **body)

    printer = file(PRINTER, priority="urgent")
    network = file(NETWORK, priority="low")
    salary = file(SALARY)
    vague = file(VAGUE)
    cooling = file(COOLING)
    everything = {t["id"] for t in (printer, network, salary, vague, cooling)}

    def query(who: Any, q: str) -> set[str]:
        response = world.request("GET", f"/api/v1/tickets?limit=200&q={quote(word)}{q}", who)
        assert response.status_code == 200, (q, response.text)
        return set(ids(response.json()))

    assert query(world.admin, "") == everything
    assert query(user, "") == everything
    assert query(world.admin, "&status=triage") == {vague["id"], cooling["id"]}
    assert query(world.admin, "&status=triage&status=open") == everything
    assert query(world.admin, "&priority=urgent") == {printer["id"]}
    assert query(world.admin, "&priority=medium") == {salary["id"], vague["id"], cooling["id"]}
    it = world.departments["it-support"].id
    assert query(world.admin, f"&department_id={it}") == {printer["id"], network["id"]}
    assert query(world.admin, "&routing_mode=auto") == {printer["id"], network["id"], salary["id"]}
    assert query(world.admin, "&routing_mode=suggested") == {cooling["id"]}
    assert query(world.admin, "&routing_mode=manual") == {vague["id"]}
    assert query(world.admin, "&category=printing") == {printer["id"]}
    assert query(world.admin, "&category=other") == {vague["id"]}
    assert query(world.admin, "&overridden=false") == everything
    assert query(world.admin, "&overridden=true") == set()
    assert query(world.admin, "&assigned_agent_id=none") == {vague["id"], cooling["id"]}
    assignee = printer["assigned_agent_id"]
    assert printer["id"] in query(world.admin, f"&assigned_agent_id={assignee}")
    assert query(assignee, "&assigned_agent_id=me") == query(
        world.admin, f"&assigned_agent_id={assignee}"
    )
    # Text search over title and description, Arabic-folded.
    folded = world.request(
        "GET", f"/api/v1/tickets?limit=200&q={quote('الطابعه')}", user
    ).json()  # ta marbuta folded to ha
    assert printer["id"] in ids(folded)
    by_title = world.request("GET", f"/api/v1/tickets?limit=200&q={quote('الراتب')}", user).json()
    assert ids(by_title) == [salary["id"]]
    # Time filters, half-open; a zone-less time is UTC.
    now = datetime.now(UTC)
    later = (now + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S")
    earlier = quote((now - timedelta(hours=1)).isoformat())
    assert query(world.admin, f"&created_after={earlier}&created_before={later}") == everything
    assert query(world.admin, f"&created_after={later}") == set()
    assert query(world.admin, f"&created_before={earlier}") == set()
    # Contradictory filters are an empty page, not an error.
    assert query(assignee, "&queue=mine&assigned_agent_id=none") == set()
    assert query(user, "&queue=department") == set()


def test_pagination_walks_every_ticket_once_newest_first(world: World) -> None:
    user = uuid.uuid4()
    filed = [world.file(user, NETWORK if i % 2 else PRINTER)["id"] for i in range(11)]
    for limit in (1, 2, 3, 5, 11, 200):
        seen: list[str] = []
        cursor: str | None = None
        pages = 0
        while True:
            suffix = f"&cursor={cursor}" if cursor else ""
            response = world.request("GET", f"/api/v1/tickets?limit={limit}{suffix}", user)
            assert response.status_code == 200, response.text
            page = response.json()
            assert len(page["items"]) <= limit
            seen += ids(page)
            pages += 1
            cursor = page["next_cursor"]
            if cursor is None:
                break
            assert pages <= 20
        assert seen == list(reversed(filed)), limit  # newest first, each once
        assert pages >= -(-len(filed) // limit)
    # With a filter, the walk covers exactly the matching tickets.
    high = world.file(user, NETWORK, priority="high")["id"]
    walked: list[str] = []
    cursor = None
    while True:
        suffix = f"&cursor={cursor}" if cursor else ""
        page = world.request("GET", f"/api/v1/tickets?limit=1&priority=high{suffix}", user).json()
        walked += ids(page)
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert walked == [high]


def test_tickets_created_in_between_do_not_break_a_walk(world: World) -> None:
    user = uuid.uuid4()
    filed = [world.file(user, NETWORK)["id"] for _ in range(4)]
    first = world.request("GET", "/api/v1/tickets?limit=2", user).json()
    newcomer = world.file(user, NETWORK)["id"]
    rest = world.request(
        "GET", f"/api/v1/tickets?limit=10&cursor={first['next_cursor']}", user
    ).json()
    assert ids(first) + ids(rest) == list(reversed(filed))
    assert newcomer not in ids(rest)


def test_comment_and_audit_lists_page_oldest_first(world: World) -> None:
    ticket = world.file()
    path = f"/api/v1/tickets/{ticket['id']}"
    bodies = [f"تعليق رقم {n}" for n in range(5)]
    for body in bodies:
        assert (
            world.request("POST", f"{path}/comments", world.user, json={"body": body}).status_code
            == 201
        )
    seen: list[str] = []
    cursor = None
    while True:
        suffix = f"&cursor={cursor}" if cursor else ""
        page = world.request("GET", f"{path}/comments?limit=2{suffix}", world.user).json()
        seen += [c["body"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == bodies
    assert_problem(world.request("GET", f"{path}/comments?limit=0", world.user), 422)
    assert_problem(world.request("GET", f"{path}/audit?limit=201", world.admin), 422)
    audit = world.request("GET", f"{path}/audit?limit=1", world.admin).json()
    assert [e["action"] for e in audit["items"]] == ["ticket.created"] and audit["next_cursor"]


# -- public routes -------------------------------------------------------------------------------


def test_health(world: World, classifier: ScriptedClassifier) -> None:
    response = world.client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "classifier": "ok"}}
    with classifier.answering(None):
        degraded = world.client.get("/health").json()
    assert degraded == {"status": "ok", "checks": {"database": "ok", "classifier": "unavailable"}}


def test_health_is_503_when_the_database_is_down(world: World) -> None:
    storage = world.container.storage()

    async def down() -> None:
        raise ConnectionError("database unreachable")

    original = storage.ping
    storage.ping = down
    try:
        response = world.client.get("/health")
    finally:
        storage.ping = original
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"]["database"] == "unavailable"
    assert "unreachable" not in response.text


def test_the_openapi_schema(world: World) -> None:
    response = world.client.get("/schema/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    expected = {
        "/api/v1/tickets": {"get", "post"},
        "/api/v1/tickets/{ticket_id}": {"get", "patch"},
        "/api/v1/tickets/{ticket_id}/override": {"post"},
        "/api/v1/tickets/{ticket_id}/reclassify": {"post"},
        "/api/v1/tickets/{ticket_id}/comments": {"get", "post"},
        "/api/v1/tickets/{ticket_id}/audit": {"get"},
        "/api/v1/classify": {"post"},
        "/api/v1/users/me": {"get"},
        "/health": {"get"},
    }
    for path, methods in expected.items():
        assert path in paths, sorted(paths)
        assert methods <= set(paths[path]), (path, set(paths[path]))
    scheme = next(iter(schema["components"]["securitySchemes"].values()))
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    name = next(iter(schema["components"]["securitySchemes"]))
    assert schema["security"] == [{name: []}]
    assert paths["/health"]["get"]["security"] == [{}]
    # Error responses are documented as problem documents.
    create = paths["/api/v1/tickets"]["post"]
    assert "201" in create["responses"]
    for status in ("401", "403", "422"):
        assert "application/problem+json" in create["responses"][status]["content"], status
    assert any(p["name"] == "Idempotency-Key" for p in create.get("parameters", []))
    assert world.client.get("/schema").status_code == 200  # the interactive UI
