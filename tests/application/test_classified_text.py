"""Every use case that classifies hands the classifier the prepared text, not the e-mail."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from helpdesk.application.classify_preview import ClassifyPreviewUseCase
from helpdesk.application.tickets.create import CreateTicket, CreateTicketUseCase
from helpdesk.application.tickets.reclassify import ReclassifyTicket, ReclassifyTicketUseCase
from helpdesk.domain.classification import Classification
from helpdesk.domain.taxonomy import Category

from .world import World

EMAIL = (
    "السلام عليكم ورحمة الله وبركاته\n"
    "المكيف في غرفة الاجتماعات لا يعمل والحرارة مرتفعة جدا\n"
    "وتقبلوا فائق الاحترام\n"
    "خالد\n"
    "إدارة الرواتب\n"
    "جوال: 0501234567"
)


class RecordingClassifier:
    def __init__(self, world: World) -> None:
        self.texts: list[str] = []
        self._world = world

    async def classify(self, text: str) -> Classification | None:
        self.texts.append(text)
        return Classification.from_scores(
            {Category.FACILITIES: 0.9}, model="recording", classified_at=self._world.clock.now()
        )

    async def health(self) -> str:
        return "ok"


@pytest.fixture
async def world(storage: Any) -> World:
    return await World.build(storage)


async def test_create_reclassify_and_preview_classify_the_problem_statement(world: World) -> None:
    recorder = RecordingClassifier(world)
    ctx = replace(world.ctx, classifier=recorder)
    created = await CreateTicketUseCase(ctx).execute(
        world.user, CreateTicket("رد: المكيف معطل", EMAIL)
    )
    await ReclassifyTicketUseCase(ctx).execute(world.admin, ReclassifyTicket(created.ticket.id))
    await ClassifyPreviewUseCase(ctx).execute(world.user, EMAIL)
    problem = "المكيف في غرفة الاجتماعات لا يعمل والحرارة مرتفعة جدا"
    assert recorder.texts == [f"المكيف معطل\n{problem}"] * 2 + [problem]
    # The stored ticket keeps what the employee wrote.
    assert created.ticket.description == EMAIL
