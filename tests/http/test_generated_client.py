"""A client generated from the served schema reads well and works: openapi-python-client builds
one from `/schema/openapi.json` of a live server, and through it a new user files a ticket and
reads a missing one as a problem document (`createTicket`, `getTicket`, typed models)."""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from helpdesk.entrypoints.http import create_app

from .conftest import PRINTER, ScriptedClassifier, container_for, mint
from .live import serving

pytestmark = pytest.mark.slow
PACKAGE = "helpdesk_generated_client"


def generator() -> str:
    found = shutil.which("openapi-python-client", path=str(Path(sys.executable).parent))
    assert found, "openapi-python-client (a dev dependency) is not installed"
    return found


@pytest.fixture
def generated(tmp_path: Path) -> Iterator[tuple[Any, str]]:
    """The generated package, imported, and the URL of the server it was generated from."""
    container = container_for(rate_limit=120, overrides={"classifier": ScriptedClassifier()})
    app = create_app(container=container)
    with serving(app) as url:
        bin_dir = str(Path(sys.executable).parent)
        done = subprocess.run(
            [
                generator(),
                "generate",
                "--url",
                f"{url}/schema/openapi.json",
                "--meta",
                "none",
                "--output-path",
                str(tmp_path / PACKAGE),
                "--fail-on-warning",
            ],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
            env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"},
        )
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        sys.path.insert(0, str(tmp_path))
        try:
            yield importlib.import_module(PACKAGE), url
        finally:
            sys.path.remove(str(tmp_path))
            for name in [m for m in sys.modules if m.split(".")[0] == PACKAGE]:
                del sys.modules[name]


def test_a_generated_client_files_a_ticket_and_reads_a_problem(generated: tuple[Any, str]) -> None:
    package, url = generated
    create_ticket = importlib.import_module(f"{PACKAGE}.api.tickets.create_ticket")
    get_ticket = importlib.import_module(f"{PACKAGE}.api.tickets.get_ticket")
    get_histogram = importlib.import_module(f"{PACKAGE}.api.stats.get_confidence_histogram")
    models = importlib.import_module(f"{PACKAGE}.models")

    client = package.AuthenticatedClient(base_url=url, token=mint(uuid.uuid4()), timeout=30)
    with client:
        created = create_ticket.sync_detailed(
            client=client,
            body=models.TicketCreate(title=PRINTER["title"], description=PRINTER["description"]),
            idempotency_key="generated-client-1",
        )
        assert created.status_code == 201, created.content
        ticket = created.parsed
        assert isinstance(ticket, models.TicketOut)
        assert ticket.title == PRINTER["title"]
        assert isinstance(ticket.status, models.TicketStatus)
        assert created.headers["etag"] == f'"{ticket.version}"'

        again = get_ticket.sync_detailed(client=client, ticket_id=ticket.id)
        assert again.status_code == 200 and again.parsed.id == ticket.id

        missing = get_ticket.sync_detailed(client=client, ticket_id=uuid.uuid4())
        assert missing.status_code == 404
        assert isinstance(missing.parsed, models.Problem)
        assert missing.parsed.status == 404 and missing.parsed.detail

        # An end user may not read reports: a 403 problem, typed too.
        refused = get_histogram.sync_detailed(client=client, bins=5)
        assert refused.status_code == 403 and isinstance(refused.parsed, models.Problem)
