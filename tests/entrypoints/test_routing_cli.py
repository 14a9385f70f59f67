"""`helpdesk routing thresholds` and `helpdesk classifier train --from-database` on a SQLite
history: thresholds printed with their coverage, stored and audited with --apply; a model
trained on the tickets whose category a human gave."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from helpdesk.adapters.classifier.embedded.dataset import load_dataset
from helpdesk.adapters.storage.sql.unit_of_work import SqlStorage
from helpdesk.application.ports.storage.tickets import AdminAuditFilter
from helpdesk.domain.taxonomy import Category, Role, RoutingMode, TicketStatus

from ..adapters.storage.builders import T0, department, profile, seed, ticket
from .test_classifier_cli import helpdesk

LABELLED = ("printing", "finance", "facilities")


@pytest.fixture
async def history(sqlite_url: str) -> str:
    """Network: 30 tickets at 0.97 finished where the router sent them, 20 at 0.85 of which
    half were moved away. Printing, finance and facilities: 20 tickets each at 0.9 whose category
    a person confirmed (the composed data set's wording)."""
    it = department("it", (Category.NETWORK, Category.PRINTING))
    submitter, agent = profile(Role.END_USER), profile(Role.AGENT, it.id)
    made: list[Any] = []

    def add(confidence: float, status: TicketStatus, moved: bool = False, **kw: Any) -> Any:
        t = ticket(
            submitter,
            at=T0 + timedelta(minutes=len(made)),
            confidence=confidence,
            category=kw.pop("category", Category.NETWORK),
            department_id=it.id,
            mode=RoutingMode.AUTO,
            status=status,
            **kw,
        )
        t.moved_by_human = moved
        made.append(t)
        return t

    for _ in range(30):
        add(0.97, TicketStatus.RESOLVED)
    for i in range(20):
        add(0.85, TicketStatus.OPEN if i % 2 else TicketStatus.RESOLVED, moved=bool(i % 2))
    rows = load_dataset()
    for category in LABELLED:
        for row in [r for r in rows if r["category"] == category][:20]:
            t = add(
                0.9,
                TicketStatus.OPEN,
                category=Category(category),
                title=row["title"][:200],
                description=row["description"],
            )
            t.human_category = Category(category)
            t.human_category_by, t.human_category_at = agent.id, t.created_at
    storage = SqlStorage(sqlite_url)
    try:
        await seed(storage, it, submitter, agent, *made)
    finally:
        await storage.dispose()
    return sqlite_url


def test_thresholds_are_printed_then_applied_and_audited(history: str, tmp_path: Path) -> None:
    dry = helpdesk(
        tmp_path,
        "routing",
        "thresholds",
        "--target-precision",
        "0.9",
        HELPDESK_DATABASE_URL=history,
    )
    assert dry.returncode == 0, dry.stderr
    network = next(line for line in dry.stdout.splitlines() if line.strip().startswith("network"))
    # 50 judged: ≥ 0.97 keeps 30, all right (60% of them); adding 0.85 gives 40/50 = 0.8.
    assert network.split() == ["network", "50", "0.970", "1.000", "60.0%"]
    printing = next(line for line in dry.stdout.splitlines() if "printing" in line)
    assert printing.split() == ["printing", "20", "0.900", "1.000", "100.0%"]
    assert "keeps the global threshold" in dry.stdout  # hardware: no evidence
    assert "nothing stored" in dry.stdout

    applied = helpdesk(
        tmp_path,
        "routing",
        "thresholds",
        "--target-precision",
        "0.9",
        "--apply",
        HELPDESK_DATABASE_URL=history,
    )
    assert applied.returncode == 0, applied.stderr
    assert "applied" in applied.stdout

    async def stored() -> Any:
        storage = SqlStorage(history)
        try:
            async with storage.unit_of_work(read_only=True) as uow:
                thresholds = await uow.routing_thresholds.all()
                entries = await uow.audit.admin_actions(
                    AdminAuditFilter(entity_type="routing_thresholds"), after=None, limit=10
                )
            return thresholds, entries
        finally:
            await storage.dispose()

    thresholds, entries = asyncio.run(stored())
    by_category = {t.category: t.auto_threshold for t in thresholds}
    assert by_category[Category.NETWORK] == 0.97 and by_category[Category.PRINTING] == 0.9
    assert Category.HARDWARE not in by_category  # too little evidence: nothing stored
    [entry] = entries
    assert entry.action == "routing.thresholds_applied" and entry.actor_id is None
    assert entry.metadata["changes"]["network"] == {"old": None, "new": 0.97}

    wrong = helpdesk(
        tmp_path,
        "routing",
        "thresholds",
        "--target-precision",
        "1.5",
        HELPDESK_DATABASE_URL=history,
    )
    assert wrong.returncode == 2 and "--target-precision" in wrong.stderr


def test_train_from_the_database_uses_the_human_labels(history: str, tmp_path: Path) -> None:
    result = helpdesk(
        tmp_path,
        "classifier",
        "train",
        "--from-database",
        "--out",
        "ours",
        "--own-data-only",
        HELPDESK_DATABASE_URL=history,
    )
    assert result.returncode == 0, result.stderr
    assert "60 human-labelled tickets of the database" in result.stdout
    metadata = json.loads((tmp_path / "ours" / "metadata.json").read_text(encoding="utf-8"))
    assert metadata["counts"] == {c: 20 for c in LABELLED}  # the network tickets carry no label
    assert metadata["source"] == "database"
    both = helpdesk(
        tmp_path,
        "classifier",
        "train",
        "--from-database",
        "--data",
        "x.jsonl",
        "--out",
        "o",
        HELPDESK_DATABASE_URL=history,
    )
    assert both.returncode == 2 and "not allowed with argument" in both.stderr


def test_train_from_an_empty_database_says_why(sqlite_url: str, tmp_path: Path) -> None:
    result = helpdesk(
        tmp_path,
        "classifier",
        "train",
        "--from-database",
        "--out",
        "ours",
        HELPDESK_DATABASE_URL=sqlite_url,
    )
    assert result.returncode == 2
    assert "no ticket has a human category yet" in result.stderr
