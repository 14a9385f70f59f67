"""`helpdesk classifier serve` speaks the classifier contract, and the client understands it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from litestar.testing import TestClient

from helpdesk.adapters.classifier.embedded import load_embedded_classifier
from helpdesk.adapters.classifier.http_client import HttpClassifier
from helpdesk.domain.taxonomy import Category
from helpdesk.entrypoints.classifier_service import create_classifier_app

from ...http.live import serving


class Clock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def test_the_service_answers_the_contract() -> None:
    app = create_classifier_app(load_embedded_classifier(Clock()))
    with TestClient(app) as client:
        response = client.post("/classify", json={"text": "الطابعة لا تطبع"})
        assert response.status_code == 200
        body = response.json()
        assert {p["label"] for p in body["predictions"]} == {str(c) for c in Category}
        assert body["model"]
        assert client.get("/health").status_code == 200
        assert client.post("/classify", json={"nope": 1}).status_code == 422


@pytest.fixture
def served() -> Iterator[str]:
    with serving(create_classifier_app(load_embedded_classifier(Clock()))) as base:
        yield base


async def test_the_client_against_the_served_model(served: str) -> None:
    client = HttpClassifier(served, timeout=2.0, clock=Clock())
    result = await client.classify("نسيت كلمة المرور\nلا أستطيع الدخول إلى حسابي")
    assert await client.health() == "ok"
    await client.aclose()
    assert result is not None
    assert result.category is Category.ACCOUNTS_ACCESS
