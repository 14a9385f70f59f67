"""A ticket's life through HTTP, on every storage adapter; and the database going away."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from helpdesk.domain.taxonomy import Category

from ..adapters.storage.relay import TcpRelay
from .client import Api, running_api
from .test_permissions import assert_problem


@pytest.fixture
def api(storage_url: str) -> Iterator[Api]:
    with running_api(storage_url) as api:
        yield api


def test_a_ticket_from_filing_to_reopening(api: Api) -> None:
    api.classifier.answer = {Category.PRINTING: 0.96, Category.HARDWARE: 0.02}
    ticket = api.file(
        api.user, title="الطابعة لا تطبع", description="الطابعة في الطابق الثاني لا تطبع"
    )
    assert ticket["status"] == "open" and ticket["routing_mode"] == "auto"
    agent_id = ticket["assigned_agent_id"]
    agent = api.as_(uuid.UUID(agent_id))
    mine = api.client.get("/api/v1/tickets?queue=mine", headers=agent).json()["items"]
    assert [t["id"] for t in mine] == [ticket["id"]]
    path = f"/api/v1/tickets/{ticket['id']}"
    assert (
        api.client.patch(path, json={"status": "in_progress"}, headers=agent).json()["status"]
        == "in_progress"
    )
    assert (
        api.client.post(
            f"{path}/comments", json={"body": "جرب تبديل الحبر"}, headers=agent
        ).status_code
        == 201
    )
    resolved = api.client.patch(path, json={"status": "resolved"}, headers=agent).json()
    assert resolved["resolved_at"] is not None
    user = api.as_(api.user)
    assert (
        api.client.post(
            f"{path}/comments", json={"body": "لم تحل المشكلة"}, headers=user
        ).status_code
        == 201
    )
    reopened = api.client.get(path, headers=user).json()
    assert (reopened["status"], reopened["resolved_at"], reopened["version"]) == (
        "open",
        None,
        resolved["version"] + 1,
    )
    audit = api.client.get(f"{path}/audit", headers=agent).json()["items"]
    assert [e["action"] for e in audit] == [
        "ticket.created",
        "ticket.assigned",
        "ticket.updated",
        "ticket.comment_added",
        "ticket.updated",
        "ticket.comment_added",
        "ticket.updated",
    ]
    comments = api.client.get(f"{path}/comments", headers=user).json()["items"]
    assert [c["body"] for c in comments] == ["جرب تبديل الحبر", "لم تحل المشكلة"]


def test_override_and_reclassify(api: Api) -> None:
    api.classifier.answer = {Category.HR: 0.6}
    ticket = api.file()
    departments = {
        d["slug"]: d["id"]
        for d in api.client.get("/api/v1/departments", headers=api.as_(api.admin)).json()["items"]
    }
    path = f"/api/v1/tickets/{ticket['id']}"
    done = api.client.post(
        f"{path}/override",
        json={"department_id": departments["finance"], "reason": "طلب مالي وليس إداريًا"},
        headers=api.as_(api.admin),
    ).json()
    assert (done["routing_overridden"], done["routing_mode"], done["department_id"]) == (
        True,
        "manual",
        departments["finance"],
    )
    api.classifier.answer = None
    assert_problem(api.client.post(f"{path}/reclassify", headers=api.as_(api.admin)), 503)
    assert api.client.get(path, headers=api.as_(api.admin)).json() == done
    api.classifier.answer = {Category.NETWORK: 0.99}
    again = api.client.post(f"{path}/reclassify", headers=api.as_(api.admin)).json()
    assert again["department_id"] == departments["finance"] and again["routing_confidence"] == 0.99
    modes = api.client.get("/api/v1/stats/routing-modes", headers=api.as_(api.admin)).json()
    assert modes["modes"]["auto"] == 1 and modes["overridden"] == 1


def test_health_and_503_while_the_database_is_down(postgres_url: str) -> None:
    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, daemon=True).start()
    host, port = postgres_url.split("@", 1)[1].split("/", 1)[0].split(":")
    relay = TcpRelay((host, int(port)))
    asyncio.run_coroutine_threadsafe(relay.start(), loop).result(5)
    url = postgres_url.replace(f"{host}:{port}", f"127.0.0.1:{relay.port}")
    with running_api(url) as api:
        api.classifier.answer = {Category.NETWORK: 0.95}
        api.file()
        saved = relay.port
        asyncio.run_coroutine_threadsafe(relay.cut(), loop).result(5)
        health = api.client.get("/health")
        assert health.status_code == 503
        assert health.json() == {
            "status": "unavailable",
            "checks": {"database": "unavailable", "classifier": "ok"},
        }
        body: dict[str, Any] = {
            "title": "الشبكة لا تعمل",
            "description": "لا يوجد اتصال بالإنترنت في مكتبي",
        }
        for _ in range(2):
            assert_problem(
                api.client.post("/api/v1/tickets", json=body, headers=api.as_(api.user)), 503
            )
        relay.port = saved
        asyncio.run_coroutine_threadsafe(relay.start(), loop).result(5)
        assert api.client.get("/health").status_code == 200
        assert (
            api.client.post("/api/v1/tickets", json=body, headers=api.as_(api.user)).status_code
            == 201
        )
        listed = api.client.get("/api/v1/tickets", headers=api.as_(api.user)).json()["items"]
        assert len(listed) == 2
    asyncio.run_coroutine_threadsafe(relay.cut(), loop).result(5)
    loop.call_soon_threadsafe(loop.stop)
