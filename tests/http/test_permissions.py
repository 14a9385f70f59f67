"""Who may call what (docs/rules.md, "Visibility and permissions"), in one matrix: every route the
app serves × every kind of caller, with the ticket routes on a ticket the caller may or may not
see; refused requests change nothing. Then the order of checks, 401 → 403 deactivated → 403 role
→ 404 not visible → 403 role-bound field → 422 → 412 → 409, and the visibility rules the matrix
cannot show on one ticket."""

from __future__ import annotations

import re
import string
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest
from dependency_injector import providers

from helpdesk.adapters.mail.attachment_store import FilesystemAttachmentStore
from helpdesk.domain.mail.records import StoredAttachment
from helpdesk.domain.taxonomy import Role

from .conftest import NETWORK, PRINTER, World, assert_problem, bearer, make_world

END_USERS = ("newcomer", "submitter", "other_end_user")  # newcomer: a token without a profile
AGENTS = (
    "department_agent",  # it-support, not the assignee
    "assignee",  # it-support
    "other_department_agent",  # finance
)
ACTIVE = (*END_USERS, *AGENTS, "admin")
DEACTIVATED = ("deactivated_end_user", "deactivated_agent", "deactivated_admin")
CALLERS = ("anonymous", *ACTIVE, *DEACTIVATED)


def allowed(status: int, callers: tuple[str, ...], refused: int = 403) -> dict[str, int]:
    """`status` for `callers`, `refused` for every other active caller, 401 without a token and
    403 for a deactivated profile."""
    table = {"anonymous": 401, **dict.fromkeys(DEACTIVATED, 403)}
    return table | {c: status if c in callers else refused for c in ACTIVE}


EVERYONE = dict.fromkeys(CALLERS, 200)  # public routes: a token, good or bad, is not looked at
ANY_ROLE = allowed(200, ACTIVE)
STAFF = allowed(200, (*AGENTS, "admin"))
ADMIN = allowed(200, ("admin",))

# The ticket routes, on a ticket the submitter filed, routed to it-support and assigned: the
# other end users and the other department do not see it (404), staff-only routes are refused by
# role whatever the ticket (403), and `internal` is a role-bound field checked after visibility.
SEES_TICKET = ("submitter", "department_agent", "assignee", "admin")
SCOPED_READ = allowed(200, SEES_TICKET, refused=404)
SCOPED_STAFF = SCOPED_READ | dict.fromkeys(END_USERS, 403)
SCOPED_COMMENT = allowed(201, SEES_TICKET, refused=404)
SCOPED_NOTE = SCOPED_COMMENT | {"submitter": 403}


@dataclass(frozen=True)
class Probe:
    """A read, as `who`, that a refused request must leave as it was; `needs` are targets made
    first so that there is something to change."""

    path: str
    who: str
    needs: tuple[str, ...] = ("filed",)


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # placeholders name a Targets property: {ticket}, {user}, …
    expected: dict[str, int]
    body: Any = None  # JSON, or a function of the targets
    probe: Probe | None = None
    check: Callable[[Any, str, Targets], None] | None = field(default=None, compare=False)

    def payload(self, targets: Targets) -> Any:
        return self.body(targets) if callable(self.body) else self.body


def placeholders(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def same_ticket(response: Any, caller: str, targets: Targets) -> None:
    body = response.json()
    assert body["id"] == targets.ticket
    assert response.headers["etag"] == f'"{body["version"]}"'


def own_profile(response: Any, caller: str, targets: Targets) -> None:
    role = "admin" if caller == "admin" else "agent" if caller in AGENTS else "end_user"
    assert response.json()["role"] == role
    assert response.json()["id"] == str(targets.caller_id(caller))


def opted_out(response: Any, caller: str, targets: Targets) -> None:
    own_profile(response, caller, targets)
    assert response.json()["email_notifications"] is False


def read_now(response: Any, caller: str, targets: Targets) -> None:
    assert response.json()["id"] == targets.notification
    assert response.json()["read_at"] is not None


def token_issued(response: Any, caller: str, targets: Targets) -> None:
    assert response.json()["token_type"] == "bearer" and response.json()["access_token"]


def no_internal_notes(response: Any, caller: str, targets: Targets) -> None:
    internal = [c["internal"] for c in response.json()["items"]]
    assert any(internal) is (caller not in END_USERS), internal


TICKET = "/api/v1/tickets/{ticket}"
TICKET_PROBE = Probe(TICKET, "admin")
COMMENTS_PROBE = Probe(TICKET + "/comments", "admin")
TICKETS_PROBE = Probe("/api/v1/tickets?limit=200", "admin")
USERS_PROBE = Probe("/api/v1/users?limit=200", "admin", ("user",))
DEPARTMENTS_PROBE = Probe("/api/v1/departments?limit=200", "admin", ("department",))
QUICK_ACTIONS_PROBE = Probe("/api/v1/quick-actions", "admin", ("quick_action",))
NOTIFICATIONS_PROBE = Probe("/api/v1/notifications?limit=200", "submitter")
SLA_POLICIES_PROBE = Probe("/api/v1/sla-policies", "admin", ("sla_policy",))
CALENDAR = "/api/v1/departments/{department}/calendar"
CALENDAR_PROBE = Probe(CALENDAR, "admin", ("department",))
STAT = "/api/v1/stats/"
DEV = "/api/v1/stats/dev/"

ROUTES: dict[str, Route] = {
    # public
    "health": Route("GET", "/health", EVERYONE),
    "readiness": Route("GET", "/health/ready", EVERYONE),
    "metrics": Route("GET", "/metrics", EVERYONE),
    "openapi": Route("GET", "/schema/openapi.json", EVERYONE),
    "login": Route(
        "POST",
        "/api/v1/auth/token",
        EVERYONE,
        lambda t: {"email": t.login, "password": "long-enough-pw"},
        check=token_issued,
    ),
    # tickets
    "tickets.list": Route("GET", "/api/v1/tickets", ANY_ROLE),
    "tickets.create": Route(
        "POST", "/api/v1/tickets", allowed(201, ACTIVE), NETWORK, TICKETS_PROBE
    ),
    "ticket.get": Route("GET", TICKET, SCOPED_READ, check=same_ticket),
    "ticket.patch": Route(
        "PATCH", TICKET, SCOPED_STAFF, {"priority": "high"}, TICKET_PROBE, same_ticket
    ),
    "ticket.override": Route(
        "POST",
        TICKET + "/override",
        SCOPED_STAFF,
        lambda t: {"department_id": t.finance, "reason": "للمالية"},
        TICKET_PROBE,
        same_ticket,
    ),
    "ticket.reclassify": Route(
        "POST", TICKET + "/reclassify", SCOPED_STAFF, None, TICKET_PROBE, same_ticket
    ),
    "ticket.comments": Route("GET", TICKET + "/comments", SCOPED_READ, check=no_internal_notes),
    "ticket.comment": Route(
        "POST", TICKET + "/comments", SCOPED_COMMENT, {"body": "هل من جديد؟"}, COMMENTS_PROBE
    ),
    "ticket.note": Route(
        "POST",
        TICKET + "/comments",
        SCOPED_NOTE,
        {"body": "ملاحظة للفريق", "internal": True},
        COMMENTS_PROBE,
    ),
    "ticket.audit": Route("GET", TICKET + "/audit", SCOPED_STAFF),
    "ticket.attachments": Route("GET", TICKET + "/attachments", SCOPED_READ),
    "ticket.attachment": Route("GET", TICKET + "/attachments/{attachment}", SCOPED_READ),
    "classify": Route("POST", "/api/v1/classify", ANY_ROLE, {"text": PRINTER["description"]}),
    # users
    "users.me": Route("GET", "/api/v1/users/me", ANY_ROLE, check=own_profile),
    "users.me.patch": Route(
        "PATCH",
        "/api/v1/users/me",
        ANY_ROLE,
        {"email_notifications": False},
        check=opted_out,
    ),
    "users.list": Route("GET", "/api/v1/users", ADMIN),
    "users.create": Route(
        "POST",
        "/api/v1/users",
        allowed(201, ("admin",)),
        lambda t: {"email": t.unique_email, "full_name": "موظف جديد", "role": "end_user"},
        USERS_PROBE,
    ),
    "user.patch": Route(
        "PATCH", "/api/v1/users/{user}", ADMIN, {"full_name": "اسم معدل"}, USERS_PROBE
    ),
    "user.delete": Route(
        "DELETE", "/api/v1/users/{user}", allowed(204, ("admin",)), None, USERS_PROBE
    ),
    # mail
    "mail.status": Route("GET", "/api/v1/mail/status", ADMIN),
    "mail.held": Route("GET", "/api/v1/mail/held", ADMIN),
    # departments
    "departments.list": Route("GET", "/api/v1/departments", ANY_ROLE),
    "departments.create": Route(
        "POST",
        "/api/v1/departments",
        allowed(201, ("admin",)),
        lambda t: {"slug": t.unique_slug, "name": "قسم جديد"},
        DEPARTMENTS_PROBE,
    ),
    "department.get": Route("GET", "/api/v1/departments/{department}", ANY_ROLE),
    "department.patch": Route(
        "PATCH",
        "/api/v1/departments/{department}",
        ADMIN,
        {"name": "قسم معدل"},
        DEPARTMENTS_PROBE,
    ),
    # service levels: staff read the policies, admins change them and the calendars
    "sla_policies.list": Route("GET", "/api/v1/sla-policies", STAFF),
    "sla_policies.create": Route(
        "POST",
        "/api/v1/sla-policies",
        allowed(201, ("admin",)),
        {  # inactive: it never collides with another policy's scope
            "name": "سياسة جديدة",
            "priority": "low",
            "first_response_minutes": 60,
            "resolution_minutes": 600,
            "is_active": False,
        },
        SLA_POLICIES_PROBE,
    ),
    "sla_policy.patch": Route(
        "PATCH",
        "/api/v1/sla-policies/{sla_policy}",
        ADMIN,
        {"warning_percent": 70},
        SLA_POLICIES_PROBE,
    ),
    "sla_policy.delete": Route(
        "DELETE",
        "/api/v1/sla-policies/{sla_policy}",
        allowed(204, ("admin",)),
        None,
        SLA_POLICIES_PROBE,
    ),
    "department.calendar": Route("GET", CALENDAR, ANY_ROLE),
    "department.calendar_put": Route(
        "PUT", CALENDAR, ADMIN, {"holidays": ["2026-12-25"]}, CALENDAR_PROBE
    ),
    # notifications: always the caller's own; the target is the submitter's
    "notifications.list": Route("GET", "/api/v1/notifications", ANY_ROLE),
    "notifications.unread_count": Route("GET", "/api/v1/notifications/unread-count", ANY_ROLE),
    "notifications.read_all": Route("POST", "/api/v1/notifications/read-all", ANY_ROLE),
    "notification.read": Route(
        "POST",
        "/api/v1/notifications/{notification}/read",
        allowed(200, ("submitter",), refused=404),
        None,
        NOTIFICATIONS_PROBE,
        read_now,
    ),
    # quick actions
    "quick_actions.list": Route("GET", "/api/v1/quick-actions", ANY_ROLE),
    "quick_actions.create": Route(
        "POST",
        "/api/v1/quick-actions",
        allowed(201, ("admin",)),
        {"label": "طلب", "title": "طلب جديد", "description": "وصف الطلب الجديد هنا"},
        QUICK_ACTIONS_PROBE,
    ),
    "quick_action.patch": Route(
        "PATCH",
        "/api/v1/quick-actions/{quick_action}",
        ADMIN,
        {"icon": "star"},
        QUICK_ACTIONS_PROBE,
    ),
    "quick_action.delete": Route(
        "DELETE",
        "/api/v1/quick-actions/{quick_action}",
        allowed(204, ("admin",)),
        None,
        QUICK_ACTIONS_PROBE,
    ),
    # reports: staff (agents see their own department); the admin audit
    "stats.routing_modes": Route("GET", STAT + "routing-modes", STAFF),
    "stats.confidence_histogram": Route("GET", STAT + "confidence-histogram", STAFF),
    "stats.taxonomy": Route("GET", STAT + "taxonomy", STAFF),
    "stats.override_rate": Route("GET", STAT + "override-rate", STAFF),
    "stats.agent_workload": Route("GET", STAT + "agent-workload", STAFF),
    "stats.sla": Route("GET", STAT + "sla", STAFF),
    "stats.routing_quality": Route("GET", STAT + "routing-quality", STAFF),
    "audit": Route("GET", "/api/v1/audit", ADMIN),
    # dev utilities (on in these tests)
    "dev.config": Route("GET", DEV + "config", ADMIN),
    "dev.reseed_tickets": Route("POST", DEV + "reseed-tickets", ADMIN, {"count": 1}, TICKETS_PROBE),
    "dev.delete_tickets": Route("DELETE", DEV + "tickets", ADMIN, None, TICKETS_PROBE),
    "dev.delete_notifications": Route(
        "DELETE", DEV + "notifications", ADMIN, None, NOTIFICATIONS_PROBE
    ),
    "dev.reseed_quick_actions": Route(
        "POST", DEV + "reseed-quick-actions", ADMIN, None, QUICK_ACTIONS_PROBE
    ),
}


class Targets:
    """What one case of the matrix acts on, made on first use: a ticket the submitter filed
    (auto-routed to it-support and assigned, with an internal note), a throwaway user,
    department and quick action, and the submitter's notification about the ticket."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.newcomer = uuid.uuid4()  # a new one each case: filing a ticket makes a profile

    @cached_property
    def filed(self) -> dict[str, Any]:
        w = self.world
        ticket = w.file(w.user, PRINTER)
        assert ticket["department_id"] == str(w.departments["it-support"].id)
        assert ticket["assigned_agent_id"] is not None
        note = {"body": "ملاحظة داخلية سابقة", "internal": True}
        path = f"/api/v1/tickets/{ticket['id']}/comments"
        assert w.request("POST", path, w.admin, json=note).status_code == 201
        return ticket

    @property
    def ticket(self) -> str:
        return str(self.filed["id"])

    @cached_property
    def user(self) -> str:
        return str(self.world.new_user().id)

    @cached_property
    def department(self) -> str:
        body = {"slug": self.unique_slug, "name": "قسم مؤقت"}
        response = self.world.request("POST", "/api/v1/departments", self.world.admin, json=body)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    @cached_property
    def quick_action(self) -> str:
        body = {"label": "مؤقت", "title": "طلب مؤقت", "description": "وصف الطلب المؤقت هنا"}
        response = self.world.request("POST", "/api/v1/quick-actions", self.world.admin, json=body)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    @cached_property
    def sla_policy(self) -> str:
        body = {
            "name": "سياسة مؤقتة",
            "priority": "low",
            "first_response_minutes": 30,
            "resolution_minutes": 300,
            "is_active": False,
        }
        response = self.world.request("POST", "/api/v1/sla-policies", self.world.admin, json=body)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    @cached_property
    def attachment(self) -> str:
        """A file kept with the ticket (as a mailed one would be)."""
        w, ticket = self.world, uuid.UUID(self.ticket)
        kept = StoredAttachment(
            uuid.uuid4(), ticket, "تقرير.pdf", "application/pdf", 8, f"m/{uuid.uuid4().hex}", T0
        )

        async def keep() -> None:
            await w.container.attachment_store().put(kept.key, b"%PDF-1.4")
            async with w.container.storage().unit_of_work() as uow:
                await uow.attachments.add_all([kept])
                await uow.commit()

        w.call(keep)
        return str(kept.id)

    @cached_property
    def notification(self) -> str:
        w, ticket = self.world, self.ticket  # filing it is what notifies the submitter
        mine = w.request("GET", "/api/v1/notifications?limit=200", w.user).json()["items"]
        return str(next(n["id"] for n in mine if n["ticket_id"] == ticket))

    @property
    def unique_email(self) -> str:
        return f"matrix-{uuid.uuid4().hex[:10]}@example.test"

    @property
    def unique_slug(self) -> str:
        return f"matrix-{uuid.uuid4().hex[:10]}"

    @property
    def finance(self) -> str:
        return str(self.world.departments["finance"].id)

    @property
    def login(self) -> str:
        return LOGIN_EMAIL

    def caller_id(self, caller: str) -> uuid.UUID | str | None:
        w = self.world
        fixed: dict[str, Any] = {
            "anonymous": None,
            "newcomer": self.newcomer,
            "submitter": w.user.id,
            "other_end_user": w.other_user.id,
            "other_department_agent": w.finance_agent.id,
            "admin": w.admin.id,
            "deactivated_end_user": w.deactivated[Role.END_USER].id,
            "deactivated_agent": w.deactivated[Role.AGENT].id,
            "deactivated_admin": w.deactivated[Role.ADMIN].id,
        }
        if caller in fixed:
            return fixed[caller]
        # The two it-support agents: the ticket's assignee, and the other one.
        assignee = self.filed["assigned_agent_id"]
        if caller == "assignee":
            return str(assignee)
        return next(a.id for a in w.it_agents if str(a.id) != assignee)

    def fill(self, template: str) -> str:
        return template.format(**{n: getattr(self, n) for n in placeholders(template)})

    def headers(self, caller: str) -> dict[str, str]:
        who = self.caller_id(caller)
        return {} if who is None else bearer(who)


LOGIN_EMAIL = "matrix.login@example.test"
T0 = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def matrix_world() -> Iterator[World]:
    """A world of the matrix's own: the admin's calls delete tickets and notifications."""
    with make_world() as world, tempfile.TemporaryDirectory() as files:
        store = FilesystemAttachmentStore(Path(files))
        world.container.attachment_store.override(providers.Object(store))
        body = {
            "email": LOGIN_EMAIL,
            "full_name": "دخول",
            "role": "end_user",
            "password": "long-enough-pw",
        }
        assert world.request("POST", "/api/v1/users", world.admin, json=body).status_code == 201
        yield world


def read(world: World, probe: Probe, targets: Targets) -> Any:
    for name in probe.needs:
        getattr(targets, name)
    response = world.client.get(targets.fill(probe.path), headers=targets.headers(probe.who))
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("name", sorted(ROUTES))
def test_the_permission_matrix(matrix_world: World, name: str, caller: str) -> None:
    world, route = matrix_world, ROUTES[name]
    targets = Targets(world)
    if name == "dev.reseed_tickets":
        # The reseed files as the newest end user and does not yet skip a deactivated one
        # (test_dev_utilities records it); make the newest an active one.
        world.new_user()
    expected = route.expected[caller]
    before = read(world, route.probe, targets) if route.probe and expected >= 400 else None
    response = world.client.request(
        route.method,
        targets.fill(route.path),
        json=route.payload(targets),
        headers=targets.headers(caller),
    )
    if expected >= 400:
        problem = assert_problem(response, expected)
        if caller in DEACTIVATED:
            assert "deactivated" in problem["detail"], problem
        if route.probe:
            assert read(world, route.probe, targets) == before, "a refused request changed it"
    else:
        assert response.status_code == expected, (name, caller, response.text)
        if route.check:
            route.check(response, caller, targets)


def test_the_matrix_covers_every_route(matrix_world: World) -> None:
    def shape(path: str) -> str:
        return re.sub(r"\{[^}]*\}", "{}", path)

    served = {
        (method, shape(route.path))
        for route in matrix_world.client.app.routes
        for method in getattr(route, "route_handler_map", {})
        if method != "OPTIONS" and route.path.startswith(("/api/", "/health", "/metrics"))
    }
    covered = {(r.method, shape(r.path)) for r in ROUTES.values()}
    assert served - covered == set(), "routes the permission matrix does not cover"
    assert covered - served <= {("GET", "/schema/openapi.json")}
    for route in ROUTES.values():
        assert set(route.expected) == set(CALLERS), route


@pytest.mark.parametrize(
    ("caller", "sees"),
    [
        ("newcomer", False),
        ("submitter", True),
        ("other_end_user", False),
        ("department_agent", True),
        ("assignee", True),
        ("other_department_agent", False),
        ("admin", True),
    ],
)
def test_lists_and_filters_are_scoped(world: World, caller: str, sees: bool) -> None:
    targets = Targets(world)
    headers = targets.headers(caller)
    ticket = targets.filed
    for query in ("", f"?department_id={ticket['department_id']}", "?limit=200"):
        response = world.client.get(f"/api/v1/tickets{query}", headers=headers)
        assert response.status_code == 200, response.text
        ids = {t["id"] for t in response.json()["items"]}
        assert (ticket["id"] in ids) is sees, (caller, query)


# Routes refused by role alone: staff routes to end users, admin routes to agents too.
ROLE_BOUND = sorted(
    (name, caller)
    for name, route in ROUTES.items()
    for caller, group in (("submitter", END_USERS), ("department_agent", AGENTS))
    if all(route.expected[c] == 403 for c in group)
)


@pytest.mark.parametrize(("name", "caller"), ROLE_BOUND)
def test_the_role_check_comes_before_the_id_and_the_body(
    world: World, name: str, caller: str
) -> None:
    """A caller whose role may not use a route is 403 whatever the id (unknown, malformed,
    someone else's, their own), the query and the body."""
    route = ROUTES[name]
    targets = Targets(world)
    headers = {**targets.headers(caller), "Content-Type": "application/json"}
    own = world.file(world.user)["id"]
    strangers = world.file(world.other_user)["id"]
    ids = (own, strangers, str(uuid.uuid4()), "not-a-uuid", "1")
    paths = sorted({re.sub(r"\{\w+\}", i, route.path) for i in ids})
    for path in paths:
        for query in ("", "?limit=0&bins=x&from=nope&cursor=%25"):
            for sent in (route.payload(targets), {"status": "nope", "surprise": 1}, [1, 2]):
                response = world.client.request(
                    route.method, path + query, json=sent, headers=headers
                )
                assert_problem(response, 403)
            if route.method != "GET":
                malformed = world.client.request(
                    route.method, path + query, content=b'{"status": ', headers=headers
                )
                assert_problem(malformed, 403)


def test_a_deactivated_profile_is_403_everywhere(world: World) -> None:
    """On every route that needs a token, before the id, the query, the body or its size is
    looked at."""
    targets = Targets(world)
    ids = (targets.ticket, str(uuid.uuid4()), "not-a-uuid")
    big = b'{"title": "' + "ا".encode() * 40_000 + b'"}'
    requests: list[tuple[str, str, dict[str, Any]]] = [
        ("GET", "/api/v1/tickets?limit=0&status=nope&cursor=zzz", {}),
        ("POST", "/api/v1/tickets", {"json": {"title": 1}}),
        ("POST", "/api/v1/tickets", {"content": big}),
        ("POST", "/api/v1/tickets", {"content": b"{oops"}),
        ("POST", "/api/v1/classify", {"json": {"text": ["x"]}}),
        ("GET", "/api/v1/stats/confidence-histogram?bins=0", {}),
    ]
    for route in ROUTES.values():
        if route.expected["deactivated_admin"] != 403:
            continue  # public
        for raw_id in ids:
            path = re.sub(r"\{\w+\}", raw_id, route.path)
            requests.append((route.method, path, {"json": route.payload(targets)}))
            if route.method != "GET":
                requests.append((route.method, path, {"json": {"junk": [1]}}))
    for profile in world.deactivated.values():
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
    targets = Targets(world)
    for name, route in ROUTES.items():
        if not name.startswith("ticket."):
            continue
        file_id = uuid.uuid4()  # for the routes of one attachment
        existing = route.path.format(ticket=targets.ticket, attachment=file_id)
        missing = route.path.format(ticket=uuid.uuid4(), attachment=file_id)
        body = route.payload(targets)
        same = {"X-Request-ID": "probe"}  # the one part of the answers that may differ
        first = world.request(route.method, existing, world.finance_agent, json=body, headers=same)
        second = world.request(route.method, missing, world.finance_agent, json=body, headers=same)
        assert_problem(first, 404)
        assert_problem(second, 404)
        assert first.json() == second.json()


def test_an_agent_requester_in_another_department_has_an_end_users_view(world: World) -> None:
    """An agent who filed a ticket that was routed to another department is its requester there:
    they read it, find it in their list and comment publicly, as any submitter; they see no
    internal notes, write none, read no audit trail and change nothing (its existence is no
    secret to them, so these are 403s)."""
    requester = world.finance_agent
    ticket = world.file(requester, PRINTER)  # → it-support
    assert ticket["department_id"] == str(world.departments["it-support"].id)
    path = f"/api/v1/tickets/{ticket['id']}"
    staff = world.it_agents[0]
    note = world.request(
        "POST", f"{path}/comments", staff, json={"body": "ملاحظة للفريق", "internal": True}
    )
    assert note.status_code == 201, note.text
    reply = world.request("POST", f"{path}/comments", staff, json={"body": "نعمل عليها"})
    assert reply.status_code == 201, reply.text
    # The staff reply is the first response (a new version); nothing below may change it.
    version = world.request("GET", path, world.admin).json()["version"]
    assert version == ticket["version"] + 1

    assert world.request("GET", path, requester).status_code == 200
    listed = world.request("GET", "/api/v1/tickets?limit=200", requester).json()["items"]
    assert ticket["id"] in {t["id"] for t in listed}
    seen = world.request("GET", f"{path}/comments", requester).json()["items"]
    assert [c["body"] for c in seen] == ["نعمل عليها"]
    own = world.request("POST", f"{path}/comments", requester, json={"body": "شكرًا لكم"})
    assert own.status_code == 201, own.text
    secret = {"body": "سر", "internal": True}
    assert_problem(world.request("POST", f"{path}/comments", requester, json=secret), 403)
    assert_problem(world.request("GET", f"{path}/audit", requester), 403)
    assert_problem(world.request("PATCH", path, requester, json={"priority": "low"}), 403)
    assert_problem(world.request("POST", f"{path}/reclassify", requester), 403)
    finance = {"department_id": str(world.departments["finance"].id), "reason": "لنا"}
    assert_problem(world.request("POST", f"{path}/override", requester, json=finance), 403)
    assert world.request("GET", path, world.admin).json()["version"] == version

    # The ticket's own department still sees everything.
    staff_view = world.request("GET", f"{path}/comments", staff).json()["items"]
    assert [c["internal"] for c in staff_view] == [True, False, False]
    assert world.request("GET", f"{path}/audit", staff).status_code == 200


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
