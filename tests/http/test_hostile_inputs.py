"""Hostile text at every text field and query parameter, on SQLite and PostgreSQL: NUL, lone
surrogates (sent as JSON escapes, `"\\ud800"`), bidi controls, zero-width characters,
characters that NFKC expands, 10,000-character strings and deeply nested JSON in place of a
string. No answer is a 5xx; every refusal is a problem document, and a 422 names the field the
hostile value was put in.

The routes, their body fields and query parameters come from the app's own OpenAPI schema, so a
new route or field is covered without touching this file. Each request changes one field of an
otherwise acceptable request, made as the caller who gets furthest (an admin; nobody for the
login)."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..adapters.storage.postgres import (
    create_database,
    database_url,
    drop_database,
    new_database_name,
    require_postgres,
)
from .conftest import PRINTER, World, assert_problem, bearer, make_world

PUBLIC = {"/api/v1/auth/token"}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def hostile_world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    from helpdesk.adapters.storage.sql.migrate import upgrade_database

    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('hostile') / 'helpdesk.db'}"
        upgrade_database(url)
        with make_world(database_url=url, dev_utilities=False) as world:
            yield world
        return
    require_postgres()
    name = new_database_name()
    create_database(name)
    try:
        url = database_url(name)
        upgrade_database(url)
        with make_world(database_url=url, dev_utilities=False) as world:
            yield world
    finally:
        drop_database(name)


# -- what the schema says ------------------------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # OpenAPI template: /api/v1/tickets/{ticket_id}
    path_params: tuple[str, ...]
    query: dict[str, dict[str, Any]]  # name → schema
    body: dict[str, dict[str, Any]] | None  # property → schema (None: no JSON body)
    required: tuple[str, ...]
    headers: tuple[str, ...] = ()

    @property
    def targets(self) -> list[tuple[str, str]]:
        """Where a hostile value can go: ("body", field) for every text field of the body,
        ("query", name) for every query parameter, ("path", name) for every path parameter,
        ("header", name) for every header parameter."""
        text_fields = [
            name for name, schema in (self.body or {}).items() if _accepts_string(schema)
        ]
        return (
            [("body", f) for f in text_fields]
            + [("query", q) for q in self.query]
            + [("path", p) for p in self.path_params]
            + [("header", h) for h in self.headers]
        )

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _alternatives(schema: dict[str, Any], components: dict[str, Any]) -> list[dict[str, Any]]:
    schema = _resolve(schema, components)
    options = schema.get("oneOf") or schema.get("anyOf")
    if options:
        return [alt for option in options for alt in _alternatives(option, components)]
    return [schema]


def _accepts_string(schema: dict[str, Any]) -> bool:
    types = schema.get("type")
    return types == "string" or (isinstance(types, list) and "string" in types)


def operations(world: World) -> list[Operation]:
    document = world.client.app.openapi_schema.to_schema()
    components = document["components"]["schemas"]
    found = []
    for path, items in document["paths"].items():
        for method, op in items.items():
            params = op.get("parameters", [])
            content = op.get("requestBody", {}).get("content", {}).get("application/json")
            body = required = None
            if content is not None:
                objects = [
                    alt
                    for alt in _alternatives(content["schema"], components)
                    if alt.get("type") == "object"
                ]
                if objects:
                    properties = objects[0].get("properties", {})
                    body = {}
                    for name, schema in properties.items():
                        alts = [
                            a for a in _alternatives(schema, components) if a.get("type") != "null"
                        ]
                        merged = {
                            **(alts[0] if alts else {}),
                            "nullable": len(alts) < len(_alternatives(schema, components)),
                        }
                        if any(_accepts_string(a) for a in alts):
                            merged["type"] = "string"
                        body[name] = merged
                    required = tuple(objects[0].get("required", []))
            query = {}
            for p in params:
                if p["in"] == "query":
                    alts = [
                        a for a in _alternatives(p["schema"], components) if a.get("type") != "null"
                    ]
                    query[p["name"]] = alts[0] if alts else p["schema"]
            found.append(
                Operation(
                    method.upper(),
                    path,
                    tuple(p["name"] for p in params if p["in"] == "path"),
                    query,
                    body,
                    required or (),
                    tuple(p["name"] for p in params if p["in"] == "header"),
                )
            )
    return [op for op in found if op.targets]


# -- acceptable requests -------------------------------------------------------------------------


@dataclass
class Ids:
    ticket: str
    user: str
    department: str
    quick_action: str
    notification: str
    finance: str
    agent: str


@pytest.fixture(scope="module")
def ids(hostile_world: World) -> Ids:
    w = hostile_world
    ticket = w.file(w.user)["id"]
    notes = w.request("GET", "/api/v1/notifications", w.admin).json()["items"]
    return Ids(
        ticket=ticket,
        user=str(w.new_user().id),
        department=w.new_department("hostile-target"),
        quick_action=w.new_quick_action(),
        notification=notes[0]["id"] if notes else str(uuid.uuid4()),
        finance=str(w.departments["finance"].id),
        agent=str(w.it_agents[0].id),
    )


def path_value(name: str, ids: Ids) -> str:
    return {
        "ticket_id": ids.ticket,
        "user_id": ids.user,
        "department_id": ids.department,
        "quick_action_id": ids.quick_action,
        "notification_id": ids.notification,
    }.get(name, str(uuid.uuid4()))


def plausible(name: str, schema: dict[str, Any], ids: Ids) -> Any:
    """A value the field accepts (as far as the schema tells), for the fields a request needs
    besides the one under attack."""
    if "enum" in schema:
        return next(v for v in schema["enum"] if v is not None)
    kind = schema.get("type")
    if kind == "string":
        if schema.get("format") == "uuid":
            return ids.agent if "agent" in name else ids.finance
        if schema.get("format") == "date-time":
            return "2026-01-01T00:00:00Z"
        if name == "email":
            return f"hostile-{uuid.uuid4().hex[:8]}@example.com"
        if name == "password":
            return "a-long-enough-password"
        if name == "slug":
            return f"hostile-{uuid.uuid4().hex[:8]}"
        return PRINTER["description"][: schema.get("maxLength", 10_000)]
    if kind == "integer":
        return 1
    if kind == "boolean":
        return False
    if kind == "array":
        return []
    return None


# -- hostile values ------------------------------------------------------------------------------

PIECES = [
    "\x00",
    "\ud800",
    "\udfff",
    "\ud83d",  # the first half of an emoji's surrogate pair
    "\u202e",  # right-to-left override
    "\u2066",
    "\u200b",  # zero-width space
    "\u200d",
    "\ufeff",
    "\u2028",
    "\x1b[31m",
    "\x7f",
    "\ufdfa",  # NFKC: 18 characters
    "\ufb2c",
    "\U0001f4a5",
    "'; DROP TABLE tickets; --",
    "%",
    "_",
    "\\",
    '"',
    "../../etc/passwd",
    "İ",
    "ß",
]
ARABIC = ["الطابعة", "لا", "تطبع", "في", "المكتب", "منذ", "الصباح", " "]
pieces = st.sampled_from(PIECES) | st.sampled_from(ARABIC)
hostile_text = st.one_of(
    st.lists(pieces, min_size=1, max_size=12).map("".join),
    st.builds(
        lambda piece, n: (piece * n)[:n],
        st.sampled_from(["ا", "\u200b", "\ufdfa", "x", "\ud800", "١", "الطابعة "]),
        st.sampled_from([121, 201, 255, 5_001, 10_000]),
    ),
    st.text(max_size=40),
)


@dataclass(frozen=True)
class Deep:
    """A string's place taken by lists nested `depth` deep (written out by hand: Python's own
    json module cannot nest that far)."""

    depth: int
    leaf: str

    @property
    def text(self) -> str:
        return "[" * self.depth + self.leaf + "]" * self.depth


deep = st.builds(
    Deep, st.sampled_from([1, 50, 500, 2_000, 20_000]), st.sampled_from(['"\\u0000"', '"نص"', "1"])
)
hostile_values = st.one_of(hostile_text, hostile_text, hostile_text, deep)

_SURROGATE = re.compile("[\ud800-\udfff]")
_PLACEHOLDER = "\u2063deep\u2063"


def encode_body(body: dict[str, Any]) -> bytes:
    """JSON as a client library would send it: UTF-8, with a lone surrogate as its escape."""
    nested = [v for v in body.values() if isinstance(v, Deep)]
    plain = {k: _PLACEHOLDER if isinstance(v, Deep) else v for k, v in body.items()}
    text = json.dumps(plain, ensure_ascii=False)
    text = _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    if nested:
        text = text.replace(json.dumps(_PLACEHOLDER, ensure_ascii=False), nested[0].text)
    return text.encode()


MAX_QUERY_VALUE = 5_000  # characters: percent-encoded, the URL stays under 64 KiB


def encode_query(value: Any) -> str:
    raw = value.text if isinstance(value, Deep) else value
    return quote(raw[:MAX_QUERY_VALUE].encode("utf-8", "surrogatepass"), safe="")


def encode_header(value: Any) -> bytes:
    """What an HTTP client can put in a header: the text's UTF-8 bytes (a server reads them as
    Latin-1), without the control characters HTTP forbids there."""
    raw = (value.text if isinstance(value, Deep) else value)[:MAX_QUERY_VALUE]
    data = raw.encode("utf-8", "surrogatepass")
    return bytes(b for b in data if b >= 0x20 and b != 0x7F) or b"x"


def send(world: World, op: Operation, ids: Ids, where: str, name: str, value: Any) -> Any:
    path = op.path
    for param in op.path_params:
        given = encode_query(value) if where == "path" and param == name else None
        path = path.replace(f"{{{param}}}", given or path_value(param, ids))
    if where == "query":
        path += f"?{quote(name)}={encode_query(value)}"
    content = None
    if op.body is not None:
        body = {
            field: plausible(field, op.body[field], ids)
            for field in op.required
            if field != name or where != "body"
        }
        if where == "body":
            body[name] = value
        content = encode_body(body)
    headers: dict[str, Any] = {} if op.path in PUBLIC else bearer(world.admin)
    headers["Content-Type"] = "application/json"
    if where == "header":
        headers[name] = encode_header(value)
    return world.client.request(op.method, path, content=content, headers=headers)


def test_the_schema_names_every_field_under_attack(hostile_world: World) -> None:
    targets = {
        (str(op), where, name) for op in operations(hostile_world) for where, name in op.targets
    }
    for must in (
        ("POST /api/v1/auth/token", "body", "email"),
        ("POST /api/v1/tickets", "body", "title"),
        ("POST /api/v1/tickets/{ticket_id}/comments", "body", "body"),
        ("POST /api/v1/tickets/{ticket_id}/override", "body", "reason"),
        ("POST /api/v1/users", "body", "full_name"),
        ("PATCH /api/v1/users/{user_id}", "body", "full_name"),
        ("POST /api/v1/departments", "body", "name"),
        ("GET /api/v1/tickets", "query", "q"),
        ("GET /api/v1/tickets", "query", "created_after"),
        ("GET /api/v1/users", "query", "q"),
        ("GET /api/v1/audit", "query", "from"),
        ("GET /api/v1/stats/taxonomy", "query", "to"),
        ("PATCH /api/v1/tickets/{ticket_id}", "path", "ticket_id"),
        ("PATCH /api/v1/departments/{department_id}", "path", "department_id"),
        ("POST /api/v1/tickets", "header", "Idempotency-Key"),
    ):
        assert must in targets, must


def check(world: World, op: Operation, ids: Ids, where: str, name: str, value: Any) -> None:
    response = send(world, op, ids, where, name, value)
    context = (str(op), where, name, repr(value)[:120], response.status_code, response.text[:400])
    assert response.status_code < 500, context
    if response.status_code < 400:
        return
    problem = assert_problem(response)
    if response.status_code == 422:
        fields = {re.split(r"[.\[]", e["field"], maxsplit=1)[0] for e in problem["errors"]}
        if name not in fields:
            # Refused for another reason: the same request with a plain value is refused too.
            schemas = {"body": op.body or {}, "query": op.query}.get(where, {})
            benign = plausible(name, schemas.get(name, {}), ids)
            again = send(world, op, ids, where, name, benign)
            assert again.status_code == 422, (*context, again.text[:300])


# Every target gets each of these; hypothesis adds its own mixtures below.
CORPUS: list[Any] = [
    "\x00",
    "الطابعة\x00 لا تطبع في المكتب",
    "\ud800",
    "الطابعة لا تطبع\udfff في المكتب",
    "\u202eالطابعة لا تطبع في المكتب\u202c",
    "الطا\u200bبعة لا\u200d تطبع\ufeff",
    "\ufdfa" * 120,
    "ا" * 10_000,
    "الطابعة " * 1_250,
    Deep(2_000, '"نص"'),
]


def test_every_field_and_parameter_withstands_the_hostile_corpus(
    hostile_world: World, ids: Ids
) -> None:
    for op in operations(hostile_world):
        for where, name in op.targets:
            for value in CORPUS:
                check(hostile_world, op, ids, where, name, value)


@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(value=hostile_values)
def test_no_hostile_text_makes_a_5xx(hostile_world: World, ids: Ids, value: Any) -> None:
    for op in operations(hostile_world):
        for where, name in op.targets:
            check(hostile_world, op, ids, where, name, value)
