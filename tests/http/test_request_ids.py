"""Request ids and what the log says: the client's X-Request-ID (when sane) or a new one on every
response, errors included; an unexpected error logged once with the request id, method, path and
user, the problem document carrying the id; no SQL parameters at the default level; JSON logs."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from helpdesk.application.users.identify import CurrentProfileUseCase
from helpdesk.container import close_resources, open_resources
from helpdesk.entrypoints.logs import REQUEST_ID, configure_logging

from ..processes import clean_environ, free_port, wait_until_answering
from .conftest import PRINTER, World, assert_problem, container_for, make_world

GENERATED = re.compile(r"[0-9a-f]{32}")


def test_a_sane_request_id_is_echoed_on_every_kind_of_answer(world: World) -> None:
    for method, path, who, body, status in (
        ("GET", "/health", None, None, 200),
        ("GET", "/api/v1/users/me", world.user, None, 200),
        ("GET", "/api/v1/tickets", None, None, 401),
        ("GET", "/api/v1/no-such-route", world.user, None, 404),
        ("DELETE", "/health", None, None, 405),
        ("POST", "/api/v1/tickets", world.user, {"title": 1}, 422),
        ("GET", f"/api/v1/tickets/{uuid.uuid4()}", world.user, None, 404),
    ):
        sent = f"trace-{uuid.uuid4()}"
        response = world.request(method, path, who, headers={"X-Request-ID": sent}, json=body)
        assert response.status_code == status, (path, response.text)
        assert response.headers["x-request-id"] == sent, path
        if status >= 400:
            assert assert_problem(response)["request_id"] == sent


@pytest.mark.parametrize(
    "sent",
    ["", "has spaces", "x" * 129, 'quote"d', "semi;colon", "ÿ-latin-1", "a\tb"],
)
def test_an_odd_request_id_is_replaced_never_echoed(world: World, sent: str) -> None:
    headers = {"X-Request-ID": sent.encode("latin-1")}
    response = world.request("GET", "/api/v1/tickets", world.user, headers=headers)  # type: ignore[arg-type]
    assert response.status_code == 200
    assert GENERATED.fullmatch(response.headers["x-request-id"]), response.headers


def test_without_one_each_request_gets_its_own(world: World) -> None:
    ids = {world.request("GET", "/health").headers["x-request-id"] for _ in range(5)}
    assert len(ids) == 5 and all(GENERATED.fullmatch(i) for i in ids)


class Exploding(CurrentProfileUseCase):
    """A use case that fails in a way nobody planned for."""

    def __init__(self) -> None:
        pass

    async def execute(self, *_: Any) -> Any:
        raise RuntimeError("the disk caught fire")


class NotAUseCase:
    """A dependency Litestar refuses (its own 500, an HTTPException)."""


@pytest.mark.parametrize("fault", [Exploding, NotAUseCase])
def test_an_unexpected_error_is_logged_once_with_what_finds_the_request(
    caplog: pytest.LogCaptureFixture, fault: type
) -> None:
    with make_world(overrides={"current_profile": fault()}) as world:
        caplog.clear()
        with caplog.at_level(logging.INFO):
            response = world.request(
                "GET", "/api/v1/users/me", world.user, headers={"X-Request-ID": "req-42"}
            )
        problem = assert_problem(response, 500)
        assert problem["request_id"] == "req-42" and "req-42" in problem["detail"]
        assert "disk caught fire" not in response.text
        errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
        assert len(errors) == 1, [r.getMessage() for r in errors]
        record = errors[0]
        assert (record.request_id, record.method, record.path, record.user_id) == (  # type: ignore[attr-defined]
            "req-42",
            "GET",
            "/api/v1/users/me",
            str(world.user.id),
        )
        assert record.exc_info is not None
        if fault is Exploding:
            assert "disk caught fire" in str(record.exc_info[1])
        assert "req-42" in record.getMessage() and str(world.user.id) in record.getMessage()


def test_what_users_type_stays_out_of_the_log_at_the_default_level(
    sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    marker = "كلمةسرية"
    configure_logging("info", "text")
    try:
        with make_world(database_url=sqlite_url, log_level="info") as world:
            with caplog.at_level(logging.INFO):
                world.file(text={**PRINTER, "title": f"{PRINTER['title']} {marker}"})
                world.request("GET", f"/api/v1/tickets?q={marker}", world.admin)
            assert marker not in caplog.text

            # …nor in the message of a database error, which an unexpected error logs.
            async def fail() -> str:
                storage = world.container.storage()
                try:
                    async with storage.engine.connect() as conn:
                        await conn.execute(
                            text("SELECT nope FROM tickets WHERE title = :t"), {"t": marker}
                        )
                except Exception as e:
                    return str(e)
                return ""

            message = world.call(fail)
            assert "nope" in message and marker not in message
    finally:
        logging.getLogger().handlers = [
            h for h in logging.getLogger().handlers if type(h).__name__ != "_OurHandler"
        ]
        logging.getLogger("sqlalchemy.engine").setLevel(logging.NOTSET)


def test_debug_shows_statement_parameters(sqlite_url: str) -> None:
    """HELPDESK_LOG_LEVEL=debug is where an operator asks for them."""
    container = container_for(database_url=sqlite_url, log_level="debug")

    async def fail() -> str:
        await open_resources(container, ("storage",))
        try:
            async with container.storage().engine.connect() as conn:
                await conn.execute(text("SELECT nope WHERE 1 = :t"), {"t": "visible-value"})
        except Exception as e:
            return str(e)
        finally:
            await close_resources(container)
        return ""

    assert "visible-value" in asyncio.run(fail())


def test_json_logs_are_one_object_a_line_with_the_request_id(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("info", "json")
    try:
        token = REQUEST_ID.set("req-json")
        try:
            logging.getLogger("helpdesk.test").warning("نص عربي %s", "here")
        finally:
            REQUEST_ID.reset(token)
        logging.getLogger("helpdesk.test").info("outside")
    finally:
        logging.getLogger().handlers = [
            h for h in logging.getLogger().handlers if type(h).__name__ != "_OurHandler"
        ]
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert lines[0]["message"] == "نص عربي here"
    assert (lines[0]["level"], lines[0]["logger"], lines[0]["request_id"]) == (
        "WARNING",
        "helpdesk.test",
        "req-json",
    )
    assert lines[1]["request_id"] == "-" and "time" in lines[1]


@pytest.mark.slow
def test_a_served_app_logs_json_lines_carrying_request_ids(tmp_path: Path) -> None:
    """`helpdesk serve` with HELPDESK_LOG_FORMAT=json: every line uvicorn and the app write is one
    JSON object, and the access line of a request carries its id."""
    port = free_port()
    env = clean_environ()
    env |= {"HELPDESK_LOG_FORMAT": "json", "HELPDESK_DATABASE_URL": "memory://"}
    process = subprocess.Popen(
        [sys.executable, "-m", "helpdesk.entrypoints.cli", "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(f"{base}/health")
        answer = httpx.get(f"{base}/api/v1/tickets", headers={"X-Request-ID": "served-1"})
        assert answer.status_code == 401
        assert answer.headers["x-request-id"] == "served-1"
        assert answer.json()["request_id"] == "served-1"
    finally:
        process.terminate()
        _, err = process.communicate(timeout=20)
    lines = [json.loads(line) for line in err.splitlines() if line.strip()]
    assert lines, err
    assert all({"time", "level", "logger", "message", "request_id"} <= set(x) for x in lines)
    access = [
        x for x in lines if x["logger"] == "uvicorn.access" and "/api/v1/tickets" in x["message"]
    ]
    assert [x["request_id"] for x in access] == ["served-1"], lines


def test_the_schema_documents_the_header_and_the_field(world: World) -> None:
    schema = world.client.app.openapi_schema.to_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            success = next(v for k, v in operation["responses"].items() if k.startswith("2"))
            assert "X-Request-ID" in success.get("headers", {}), (method, path)
    assert "request_id" in schema["components"]["schemas"]["Problem"]["properties"]
    response = world.request("GET", "/health", headers={"X-Request-ID": "once"})
    assert response.headers.get_list("x-request-id") == ["once"]
