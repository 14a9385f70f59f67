"""The interactive API docs work with no network: headless Chromium, with every address but
127.0.0.1 sent to a dead proxy, renders `/schema` (Swagger UI, its assets served by the app from
an installed package) and lists every operation of the published document."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
from litestar.testing import TestClient

from helpdesk.entrypoints.http import create_app

from .conftest import ScriptedClassifier, container_for
from .live import serving


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is missing, and under CI this test must run")
        pytest.skip("chromium is not installed (Debian: apt-get install chromium)")
    return found


@pytest.mark.slow
def test_schema_renders_offline_and_lists_every_operation(tmp_path: object) -> None:
    browser = chromium()
    container = container_for(dev_utilities=True, overrides={"classifier": ScriptedClassifier()})
    app = create_app(container=container)
    with TestClient(app) as client:
        schema = client.get("/schema/openapi.json").json()
    expected = {
        operation["operationId"]
        for item in schema["paths"].values()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    }
    with serving(app) as url:
        rendered = subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                f"--user-data-dir={tmp_path}",
                # No network: everything but the app goes to a port nothing listens on.
                "--proxy-server=127.0.0.1:9",
                "--proxy-bypass-list=127.0.0.1",
                "--virtual-time-budget=20000",
                "--dump-dom",
                f"{url}/schema",
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert rendered.returncode == 0, rendered.stderr[-2000:]
    dom = rendered.stdout
    # Swagger UI gives each operation it renders the id `operations-<tag>-<operationId>`.
    listed = {m.group(1) for m in re.finditer(r'id="operations-(?!tag-)[a-z_]+-([A-Za-z]+)"', dom)}
    assert listed == expected
    assert "Failed to load API definition" not in dom


def test_the_ui_page_loads_only_what_the_app_serves() -> None:
    """Without a browser: every script, style sheet and icon of /schema is the app's own."""
    app = create_app(container=container_for(overrides={"classifier": ScriptedClassifier()}))
    with TestClient(app) as client:
        page = client.get("/schema")
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert client.get("/schema/swagger").text == page.text
        linked = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert len(linked) >= 3, linked  # the bundle, the preset, the style sheet
        for url in linked:
            assert url.startswith("/schema/"), url
            assert client.get(url).status_code == 200, url
        assert "http://" not in page.text.split("<body")[0]
        assert "https://" not in page.text.split("<body")[0]
