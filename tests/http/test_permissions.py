"""Who may call what (domain.md, "Visibility and permissions"): the role × endpoint matrix over
every /api/v1/tickets route, /api/v1/classify and /api/v1/users/me, and the order of checks
401 → 403 deactivated → 403 role → 404 not visible → 403 role-bound field → 422 → 412 → 409."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from helpdesk.domain.taxonomy import Role

from .conftest import NETWORK, PRINTER, World, assert_problem, bearer

CALLERS = (
    "anonymous",
    "submitter",
    "other_end_user",
    "department_agent",  # it-support, not the assignee
    "assignee",
    "other_department_agent",  # finance
    "admin",
    "deactivated_end_user",
    "deactivated_agent",  # it-support
    "deactivated_admin",
)

# Every route on one ticket, with a body that is valid for it.
TICKET_ROUTES = ("get", "patch", "override", "reclassify", "comments", "comment", "note", "audit")

OK = {"get": 200, "patch": 200, "override": 200, "reclassify": 200}
OK |= {"comments": 200, "comment": 201, "note": 201, "audit": 200}
EXPECTED: dict[str, dict[str, int]] = {
    "anonymous": dict.fromkeys(TICKET_ROUTES, 401),
    "submitter": {
        "get": 200,
        "patch": 403,
        "override": 403,
        "reclassify": 403,
        "comments": 200,
        "comment": 201,
        "note": 403,  # `internal` is a role-bound field
        "audit": 403,
    },
    # Staff-only routes are refused by role whatever the id; the rest do not exist for them.
    "other_end_user": {
        "get": 404,
        "patch": 403,
        "override": 403,
        "reclassify": 403,
        "comments": 404,
        "comment": 404,
        "note": 404,  # not visible comes before the role-bound field
        "audit": 403,
    },
    "department_agent": OK,
    "assignee": OK,
    "other_department_agent": dict.fromkeys(TICKET_ROUTES, 404),
    "admin": OK,
    "deactivated_end_user": dict.fromkeys(TICKET_ROUTES, 403),
    "deactivated_agent": dict.fromkeys(TICKET_ROUTES, 403),
    "deactivated_admin": dict.fromkeys(TICKET_ROUTES, 403),
}


def caller_headers(world: World, caller: str, ticket: dict[str, Any]) -> dict[str, str]:
    assignee = ticket["assigned_agent_id"]
    who: Any = {
        "anonymous": None,
        "submitter": world.user,
        "other_end_user": world.other_user,
        "department_agent": next(a for a in world.it_agents if str(a.id) != assignee),
        "assignee": assignee,
        "other_department_agent": world.finance_agent,
        "admin": world.admin,
        "deactivated_end_user": world.deactivated[Role.END_USER],
        "deactivated_agent": world.deactivated[Role.AGENT],
        "deactivated_admin": world.deactivated[Role.ADMIN],
    }[caller]
    return {} if who is None else bearer(who)


def ticket_request(world: World, route: str, ticket_id: str) -> tuple[str, str, Any]:
    base = f"/api/v1/tickets/{ticket_id}"
    finance = str(world.departments["finance"].id)
    return {
        "get": ("GET", base, None),
        "patch": ("PATCH", base, {"priority": "high"}),
        "override": ("POST", f"{base}/override", {"department_id": finance, "reason": "للمالية"}),
        "reclassify": ("POST", f"{base}/reclassify", None),
        "comments": ("GET", f"{base}/comments", None),
        "comment": ("POST", f"{base}/comments", {"body": "هل من جديد؟"}),
        "note": ("POST", f"{base}/comments", {"body": "ملاحظة للفريق", "internal": True}),
        "audit": ("GET", f"{base}/audit", None),
    }[route]


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("route", TICKET_ROUTES)
def test_the_ticket_permission_matrix(world: World, caller: str, route: str) -> None:
    ticket = world.file(world.user, PRINTER)  # auto-routed to it-support, assigned
    assert ticket["department_id"] == str(world.departments["it-support"].id)
    assert ticket["assigned_agent_id"] is not None
    method, path, body = ticket_request(world, route, ticket["id"])
    headers = caller_headers(world, caller, ticket)
    response = world.client.request(method, path, json=body, headers=headers)
    expected = EXPECTED[caller][route]
    if expected >= 400:
        assert_problem(response, expected)
        after = world.request("GET", f"/api/v1/tickets/{ticket['id']}", world.admin).json()
        assert after["version"] == ticket["version"], "a refused request changed the ticket"
    else:
        assert response.status_code == expected, (caller, route, response.text)
        if route in ("get", "patch", "override", "reclassify"):
            assert response.json()["id"] == ticket["id"]
            assert response.headers["etag"] == f'"{response.json()["version"]}"'


@pytest.mark.parametrize(
    "caller, sees",
    [
        ("submitter", True),
        ("other_end_user", False),
        ("department_agent", True),
        ("assignee", True),
        ("other_department_agent", False),
        ("admin", True),
    ],
)
def test_lists_and_filters_are_scoped(world: World, caller: str, sees: bool) -> None:
    ticket = world.file(world.user, NETWORK)
    headers = caller_headers(world, caller, ticket)
    for query in ("", f"?department_id={ticket['department_id']}", "?limit=200"):
        response = world.client.get(f"/api/v1/tickets{query}", headers=headers)
        assert response.status_code == 200, response.text
        ids = {t["id"] for t in response.json()["items"]}
        assert (ticket["id"] in ids) is sees, (caller, query)


@pytest.mark.parametrize("caller", [c for c in CALLERS if c not in ("anonymous", "assignee")])
def test_the_routes_for_any_role(world: World, caller: str) -> None:
    headers = caller_headers(world, caller, {"assigned_agent_id": None})
    calls = [
        ("GET", "/api/v1/tickets", None, 200),
        ("POST", "/api/v1/tickets", NETWORK, 201),
        ("POST", "/api/v1/classify", {"text": "الطابعة في الطابق الثاني لا تطبع"}, 200),
        ("GET", "/api/v1/users/me", None, 200),
    ]
    for method, path, body, status in calls:
        response = world.client.request(method, path, json=body, headers=headers)
        if caller.startswith("deactivated"):
            assert_problem(response, 403)
        else:
            assert response.status_code == status, (caller, path, response.text)
    if not caller.startswith("deactivated"):
        me = world.client.get("/api/v1/users/me", headers=headers).json()
        role = {"admin": "admin", "submitter": "end_user", "other_end_user": "end_user"}
        assert me["role"] == role.get(caller, "agent")


def test_anonymous_callers_get_401_on_the_routes_for_any_role(world: World) -> None:
    for method, path in (
        ("GET", "/api/v1/tickets"),
        ("POST", "/api/v1/tickets"),
        ("POST", "/api/v1/classify"),
        ("GET", "/api/v1/users/me"),
    ):
        assert_problem(world.client.request(method, path, json={}), 401)


STAFF_ROUTES = ("patch", "override", "reclassify", "audit")


@pytest.mark.parametrize("route", STAFF_ROUTES)
def test_the_role_check_comes_before_the_id_and_the_body(world: World, route: str) -> None:
    """An end user on a staff route is 403 whatever the id (unknown, malformed, someone
    else's, their own) and whatever the body."""
    own = world.file(world.user)["id"]
    strangers = world.file(world.other_user)["id"]
    for ticket_id in (own, strangers, str(uuid.uuid4()), "not-a-uuid", "1"):
        method, path, body = ticket_request(world, route, ticket_id)
        bodies: list[Any] = [body, {"status": "nope", "surprise": 1}, [1, 2]]
        for sent in bodies:
            response = world.request(method, path, world.user, json=sent)
            assert_problem(response, 403)
        if method != "GET":
            malformed = world.request(
                method,
                path,
                world.user,
                content=b'{"status": ',
                headers={"Content-Type": "application/json"},
            )
            assert_problem(malformed, 403)


def test_a_deactivated_profile_is_403_everywhere(world: World) -> None:
    """Before the id, the query, the body or its size is looked at."""
    ticket = world.file(world.user)["id"]
    ids = (ticket, str(uuid.uuid4()), "not-a-uuid")
    big = b'{"title": "' + "ا".encode() * 40_000 + b'"}'
    for profile in world.deactivated.values():
        requests: list[tuple[str, str, dict[str, Any]]] = [
            ("GET", "/api/v1/users/me", {}),
            ("GET", "/api/v1/tickets?limit=0&status=nope&cursor=zzz", {}),
            ("POST", "/api/v1/tickets", {"json": {"title": 1}}),
            ("POST", "/api/v1/tickets", {"json": NETWORK}),
            ("POST", "/api/v1/tickets", {"content": big}),
            ("POST", "/api/v1/tickets", {"content": b"{oops"}),
            ("POST", "/api/v1/classify", {"json": {"text": "الطابعة لا تعمل"}}),
            ("POST", "/api/v1/classify", {"json": {"text": ["x"]}}),
        ]
        for ticket_id in ids:
            for route in TICKET_ROUTES:
                method, path, body = ticket_request(world, route, ticket_id)
                requests.append((method, path, {"json": body}))
                if method != "GET":
                    requests.append((method, path, {"json": {"junk": [1]}}))
        for method, path, kwargs in requests:
            headers = {**bearer(profile), "Content-Type": "application/json"}
            response = world.client.request(method, path, headers=headers, **kwargs)
            body = assert_problem(response, 403)
            assert "deactivated" in body["detail"], (method, path, body)


def test_an_internal_note_from_an_end_user_is_403_before_its_body_is_judged(
    world: World,
) -> None:
    ticket = world.file(world.user)["id"]
    path = f"/api/v1/tickets/{ticket}/comments"
    for body in ("سر", "", " " * 3, "x" * 6000):
        response = world.request("POST", path, world.user, json={"body": body, "internal": True})
        assert_problem(response, 403)
    # Not visible comes first: another end user gets a 404 for the same request.
    response = world.request("POST", path, world.other_user, json={"body": "سر", "internal": True})
    assert_problem(response, 404)
    # End users never see internal notes; staff do.
    note = world.request(
        "POST", path, world.admin, json={"body": "ملاحظة داخلية", "internal": True}
    )
    assert note.status_code == 201 and note.json()["internal"] is True
    public = world.request("POST", path, world.admin, json={"body": "نعمل على طلبك"})
    assert public.status_code == 201 and public.json()["internal"] is False
    seen = world.request("GET", path, world.user).json()["items"]
    assert [c["body"] for c in seen] == ["نعمل على طلبك"]
    staff = world.request("GET", path, world.it_agents[0]).json()["items"]
    assert [c["body"] for c in staff] == ["ملاحظة داخلية", "نعمل على طلبك"]


def test_tickets_outside_the_scope_are_404_never_403(world: World) -> None:
    """An id cannot be probed: another department's ticket answers exactly like a missing one."""
    ticket = world.file(world.user)["id"]
    for route in TICKET_ROUTES:
        existing = ticket_request(world, route, ticket)
        missing = ticket_request(world, route, str(uuid.uuid4()))
        for who in (world.finance_agent,):
            first = world.request(existing[0], existing[1], who, json=existing[2])
            second = world.request(missing[0], missing[1], who, json=missing[2])
            assert_problem(first, 404)
            assert_problem(second, 404)
            assert first.json() == second.json()


def test_an_agent_sees_but_cannot_change_their_own_ticket_in_another_department(
    world: World,
) -> None:
    """docs/decisions.md: an agent who filed a ticket routed elsewhere can read it and comment as
    its submitter; changing it is a 403 (its existence is no secret to them)."""
    ticket = world.file(world.finance_agent, PRINTER)  # → it-support
    base = f"/api/v1/tickets/{ticket['id']}"
    who = world.finance_agent
    assert world.request("GET", base, who).status_code == 200
    assert world.request("GET", f"{base}/comments", who).status_code == 200
    assert world.request("POST", f"{base}/comments", who, json={"body": "شكرا"}).status_code == 201
    assert_problem(world.request("PATCH", base, who, json={"priority": "low"}), 403)
    assert_problem(world.request("POST", f"{base}/reclassify", who), 403)
    listed = world.request("GET", "/api/v1/tickets?limit=200", who).json()["items"]
    assert ticket["id"] in {t["id"] for t in listed}


def test_an_agent_reopening_a_closed_ticket_is_403_an_admin_may(world: World) -> None:
    ticket = world.file(world.user)
    base = f"/api/v1/tickets/{ticket['id']}"
    agent = ticket["assigned_agent_id"]
    closed = world.request("PATCH", base, agent, json={"status": "closed"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert_problem(world.request("PATCH", base, agent, json={"status": "open"}), 403)
    reopened = world.request("PATCH", base, world.admin, json={"status": "open"})
    assert reopened.status_code == 200, reopened.text
    assert reopened.json()["status"] == "open" and reopened.json()["resolved_at"] is None
