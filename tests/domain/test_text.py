"""Text no storage can keep: NUL characters and lone surrogates, found anywhere in a document."""

from __future__ import annotations

import pytest

from helpdesk.domain.errors import ValidationFailed
from helpdesk.domain.text import check_storable, storable, storable_or_none, unstorable
from helpdesk.domain.users import MAX_NAME, name_or_none


@pytest.mark.parametrize("text", ["a\x00", "\x00", "x\ud800", "\udfff"])
def test_nul_and_lone_surrogates_cannot_be_stored(text: str) -> None:
    assert unstorable(text) is not None
    assert storable_or_none(text) is None


@pytest.mark.parametrize("text", ["", "نص عربي", "\u202e\u200b", "\x01\x1f", "🙂", "ا" * 10_000])
def test_other_text_can(text: str) -> None:
    assert unstorable(text) is None
    assert storable_or_none(text) == text


def test_every_unstorable_field_of_a_document_is_named() -> None:
    document = {
        "title": "ok",
        "body": "x\x00",
        "tags": ["a", "b\ud800"],
        "meta": {"deep": [{"k": "\x00"}]},
        "bad\x00key": 1,
    }
    with pytest.raises(ValidationFailed) as refused:
        check_storable(document)
    assert sorted(e.field for e in refused.value.errors) == [
        "body",
        "body",
        "meta.deep[0].k",
        "tags[1]",
    ]
    assert any(e.message.startswith("a key") for e in refused.value.errors)


def test_a_document_nested_past_the_recursion_limit_is_walked() -> None:
    deep: object = "\x00"
    for _ in range(5_000):
        deep = [deep]
    with pytest.raises(ValidationFailed) as refused:
        check_storable({"x": deep})
    assert refused.value.errors[0].field == "x" + "[0]" * 5_000


def test_a_name_claim_is_trimmed_cut_or_dropped() -> None:
    assert name_or_none("  سارة  ") == "سارة"
    assert name_or_none("س" * 500) == "س" * MAX_NAME
    assert name_or_none("س\x00") is None
    assert name_or_none("   ") is None
    assert name_or_none(None) is None


def test_text_that_must_be_kept_loses_only_what_cannot_be_stored() -> None:
    assert storable("a\x00b\ud800c\u202e") == "ab\ufffdc\u202e"
    assert storable("نص عادي") == "نص عادي"


def test_a_field_under_an_empty_key_is_still_named() -> None:
    with pytest.raises(ValidationFailed) as refused:
        check_storable({"": "\x00", "meta": {"": ["\ud800"]}})
    assert sorted(e.field for e in refused.value.errors) == ['body[""]', 'meta[""][0]']
