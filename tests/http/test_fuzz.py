"""No 500 for anything a client can send: arbitrary JSON values, random bytes, wrong types, huge
numbers, nested junk and NaN to every POST/PATCH route as every kind of caller, and random query
strings on the lists. Every answer is < 500, and a problem document when it is an error.

The app here runs on SQLite (a file, migrated), so that values which only a real database could
choke on (integers past 64 bits, NUL characters, …) are tried against one.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args, get_origin
from urllib.parse import quote, urlencode

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpdesk.domain.taxonomy import Category, Priority, Role, RoutingMode, TicketStatus

from .conftest import NETWORK, PRINTER, VAGUE, World, assert_problem, bearer, make_world

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    # Local runs draw new examples every time (and replay what failed from hypothesis's
    # database); CI draws a fixed sample, so that whether a change lands never rests on luck.
    derandomize=bool(os.environ.get("CI")),
)


@pytest.fixture(scope="module")
def fuzz_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    from helpdesk.adapters.storage.sql.migrate import upgrade_database

    path: Path = tmp_path_factory.mktemp("fuzz") / "helpdesk.db"
    url = f"sqlite+aiosqlite:///{path}"
    upgrade_database(url)
    with make_world(database_url=url, dev_utilities=False) as world:
        yield world


@pytest.fixture(scope="module")
def targets(fuzz_world: World) -> dict[str, list[str]]:
    """Real ids for every kind of path parameter, beside unknown and malformed ones."""
    w = fuzz_world
    tickets = [w.file(w.user, text)["id"] for text in (PRINTER, NETWORK, VAGUE)]
    department = w.new_department("fuzz-target")
    action = w.new_quick_action()
    policy = w.request(
        "POST",
        "/api/v1/sla-policies",
        w.admin,
        json={
            "name": "سياسة للاختبار",
            "priority": "low",
            "first_response_minutes": 60,
            "resolution_minutes": 600,
            "is_active": False,
        },
    )
    assert policy.status_code == 201, policy.text
    throwaway = w.new_user(Role.AGENT, slug="it-support")
    notes = w.request("GET", "/api/v1/notifications", w.user).json()["items"]
    junk = [str(uuid.uuid4()), "not-a-uuid", "0", "%00", "ق" * 5, "-1"]
    return {
        "ticket_id": tickets + junk,
        "user_id": [str(throwaway.id), *junk],
        "department_id": [department, *junk],
        "quick_action_id": [action, *junk],
        "policy_id": [policy.json()["id"], *junk],
        "notification_id": [n["id"] for n in notes[:2]] + junk,
        "attachment_id": junk,  # web tickets carry no attachments: every id is unknown
    }


def callers(world: World) -> dict[str, dict[str, str]]:
    return {
        "anonymous": {},
        "end_user": bearer(world.user),
        "newcomer": bearer(uuid.UUID(int=0xF022), email="fuzz@example.test"),
        "agent": bearer(world.it_agents[0]),
        "admin": bearer(world.admin),
        "deactivated": bearer(world.deactivated[Role.AGENT]),
    }


def write_routes(world: World) -> list[tuple[str, str, type | None]]:
    """Every POST and PATCH route the app serves, with its body type (None: no body)."""
    routes = []
    for route in world.client.app.routes:
        for method, mapped in getattr(route, "route_handler_map", {}).items():
            if method not in ("POST", "PATCH"):
                continue
            handler = mapped[0] if isinstance(mapped, tuple) else mapped
            data = handler.parsed_fn_signature.parameters.get("data")
            body = data.annotation if data is not None else None
            routes.append((method, route.path, body))
    return sorted(routes, key=lambda r: (r[1], r[0]))


STAFF_ONLY = re.compile(r"^/api/v1/tickets/\{ticket_id:str\}(/override|/reclassify)?$")
ADMIN_ONLY = re.compile(r"^/api/v1/(users|departments|quick-actions|sla-policies)(/\{\w+:str\})?$")
PUBLIC = {"/api/v1/auth/token"}


def expected_status(caller: str, method: str, path: str) -> int | None:
    """What the order of checks fixes before the id or the body are looked at."""
    if path in PUBLIC:
        return None
    if caller == "anonymous":
        return 401
    if caller == "deactivated":
        return 403
    if caller in ("end_user", "newcomer"):
        staff = STAFF_ONLY.match(path) and not (method == "POST" and path == "/api/v1/tickets")
        if staff and not path.endswith("/comments"):
            return 403
        if ADMIN_ONLY.match(path):
            return 403
    if caller == "agent" and ADMIN_ONLY.match(path):
        return 403
    return None


# -- values --------------------------------------------------------------------------------------

huge_ints = st.sampled_from([2**31, 2**53 + 1, 2**63 - 1, 2**63, 2**64, -(2**63) - 1, 10**40])
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | huge_ints
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=40)
    | st.sampled_from(["", " ", "\x00", "\u202e", "ا" * 3, "null", "NaN", "🙂", "\ud800x"])
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
arabic = st.sampled_from(
    [PRINTER["title"], PRINTER["description"], NETWORK["description"], "ا" * 5000, "ا" * 5001]
)
ids_like = st.sampled_from(
    [
        str(uuid.uuid4()),
        str(uuid.UUID(int=0)),
        "me",
        "none",
        "",
        "00000000-0000-0000-0000-00000000000",
    ]
)


def field_values(annotation: Any, world: World) -> st.SearchStrategy[Any]:
    """Values of the right type (and near misses) for one field, beside arbitrary ones."""
    known = (
        [str(d.id) for d in world.departments.values()]
        + [str(a.id) for a in world.it_agents]
        + [str(world.finance_agent.id)]
    )
    plausible = {
        Category: st.sampled_from([*list(Category), "CATEGORY", "unknown"]),
        Priority: st.sampled_from([*list(Priority), "asap"]),
        TicketStatus: st.sampled_from([*list(TicketStatus), "done"]),
        RoutingMode: st.sampled_from(list(RoutingMode)),
        Role: st.sampled_from([*list(Role), "root", "service_role"]),
        uuid.UUID: st.sampled_from(known) | ids_like,
        bool: st.booleans() | st.sampled_from(["true", 1, 0]),
        int: st.integers(-5, 300) | huge_ints,
        str: arabic | st.text(max_size=60) | st.emails(),
    }
    options = [json_values]
    for candidate in (annotation, *get_args(annotation)):
        origin = get_origin(candidate) or candidate
        if origin is list:
            options.append(st.lists(field_values(get_args(candidate)[0], world), max_size=4))
        for kind, strategy in plausible.items():
            if isinstance(origin, type) and issubclass(origin, kind):
                options.append(strategy)
        if get_args(candidate):  # Annotated[str, Meta(...)] and the like
            options.append(field_values(get_args(candidate)[0], world))
    return st.one_of(options)


def bodies(body_type: type | None, world: World) -> st.SearchStrategy[bytes | None]:
    """Raw request bodies: typed objects with wrong values, arbitrary JSON, NaN, junk bytes."""
    objects: st.SearchStrategy[Any] = st.just({})
    if body_type is not None and issubclass(body_type, msgspec.Struct):
        fields = msgspec.structs.fields(body_type)
        objects = st.fixed_dictionaries(
            {},
            optional={
                **{f.encode_name: field_values(f.type, world) for f in fields},
                "unknown_field": json_values,
            },
        )

    def encode(value: Any, ensure_ascii: bool) -> bytes:
        return json.dumps(value, allow_nan=True, ensure_ascii=ensure_ascii).encode(
            "utf-8", "surrogatepass"
        )

    encoded = st.builds(encode, objects | json_values, st.booleans())
    junk = st.binary(max_size=200) | st.sampled_from(
        [
            b"",
            b"[" * 4000 + b"]" * 4000,
            b'{"a":' * 2000 + b"1" + b"}" * 2000,
            b'{"title": NaN}',
            b'{"title": "\\ud800"}',
            b'{"title": "\xd8\xa7\xd8"}',
            b"\xef\xbb\xbf{}",
            b"\x00" * 10,
            b'{"' + b"k" * 5000 + b'": 1}',
        ]
    )
    return st.one_of(encoded, encoded, junk, st.none())


header_text = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"),
    max_size=300,
)
content_types = st.sampled_from(
    [
        "application/json",
        "application/json",
        "application/json; charset=utf-8",
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "",
    ]
)


def check(response: Any, expected: int | None, context: Any) -> None:
    assert response.status_code < 500, (context, response.status_code, response.text)
    if response.status_code >= 400:
        assert_problem(response)
    if expected is not None:
        assert response.status_code == expected, (context, response.status_code, response.text)


def test_every_write_route_is_covered(fuzz_world: World) -> None:
    paths = {(m, p) for m, p, _ in write_routes(fuzz_world)}
    for must in (
        ("POST", "/api/v1/tickets"),
        ("PATCH", "/api/v1/tickets/{ticket_id:str}"),
        ("POST", "/api/v1/tickets/{ticket_id:str}/override"),
        ("POST", "/api/v1/tickets/{ticket_id:str}/reclassify"),
        ("POST", "/api/v1/tickets/{ticket_id:str}/comments"),
        ("POST", "/api/v1/classify"),
    ):
        assert must in paths


@FUZZ
@given(data=st.data())
def test_no_body_makes_a_500(
    fuzz_world: World, targets: dict[str, list[str]], data: st.DataObject
) -> None:
    world = fuzz_world
    method, template, body_type = data.draw(st.sampled_from(write_routes(world)), label="route")
    caller = data.draw(st.sampled_from(sorted(callers(world))), label="caller")
    path = template
    for name in re.findall(r"\{(\w+):str\}", template):
        value = data.draw(st.sampled_from(targets[name]), label=name)
        path = path.replace(f"{{{name}:str}}", quote(value, safe=""))
    body = data.draw(bodies(body_type, world), label="body")
    headers = dict(callers(world)[caller])
    content_type = data.draw(content_types, label="content-type")
    if content_type:
        headers["Content-Type"] = content_type
    if data.draw(st.booleans(), label="with If-Match"):
        headers["If-Match"] = data.draw(header_text | st.sampled_from(['"1"', "*", 'W/"2"']))
    if data.draw(st.booleans(), label="with Idempotency-Key"):
        headers["Idempotency-Key"] = data.draw(header_text)
    encoded = {k: v.encode("latin-1") for k, v in headers.items()}
    response = world.client.request(method, path, content=body, headers=encoded)
    check(response, expected_status(caller, method, template), (method, path, caller, body))


def read_routes(world: World) -> list[str]:
    paths = []
    for route in world.client.app.routes:
        if "GET" in getattr(route, "route_handler_map", {}) and route.path.startswith("/api/v1"):
            paths.append(route.path)
    return sorted(paths)


LIST_KEYS = [
    "status",
    "priority",
    "department_id",
    "assigned_agent_id",
    "routing_mode",
    "overridden",
    "category",
    "q",
    "created_after",
    "created_before",
    "queue",
    "limit",
    "cursor",
    "role",
    "entity_type",
    "entity_id",
    "actor_id",
    "from",
    "to",
    "bins",
    "unread",
]
query_values = st.one_of(
    st.text(max_size=30),
    st.integers().map(str),
    huge_ints.map(str),
    st.sampled_from(
        [
            "",
            "me",
            "none",
            "true",
            "false",
            "2026-01-01",
            "2026-01-01T00:00:00Z",
            "2026-13-01",
            "9999-12-31T23:59:59+14:00",
            "0001-01-01T00:00:00Z",
            "open",
            "mine",
            "department",
            "triage",
            "NaN",
            "-0",
            "1e9",
            "اعاده",
            "%",
            "\x00",
            "💥",
            str(uuid.uuid4()),
        ]
    ),
    st.sampled_from([c.value for c in Category] + [p.value for p in Priority] + ["nope"]),
)
queries = st.one_of(
    st.lists(
        st.tuples(st.sampled_from(LIST_KEYS) | st.text(max_size=8), query_values), max_size=6
    ).map(lambda pairs: urlencode(pairs, doseq=False)),
    st.text(
        alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters="#"),
        max_size=80,
    ),
)


@FUZZ
@given(data=st.data())
def test_no_query_string_makes_a_500(
    fuzz_world: World, targets: dict[str, list[str]], data: st.DataObject
) -> None:
    world = fuzz_world
    template = data.draw(
        st.sampled_from(["/api/v1/tickets"] * 4 + read_routes(world)), label="route"
    )
    path = template
    for name in re.findall(r"\{(\w+):str\}", template):
        path = path.replace(
            f"{{{name}:str}}", quote(data.draw(st.sampled_from(targets[name])), safe="")
        )
    caller = data.draw(st.sampled_from(sorted(callers(world))), label="caller")
    query = data.draw(queries, label="query")
    response = world.client.get(f"{path}?{query}", headers=callers(world)[caller])
    expected = {"anonymous": 401, "deactivated": 403}.get(caller)
    check(response, expected, (path, query, caller))
    if expected is None and "{" not in template:
        # A query is either understood or named in a 422; only a role can refuse, and no
        # role is refused the ticket list.
        allowed = {200, 422} if template == "/api/v1/tickets" else {200, 403, 422}
        assert response.status_code in allowed, (path, query, caller, response.text)


@FUZZ
@given(data=st.data())
def test_no_list_cursor_walk_makes_a_500(fuzz_world: World, data: st.DataObject) -> None:
    """A real cursor, cut, padded or flipped, is a 200 or a 422 on `cursor`."""
    world = fuzz_world
    headers = bearer(world.admin)
    first = world.client.get("/api/v1/tickets?limit=1", headers=headers).json()
    cursor = first["next_cursor"]
    assert cursor
    position = data.draw(st.integers(0, len(cursor)))
    mangled = data.draw(
        st.sampled_from(
            [
                cursor[:position],
                cursor[:position] + data.draw(st.text(min_size=1, max_size=3)) + cursor[position:],
                cursor[::-1],
                cursor + "=",
                cursor.upper(),
            ]
        )
    )
    response = world.client.get(
        "/api/v1/tickets", params={"limit": "1", "cursor": mangled}, headers=headers
    )
    check(response, None, mangled)
    if response.status_code != 200:
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == ["cursor"]


def test_huge_and_odd_numbers_are_422_not_500(fuzz_world: World) -> None:
    """Explicit cases the property may not hit: integers past 64 bits into every int field."""
    w = fuzz_world
    it = str(w.departments["it-support"].id)
    for value in (2**63, 2**64, 10**40, -(2**63) - 1, -1, 1.5, float("inf")):
        cases = [
            (
                "POST",
                "/api/v1/users",
                w.admin,
                {
                    "email": f"n{uuid.uuid4().hex[:6]}@x.io",
                    "full_name": "اسم",
                    "role": "agent",
                    "department_id": it,
                    "max_open_tickets": value,
                },
            ),
            (
                "POST",
                "/api/v1/quick-actions",
                w.admin,
                {
                    "label": "ل",
                    "title": "طلب اختبار",
                    "description": "وصف طلب الاختبار هنا",
                    "position": value,
                },
            ),
        ]
        for method, path, who, body in cases:
            raw = json.dumps(body, allow_nan=True).encode()
            response = w.request(
                method, path, who, content=raw, headers={"Content-Type": "application/json"}
            )
            check(response, None, (path, value))
            assert response.status_code in (400, 422), (
                path,
                value,
                response.status_code,
                response.text,
            )
        for query in (f"limit={value}", f"bins={value}"):
            for path in ("/api/v1/tickets", "/api/v1/stats/confidence-histogram"):
                check(w.request("GET", f"{path}?{query}", w.admin), None, (path, query))
