"""Routing evidence on every storage adapter: the routing-quality counts, the judged tickets
thresholds are computed from, the human-labelled texts for training, and the stored
thresholds — the same answers from memory, SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from helpdesk.application.ports.storage.routing import StoredThreshold
from helpdesk.application.ports.storage.stats import CategoryQuality, StatsWindow
from helpdesk.application.ports.storage.tickets import LabelledText
from helpdesk.domain.routing_quality import Evidence
from helpdesk.domain.taxonomy import Category, Role, RoutingMode, TicketStatus

from .builders import T0, department, manual_ticket, profile, seed, ticket

N, H, F = Category.NETWORK, Category.HARDWARE, Category.FINANCE
S = TicketStatus
M = RoutingMode


async def _history(storage: Any) -> dict[str, Any]:
    it = department("it", (N, H))
    fin = department("fin", (F,))
    submitter, agent = profile(Role.END_USER), profile(Role.AGENT, it.id)
    made = []

    def add(
        confidence: float | None,
        category: Category,
        mode: M,
        status: S,
        *,
        moved: bool = False,
        human: Category | None = None,
        shadow: bool = False,
        dept: Any = it,
    ) -> None:
        at = T0 + timedelta(minutes=len(made))
        placed = None if mode is M.MANUAL else dept.id
        t = (
            manual_ticket(submitter, at=at)
            if confidence is None
            else ticket(
                submitter,
                at=at,
                confidence=confidence,
                category=category,
                department_id=placed,
                mode=mode,
                status=status,
                title=f"عنوان {len(made)}",
            )
        )
        t.moved_by_human, t.router_shadow = moved, shadow
        if human is not None:
            t.human_category, t.human_category_by, t.human_category_at = human, agent.id, at
        made.append(t)

    add(0.95, N, M.AUTO, S.RESOLVED)  # right: finished where it was sent
    add(0.90, N, M.AUTO, S.OPEN, moved=True)  # wrong: moved away
    add(0.85, N, M.AUTO, S.OPEN)  # no verdict yet
    add(0.88, N, M.AUTO, S.RESOLVED, human=H)  # wrong: the human says hardware
    add(0.70, N, M.SUGGESTED, S.OPEN)  # suggestion accepted
    add(0.60, N, M.SUGGESTED, S.TRIAGE)  # still waiting
    add(0.92, N, M.SUGGESTED, S.OPEN, shadow=True)  # shadow: would have been right
    add(0.91, N, M.SUGGESTED, S.TRIAGE, shadow=True, moved=True)  # shadow: would have been wrong
    add(0.97, F, M.AUTO, S.RESOLVED, human=F, dept=fin)  # right, and labelled alike
    add(None, N, M.MANUAL, S.TRIAGE)  # unclassified: counts nowhere
    add(0.40, N, M.MANUAL, S.TRIAGE, human=N)  # below suggest, labelled: right
    add(0.30, Category.HR, M.MANUAL, S.TRIAGE)  # only a manual decision: zero counts
    await seed(storage, it, fin, submitter, agent, *made)
    return {"it": it, "fin": fin, "tickets": made}


async def test_routing_quality_counts_by_category(storage: Any) -> None:
    world = await _history(storage)
    async with storage.unit_of_work(read_only=True) as uow:
        found = {q.category: q for q in await uow.stats.routing_quality(StatsWindow())}
        only_finance = await uow.stats.routing_quality(StatsWindow(world["fin"].id))
        later = await uow.stats.routing_quality(StatsWindow(created_from=T0 + timedelta(minutes=8)))
    assert set(found) == {N, H, F, Category.HR}
    assert found[Category.HR] == CategoryQuality(Category.HR)
    assert found[N] == CategoryQuality(
        N,
        auto_routed=4,
        auto_moved=1,
        auto_judged=3,
        auto_correct=1,
        suggested=2,
        suggested_judged=1,
        suggested_accepted=1,
        shadow=2,
        shadow_judged=2,
        shadow_correct=1,
        labelled=1,
        model_agreed=1,
    )
    assert found[N].auto_precision == pytest.approx(1 / 3)
    assert found[N].shadow_precision == 0.5 and found[N].suggested_acceptance == 1.0
    assert found[H] == CategoryQuality(H, labelled=1, model_agreed=0)
    assert found[H].model_accuracy == 0.0 and found[H].auto_precision is None
    assert found[F] == CategoryQuality(
        F, auto_routed=1, auto_judged=1, auto_correct=1, labelled=1, model_agreed=1
    )
    assert only_finance == [found[F]]
    assert {q.category: q for q in later} == {
        F: found[F],
        N: CategoryQuality(N, labelled=1, model_agreed=1),
        Category.HR: CategoryQuality(Category.HR),
    }


async def test_the_judged_tickets_are_the_evidence(storage: Any) -> None:
    await _history(storage)
    async with storage.unit_of_work(read_only=True) as uow:
        evidence = await uow.stats.routing_evidence(StatsWindow())
    assert sorted(evidence, key=lambda e: (-e.confidence, e.category)) == [
        Evidence(F, 0.97, True),
        Evidence(N, 0.95, True),
        Evidence(N, 0.92, True),
        Evidence(N, 0.91, False),
        Evidence(N, 0.90, False),
        Evidence(N, 0.88, False),
        Evidence(N, 0.70, True),
        Evidence(N, 0.40, True),
    ]


async def test_evidence_is_counted_per_confidence_step(storage: Any) -> None:
    it = department("it", (N,))
    submitter = profile(Role.END_USER)
    made = [
        ticket(
            submitter,
            at=T0 + timedelta(minutes=i),
            confidence=confidence,
            category=N,
            department_id=it.id,
            status=S.RESOLVED,
        )
        for i, confidence in enumerate((0.9571, 0.9579, 0.57, 0.57))
    ]
    made[1].moved_by_human = True
    await seed(storage, it, submitter, *made)
    async with storage.unit_of_work(read_only=True) as uow:
        evidence = await uow.stats.routing_evidence(StatsWindow())
    assert sorted(evidence, key=lambda e: (-e.confidence, -e.correct)) == [
        Evidence(N, 0.957, True, 1),
        Evidence(N, 0.957, False, 1),
        Evidence(N, 0.57, True, 2),
    ]


async def test_human_labelled_texts_oldest_first(storage: Any) -> None:
    world = await _history(storage)
    made = world["tickets"]
    async with storage.unit_of_work(read_only=True) as uow:
        labelled = await uow.tickets.human_labelled()
    assert labelled == [
        LabelledText(made[i].title, made[i].description, category)
        for i, category in ((3, H), (8, F), (10, N))
    ]


async def test_stored_thresholds_are_replaced_whole(storage: Any) -> None:
    first = [
        StoredThreshold(N, 0.87, 0.9, 0.93, 0.6, 40, T0),
        StoredThreshold(F, None, 0.9, None, None, 25, T0),
    ]
    async with storage.unit_of_work() as uow:
        assert await uow.routing_thresholds.all() == []
        await uow.routing_thresholds.replace_all(first)
        await uow.commit()
    async with storage.unit_of_work() as uow:
        assert await uow.routing_thresholds.all() == sorted(first, key=lambda t: str(t.category))
        await uow.routing_thresholds.replace_all([StoredThreshold(H, 0.8, 0.95, 1.0, 0.5, 20, T0)])
        await uow.commit()
    async with storage.unit_of_work(read_only=True) as uow:
        assert [t.category for t in await uow.routing_thresholds.all()] == [H]
