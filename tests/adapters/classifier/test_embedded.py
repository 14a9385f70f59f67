"""The embedded model: the shipped data set, the shipped model, and what it says."""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime

import numpy as np
import pytest

from helpdesk.adapters.classifier.embedded import EmbeddedClassifier, load_embedded_classifier
from helpdesk.adapters.classifier.embedded.dataset import build_dataset, load_dataset
from helpdesk.adapters.classifier.embedded.evaluation import grouped_folds, run_cross_validation
from helpdesk.adapters.classifier.embedded.features import stem
from helpdesk.adapters.classifier.embedded.model import LinearModel
from helpdesk.domain.arabic import TextPolicy, check_description, check_title
from helpdesk.domain.taxonomy import CATEGORIES, Category


class Clock:
    def now(self) -> datetime:
        return datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def classifier() -> EmbeddedClassifier:
    return load_embedded_classifier(Clock())


def test_the_shipped_data_set_is_what_the_generator_makes() -> None:
    assert load_dataset() == build_dataset()


def test_the_data_set_covers_every_category_in_arabic_only() -> None:
    rows = load_dataset()
    assert len(rows) >= 500
    counts = Counter(r["category"] for r in rows)
    assert set(counts) == {str(c) for c in CATEGORIES}
    assert min(counts.values()) >= 40
    for row in rows:
        check_title(row["title"], TextPolicy.ARABIC_ONLY)
        check_description(row["description"], TextPolicy.ARABIC_ONLY)


def test_light_stemming_strips_clitics_and_endings() -> None:
    assert stem("والطابعات") == stem("طابعه") == "طابع"
    assert stem("بالبريد") == "بريد"


def test_loading_is_fast() -> None:
    start = time.perf_counter()
    LinearModel.load()
    assert time.perf_counter() - start < 0.5


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("انقطاع الإنترنت\nالشبكة اللاسلكية لا تعمل في الطابق الثالث منذ الصباح", Category.NETWORK),
        ("الشاشة لا تعمل\nشاشة الحاسوب سوداء ولا تظهر أي صورة", Category.HARDWARE),
        ("تثبيت برنامج\nأحتاج إلى تثبيت برنامج المحاسبة على جهازي", Category.SOFTWARE),
        ("البريد لا يعمل\nصندوق البريد الإلكتروني لا يستقبل الرسائل", Category.EMAIL),
        ("نسيت كلمة المرور\nلا أستطيع تسجيل الدخول إلى حسابي", Category.ACCOUNTS_ACCESS),
        ("الطابعة لا تطبع\nالطابعة تظهر انحشار الورق", Category.PRINTING),
        ("طلب إجازة\nأرغب في إجازة سنوية لمدة أسبوع", Category.HR),
        ("تأخر الراتب\nلم يصلني الراتب هذا الشهر", Category.FINANCE),
        ("المكيف معطل\nجهاز التكييف في المكتب لا يعمل", Category.FACILITIES),
        ("اقتراح\nأقترح تنظيم مسابقة للموظفين", Category.OTHER),
    ],
)
async def test_obvious_tickets_go_where_they_belong(
    classifier: EmbeddedClassifier, text: str, category: Category
) -> None:
    result = await classifier.classify(text)
    assert result is not None
    assert result.category is category
    assert result.confidence >= 0.8


async def test_scores_are_complete_sorted_and_deterministic(classifier: EmbeddedClassifier) -> None:
    text = "الطابعة لا تعمل\nلا تطبع"
    first = await classifier.classify(text)
    second = await classifier.classify(text)
    assert first == second
    assert first is not None
    confidences = [s.confidence for s in first.scores]
    assert confidences == sorted(confidences, reverse=True)
    assert {s.category for s in first.scores} == set(CATEGORIES)
    assert all(0.0 <= c <= 1.0 for c in confidences)
    assert abs(sum(confidences) - 1.0) < 1e-4
    assert first.model == classifier.name
    assert await classifier.health() == "embedded"


def test_folds_keep_every_telling_of_an_issue_together() -> None:
    rows = load_dataset()
    folds = grouped_folds(rows)
    by_title: dict[str, set[int]] = {}
    for row, f in zip(rows, folds, strict=True):
        by_title.setdefault(row["title"].replace("ا", "أ"), set()).add(f)
    assert len(set(folds)) == 5
    # Typo'd titles fold to the same issue, so nearly every title sits in one fold.
    assert sum(len(f) == 1 for f in by_title.values()) / len(by_title) > 0.9


@pytest.mark.slow
def test_cross_validation_meets_the_targets() -> None:
    report = run_cross_validation()
    assert report.accuracy >= 0.85
    assert report.macro_f1 >= 0.80
    assert report.ece <= 0.05
    assert report.auto_precision >= 0.90
    assert np.isclose(sum(map(sum, report.confusion)), report.n)
