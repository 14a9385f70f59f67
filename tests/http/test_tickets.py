"""Tickets through HTTP: routing at creation, a classifier outage, overrides, reclassification,
the audit trail, list filters and pagination."""

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
    make_world,
)

ARABIC_LETTERS = "بتثجحخدذرزسشصضطظعغفقكلمنهوي"


def unique_word() -> str:
    """An Arabic word no other test uses, to find this test's tickets by `q`."""
    return "".join(random.choice(ARABIC_LETTERS) for _ in range(12))


def ids(page: dict[str, Any]) -> list[str]:
    return [t["id"] for t in page["items"]]


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


def test_human_labels_from_overrides_and_department_moves(world: World) -> None:
    it = world.departments["it-support"]
    finance = world.departments["finance"]
    ticket = world.file(text=SALARY)  # finance, auto
    assert ticket["human_category"] is None and ticket["human_category_by"] is None
    path = f"/api/v1/tickets/{ticket['id']}"
    bad = world.request(
        "POST",
        f"{path}/override",
        world.admin,
        json={"department_id": str(it.id), "reason": "سبب", "category": "plumbing"},
    )
    assert error_fields(bad) == ["category"]
    # IT handles five categories: the human names the one the ticket is about.
    response = world.request(
        "POST",
        f"{path}/override",
        world.finance_agent,
        json={
            "department_id": str(it.id),
            "reason": "برنامج الرواتب لا يفتح",
            "category": "software",
        },
    )
    assert response.status_code == 200, response.text
    after = response.json()
    assert (after["human_category"], after["human_category_by"]) == (
        "software",
        str(world.finance_agent.id),
    )
    assert after["classification"]["category"] == "finance"  # the model's answer, kept beside
    audit = world.request("GET", f"{path}/audit", world.admin).json()["items"]
    entry = next(e for e in audit if e["action"] == "ticket.routing_overridden")
    assert entry["metadata"]["before"]["human_category"] is None
    assert entry["metadata"]["after"]["human_category"] == "software"

    # Without a category, a move to a several-category department labels nothing.
    unlabelled = world.file(text=SALARY)
    moved = world.request(
        "POST",
        f"/api/v1/tickets/{unlabelled['id']}/override",
        world.admin,
        json={"department_id": str(it.id), "reason": "سبب"},
    ).json()
    assert moved["human_category"] is None
    # A PATCH moving it to finance (one category) implies finance, and the audit says so.
    patched = world.request(
        "PATCH",
        f"/api/v1/tickets/{unlabelled['id']}",
        world.admin,
        json={"department_id": str(finance.id)},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["human_category"] == "finance"
    audit = world.request("GET", f"/api/v1/tickets/{unlabelled['id']}/audit", world.admin).json()[
        "items"
    ]
    update = next(e for e in audit if e["action"] == "ticket.updated")
    assert update["metadata"]["changes"]["human_category"] == {"old": None, "new": "finance"}


def test_shadow_mode_holds_confident_tickets_in_triage_with_the_suggestion() -> None:
    with make_world(routing_shadow="network") as world:
        it = str(world.departments["it-support"].id)
        held = world.file(text=NETWORK)  # network 0.95: automatic, but in shadow mode
        assert (held["routing_mode"], held["status"], held["department_id"]) == (
            "suggested",
            "triage",
            it,
        )
        assert held["assigned_agent_id"] is None
        assert held["routing_reason"].startswith("shadow: network confidence 0.95")
        preview = world.request(
            "POST", "/api/v1/classify", world.user, json={"text": NETWORK["description"]}
        ).json()
        assert preview["routing"]["mode"] == "suggested"
        assert preview["routing"]["reason"].startswith("shadow:")
        printed = world.file(text=PRINTER)  # printing is not in shadow mode
        assert printed["routing_mode"] == "auto"
        taken = world.request(
            "PATCH", f"/api/v1/tickets/{held['id']}", world.admin, json={"status": "open"}
        )
        assert taken.status_code == 200, taken.text
        rows = world.request("GET", "/api/v1/stats/routing-quality", world.admin).json()
        network = rows["categories"][0]
        assert (network["shadow"], network["shadow_judged"], network["shadow_precision"]) == (
            1,
            1,
            1.0,
        )
        assert network["auto_routed"] == 0


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


def test_reclassify_keeps_a_human_decision(storage_world: World) -> None:
    """On every storage adapter: after an override, a reclassification updates what the model
    thinks and what the router would decide, never where the ticket is."""
    world = storage_world
    ticket = world.file(text=COOLING)  # suggested to facilities, in triage
    assert ticket["routing_mode"] == "suggested"
    path = f"/api/v1/tickets/{ticket['id']}"
    finance = str(world.departments["finance"].id)
    response = world.request(
        "POST",
        f"{path}/override",
        world.admin,
        json={"department_id": finance, "reason": "طلب مالي وليس صيانة"},
    )
    assert response.status_code == 200, response.text
    overridden = response.json()
    assert (overridden["routing_overridden"], overridden["routing_mode"]) == (True, "manual")
    assert overridden["department_id"] == finance
    # Finance handles one category: the move says what the ticket is about.
    assert overridden["human_category"] == "finance"
    assert overridden["human_category_by"] == str(world.admin.id)
    assert overridden["human_category_at"] is not None

    # Unavailable: 503, and nothing changes.
    with world.classifier.answering(None):
        assert_problem(world.request("POST", f"{path}/reclassify", world.admin), 503)
    assert world.request("GET", path, world.admin).json() == overridden

    with world.classifier.answering({Category.NETWORK: 0.99}):
        response = world.request("POST", f"{path}/reclassify", world.admin)
    assert response.status_code == 200, response.text
    after = response.json()
    assert after["classification"]["category"] == "network"
    assert after["routing_confidence"] == pytest.approx(0.99)
    for key in ("department_id", "assigned_agent_id", "status", "routing_overridden"):
        assert after[key] == overridden[key], key
    # Reclassify never replaces the human's category.
    for key in ("human_category", "human_category_by", "human_category_at"):
        assert after[key] == overridden[key], key
    assert after["version"] == overridden["version"] + 1
    # The report counts the router's latest decision (auto now, suggested at creation).
    modes = world.request("GET", "/api/v1/stats/routing-modes", world.admin).json()
    assert modes == {"total": 1, "modes": {"auto": 1, "suggested": 0, "manual": 0}, "overridden": 1}


def test_the_audit_trail_pages_oldest_first(world: World) -> None:
    ticket = world.file()
    path = f"/api/v1/tickets/{ticket['id']}"
    for status in ("in_progress", "waiting", "in_progress"):
        changed = world.request("PATCH", path, world.admin, json={"status": status})
        assert changed.status_code == 200, changed.text
    walked: list[dict[str, Any]] = []
    cursor = None
    while True:
        suffix = f"&cursor={cursor}" if cursor else ""
        page = world.request("GET", f"{path}/audit?limit=2{suffix}", world.admin).json()
        assert len(page["items"]) <= 2
        walked += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    whole = world.request("GET", f"{path}/audit?limit=200", world.admin).json()
    assert walked == whole["items"] and whole["next_cursor"] is None
    assert [e["action"] for e in walked] == [
        "ticket.created",
        "ticket.assigned",
        "ticket.updated",
        "ticket.updated",
        "ticket.updated",
    ]
    stamps = [e["created_at"] for e in walked]
    assert stamps == sorted(stamps)
    assert_problem(world.request("GET", f"{path}/audit?limit=201", world.admin), 422)
    first = world.request("GET", f"{path}/audit?limit=1", world.admin).json()
    assert [e["action"] for e in first["items"]] == ["ticket.created"] and first["next_cursor"]


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
