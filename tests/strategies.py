"""Hypothesis strategies: Arabic text, confidences and score vectors, thresholds."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import strategies as st

from helpdesk.domain.classification import Classification
from helpdesk.domain.routing import Thresholds
from helpdesk.domain.taxonomy import CATEGORIES, Category

ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئةى"
NOW = datetime(2026, 1, 1, tzinfo=UTC)

arabic_word = st.text(alphabet=ARABIC_LETTERS, min_size=2, max_size=9)


def arabic_text(min_letters: int, max_words: int = 30) -> st.SearchStrategy[str]:
    """Arabic words with spaces, Arabic punctuation and digits between them."""
    separators = st.sampled_from([" ", " ", "، ", "؟ ", " ١٢ ", " 3 ", ". ", "\n"])
    return (
        st.lists(st.tuples(arabic_word, separators), min_size=1, max_size=max_words)
        .map(lambda parts: "".join(w + s for w, s in parts).strip())
        .filter(lambda t: sum(c in ARABIC_LETTERS for c in t) >= min_letters)
    )


confidence = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@st.composite
def classifications(draw: st.DrawFn) -> Classification:
    categories = draw(st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=10, unique=True))
    scores = {c: draw(confidence) for c in categories}
    return Classification.from_scores(scores, model="test", classified_at=NOW)


@st.composite
def thresholds(draw: st.DrawFn) -> Thresholds:
    suggest = draw(st.floats(min_value=0.0, max_value=1.0))
    auto = draw(st.floats(min_value=suggest, max_value=1.0))
    return Thresholds(auto=auto, suggest=suggest, min_margin=draw(st.floats(0.0, 1.0)))


categories = st.sampled_from(CATEGORIES)
__all__ = ["Category", "arabic_text", "categories", "classifications", "confidence", "thresholds"]
