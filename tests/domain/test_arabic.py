"""The Arabic-only text rules."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpdesk.domain.arabic import TextPolicy, check_description, check_title, clean, fold
from helpdesk.domain.errors import ValidationFailed

from ..strategies import arabic_text

ONLY, MAJORITY = TextPolicy.ARABIC_ONLY, TextPolicy.ARABIC_MAJORITY
LATIN = st.characters(min_codepoint=ord("A"), max_codepoint=ord("z")).filter(
    str.isalpha
) | st.sampled_from("éçñÄ")


@given(arabic_text(min_letters=10))
def test_generated_arabic_is_accepted(text: str) -> None:
    assert check_description(text[:5000], ONLY) == clean(text[:5000]).strip()


@given(arabic_text(min_letters=10), LATIN, st.integers(min_value=0))
def test_any_latin_letter_is_rejected_under_arabic_only(text: str, letter: str, at: int) -> None:
    i = at % (len(text) + 1)
    with pytest.raises(ValidationFailed) as error:
        check_description(text[:i] + letter + text[i:], ONLY)
    assert error.value.errors[0].field == "description"


def test_arabic_majority_allows_some_latin() -> None:
    assert check_title("الـ VPN لا يعمل عندي", MAJORITY) == "الـ VPN لا يعمل عندي"
    with pytest.raises(ValidationFailed):
        check_title("VPN and Outlook لا", MAJORITY)  # fewer than 60% Arabic letters
    with pytest.raises(ValidationFailed):
        check_title("Привет مرحبا بكم", MAJORITY)  # Cyrillic is never allowed


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("\ufefb\u200bطابعة", "لاطابعة"),  # presentation form folded, zero-width dropped
        ("\u202bالشبكة\u202c معطلة", "الشبكة معطلة"),  # bidi controls dropped
        ("  طابعة  ", "طابعة"),
    ],
)
def test_text_is_cleaned_before_checking(raw: str, stored: str) -> None:
    assert check_title(raw, ONLY) == stored


@pytest.mark.parametrize(
    ("title", "rule"),
    [
        ("اب", "قصير"),
        ("١٢٣٤٥", "3 حروف"),
        ("طابعة 😀", "رمز"),
        ("طابعة\x07", "رمز"),
        ("ط" * 201, "طويل"),
    ],
)
def test_rejections_name_the_rule(title: str, rule: str) -> None:
    with pytest.raises(ValidationFailed) as error:
        check_title(title, ONLY)
    assert error.value.errors[0].field == "title"
    assert rule in error.value.errors[0].message


def test_punctuation_digits_and_new_lines_are_fine() -> None:
    text = "الطابعة «رقم ٣» لا تعمل؛ جربت 2 مرات، لماذا؟\nأرجو المساعدة!"
    assert check_description(text, ONLY) == text


def test_folding_meets_spelling_variants() -> None:
    assert fold("إعادةُ تعيينِ كلمةِ المرورِ") == fold("اعاده تعيين كلمه المرور")
    assert fold("مستشفى") == fold("مستشفي")
    assert fold("مســـؤول") == fold("مسوول")


@pytest.mark.parametrize(
    ("text", "policy", "named"),
    [
        (
            "برنامج Outlook لا يفتح ولا يتصل مع VPN الشركة",
            TextPolicy.ARABIC_ONLY,
            ["Outlook", "VPN"],
        ),
        ("Outlook VPN Teams Excel Word لا يعمل", TextPolicy.ARABIC_MAJORITY, ["Outlook", "Word"]),
        ("الطابعة Принтер لا تعمل أبدا هنا", TextPolicy.ARABIC_MAJORITY, ["Принтер"]),
    ],
)
def test_a_refusal_names_the_words_to_change(
    text: str, policy: TextPolicy, named: list[str]
) -> None:
    with pytest.raises(ValidationFailed) as e:
        check_description(text, policy)
    message = e.value.errors[0].message
    assert all(f"«{word}»" in message for word in named), message
    assert any("\u0600" <= ch <= "\u06ff" for ch in message)


def test_a_refusal_names_at_most_five_words() -> None:
    text = "عطل " + " ".join(f"w{i}" for i in range(12)) + " في الجهاز الجديد هنا"
    with pytest.raises(ValidationFailed) as e:
        check_description(text, TextPolicy.ARABIC_ONLY)
    message = e.value.errors[0].message
    assert message.count("«") == 5 and message.endswith("…")
