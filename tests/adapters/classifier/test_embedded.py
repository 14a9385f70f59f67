"""The embedded model: the shipped data set, the shipped model, and what it says."""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime

import numpy as np
import pytest

from helpdesk.adapters.classifier.embedded import (
    EmbeddedClassifier,
    load_embedded_classifier,
    model_folder,
)
from helpdesk.adapters.classifier.embedded.dataset import (
    ARABIC_STYLES,
    STYLES,
    build_dataset,
    load_dataset,
)
from helpdesk.adapters.classifier.embedded.evaluation import held_out_styles, style_issue_folds
from helpdesk.adapters.classifier.embedded.features import stem
from helpdesk.domain.arabic import TextPolicy, check_description, check_title
from helpdesk.domain.taxonomy import CATEGORIES, Category
from helpdesk.domain.text_preparation import classification_text


class Clock:
    def now(self) -> datetime:
        return datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def classifier() -> EmbeddedClassifier:
    return load_embedded_classifier(Clock())


def test_the_shipped_data_set_is_what_the_generator_makes() -> None:
    assert load_dataset() == build_dataset()


def test_the_data_set_covers_every_category_in_every_style() -> None:
    rows = load_dataset()
    assert len(rows) >= 2000
    counts = Counter(r["category"] for r in rows)
    assert set(counts) == {str(c) for c in CATEGORIES}
    assert min(counts.values()) >= 150
    by_style = Counter(r["style"] for r in rows)
    assert set(by_style) == set(STYLES)
    assert min(by_style.values()) >= 100
    for style in STYLES:
        assert {r["category"] for r in rows if r["style"] == style} >= {
            "network",
            "hardware",
            "software",
            "email",
            "accounts_access",
            "printing",
        }, style
    # The Arabic styles are tickets the default text policy accepts.
    for row in rows:
        if row["style"] in ARABIC_STYLES:
            check_title(row["title"], TextPolicy.ARABIC_ONLY)
            check_description(row["description"], TextPolicy.ARABIC_ONLY)


def test_light_stemming_strips_clitics_and_endings() -> None:
    assert stem("والطابعات") == stem("طابعه") == "طابع"
    assert stem("بالبريد") == "بريد"


def test_loading_is_fast() -> None:
    start = time.perf_counter()
    model_folder.load()
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


@pytest.mark.parametrize(
    ("title", "description", "category"),
    [
        ("الطابعة", "الـ printer HP LaserJet في الدور الثاني يطلع paper jam", Category.PRINTING),
        ("مشكلة VPN", "The VPN keeps disconnecting when I work from home", Category.NETWORK),
        ("Outlook", "الأوتلوك يطلب الباسورد كل شوي", Category.EMAIL),
        (
            "حساب",
            "الحساب locked في الـ Active Directory بعد محاولات دخول",
            Category.ACCOUNTS_ACCESS,
        ),
        ("التونر", "toner خلص في طابعة Canon", Category.PRINTING),
    ],
)
def test_latin_technical_terms_count(
    classifier: EmbeddedClassifier, title: str, description: str, category: Category
) -> None:
    result = classifier.classify_now(classification_text(title, description), Clock().now())
    assert result.category is category


def test_an_email_signature_does_not_decide_the_category(classifier: EmbeddedClassifier) -> None:
    email = (
        "السلام عليكم ورحمة الله وبركاته\n\n"
        "نفيدكم بأن المكيف في غرفة الاجتماعات لا يعمل والحرارة مرتفعة جدا.\n"
        "يرجى التكرم بالاطلاع واتخاذ اللازم.\n\n"
        "وتقبلوا فائق الاحترام،\nخالد\nأخصائي رواتب\nالإدارة المالية\nجوال: 0501234567\n\n"
        "تنويه: هذه الرسالة سرية ومخصصة للمرسل إليه فقط.\n"
        "Please consider the environment before printing this e-mail."
    )
    result = classifier.classify_now(classification_text("RE: المكيف", email), Clock().now())
    assert result.category is Category.FACILITIES


@pytest.mark.parametrize(
    "word",
    ["المحترم", "تحية طيبة", "يرجى التكرم", "مع التحية", "طلب", "عاجل", "مشكلة", "Best regards"],
)
def test_no_courtesy_or_template_word_decides_a_category_alone(
    classifier: EmbeddedClassifier, word: str
) -> None:
    assert max(p for _, p in classifier.scores(word)) < 0.55


def test_text_unlike_any_ticket_gets_low_confidence(classifier: EmbeddedClassifier) -> None:
    unrelated = [
        "ما هي عاصمة فرنسا وكم عدد سكانها",
        "قصيدة جميلة عن البحر والقمر في ليلة صيفية",
        "زخرف قنطش ملبوص طرنفك دحمس",
    ]
    for text in unrelated:
        assert max(p for _, p in classifier.scores(text)) < 0.55, text


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


def test_held_out_folds_keep_styles_and_issues_apart() -> None:
    rows = load_dataset()
    styles, groups = style_issue_folds(rows)
    group_of_issue: dict[str, set[int]] = {}
    for row, group in zip(rows, groups, strict=True):
        group_of_issue.setdefault(row["issue"], set()).add(int(group))
    assert all(len(g) == 1 for g in group_of_issue.values())
    assert len(set(groups.tolist())) == 3
    assert len(set(styles.tolist())) == len(STYLES)


def test_the_shipped_model_records_how_it_was_made() -> None:
    metadata = model_folder.read_metadata(model_folder.SHIPPED_MODEL)
    assert metadata["counts"] == dict(
        sorted(Counter(r["category"] for r in load_dataset()).items())
    )
    assert metadata["calibration"]["method"] == "unfamiliarity"
    assert "style" in metadata["cross_validation"]["scheme"]
    assert metadata["cross_validation"]["accuracy"] >= 0.85


@pytest.mark.slow
def test_held_out_styles_meet_the_targets() -> None:
    # Three styles keep the run short; each fold holds out a style and a third of the issues.
    rows = [r for r in load_dataset() if r["style"] in {"msa", "email", "terse"}]
    report, per_style = held_out_styles(rows)
    assert report.accuracy >= 0.85
    assert report.ece <= 0.08
    coverage, precision = report.at[0.80]
    assert precision >= 0.90 and coverage >= 0.40
    assert np.isclose(sum(map(sum, report.confusion)), report.n)
    assert set(per_style) == {"msa", "email", "terse"}
