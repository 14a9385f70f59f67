"""`helpdesk classifier serve`: the embedded model behind the FastAPI classifier's contract."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import msgspec
from litestar import Litestar, get, post
from litestar.params import JSONBody

from helpdesk.adapters.classifier.embedded import EmbeddedClassifier
from helpdesk.domain.text_preparation import prepared_description
from helpdesk.entrypoints.http.problems import EXCEPTION_HANDLERS


class ClassifyIn(msgspec.Struct):
    text: Annotated[str, msgspec.Meta(min_length=1, max_length=20_000)]


class Prediction(msgspec.Struct):
    label: str
    confidence: float


class ClassifyOut(msgspec.Struct):
    predictions: list[Prediction]
    model: str


def create_classifier_app(classifier: EmbeddedClassifier) -> Litestar:
    @post("/classify", status_code=200)
    async def classify(data: JSONBody[ClassifyIn]) -> ClassifyOut:
        return ClassifyOut(
            [
                Prediction(label, confidence)
                for label, confidence in classifier.scores(prepared_description(data.text))
            ],
            classifier.name,
        )

    @get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    return Litestar([classify, health], exception_handlers=EXCEPTION_HANDLERS, debug=False)


def serve_classifier(port: int, host: str = "127.0.0.1", model: Path | None = None) -> None:
    import uvicorn

    from helpdesk.adapters.classifier.embedded import load_embedded_classifier
    from helpdesk.adapters.system import SystemClock

    app = create_classifier_app(load_embedded_classifier(SystemClock(), model))
    uvicorn.run(app, host=host, port=port, log_level="info")
