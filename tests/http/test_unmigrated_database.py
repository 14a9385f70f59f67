"""A request to a service whose database was never migrated is a 503 that says what to do,
not "the database is unavailable" (SQLite) or a 500 (PostgreSQL)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient

from helpdesk.container import build_container
from helpdesk.entrypoints.http import create_app
from helpdesk.settings import load_settings

from ..adapters.storage.postgres import (
    create_database,
    database_url,
    drop_database,
    new_database_name,
    require_postgres,
)
from .conftest import SECRET, assert_problem, bearer


@pytest.fixture(params=["sqlite", "postgresql"])
def unmigrated_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path}/never-migrated.db"
        return
    require_postgres()
    name = new_database_name("helpdesk_unmigrated")
    create_database(name)
    try:
        yield database_url(name)
    finally:
        drop_database(name)


def test_an_unmigrated_database_is_a_503_that_says_to_upgrade(unmigrated_url: str) -> None:
    settings = load_settings(
        {"database_url": unmigrated_url, "jwt_secret": SECRET, "rate_limit": 0},
        environ={},
        env_file=None,
    )
    with TestClient(create_app(container=build_container(settings))) as client:
        response = client.get("/api/v1/tickets", headers=bearer(uuid.uuid4()))
    body = assert_problem(response, 503)
    assert "helpdesk db upgrade" in body["detail"]
    assert "no such table" not in body["detail"] and "relation" not in body["detail"]
    assert response.headers["retry-after"]
