"""Every use case that classifies hands the classifier the prepared text, not the e-mail."""

from __future__ import annotations

from typing import Any

import pytest

from helpdesk.application.tickets.create import CreateTicket
from helpdesk.application.tickets.reclassify import ReclassifyTicket
from helpdesk.domain.classification import Classification
from helpdesk.domain.taxonomy import Category

from ..wiring import wired
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
    use_cases = wired(world.storage, recorder, world.clock)
    created = await use_cases.create_ticket().execute(
        world.user, CreateTicket("رد: المكيف معطل", EMAIL)
    )
    await use_cases.reclassify_ticket().execute(world.admin, ReclassifyTicket(created.ticket.id))
    await use_cases.classify_preview().execute(world.user, EMAIL)
    problem = "المكيف في غرفة الاجتماعات لا يعمل والحرارة مرتفعة جدا"
    assert recorder.texts == [f"المكيف معطل\n{problem}"] * 2 + [problem]
    # The stored ticket keeps what the employee wrote.
    assert created.ticket.description == EMAIL
