"""Titles from subjects, and the ticket tag."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpdesk.domain.mail.subjects import (
    subject_for,
    ticket_number_from_subject,
    title_from_subject,
)


@pytest.mark.parametrize(
    "subject, title",
    [
        ("RE: الطابعة لا تعمل", "الطابعة لا تعمل"),
        ("Re: re: RE:الطابعة لا تعمل", "الطابعة لا تعمل"),
        ("FW: Fwd: fwd : الطابعة لا تعمل", "الطابعة لا تعمل"),
        ("رد: الطابعة لا تعمل", "الطابعة لا تعمل"),
        ("إعادة توجيه: رد: RE: الطابعة لا تعمل", "الطابعة لا تعمل"),
        ("اعادة توجيه: الطابعة لا تعمل", "الطابعة لا تعمل"),
        ("تحويل: FW: الطابعة لا تعمل", "الطابعة لا تعمل"),
        ("TR: RE[2]: Re(3): الطابعة لا تعمل", "الطابعة لا تعمل"),
        ("RE：الطابعة لا تعمل", "الطابعة لا تعمل"),  # full-width colon
        ("[EXTERNAL] RE: الطابعة لا تعمل", "الطابعة لا تعمل"),
        ("RE: [External Email] FW: الطابعة لا تعمل", "الطابعة لا تعمل"),
        ("[خارجي] رد: الطابعة لا تعمل", "الطابعة لا تعمل"),
        ("RE: الطابعة لا تعمل [#1234]", "الطابعة لا تعمل"),
        ("RE: [#1234] الطابعة   لا\tتعمل", "الطابعة لا تعمل"),
        ("رد المبلغ لم يصل", "رد المبلغ لم يصل"),  # "رد" as a word, not a prefix
        ("Report: الطابعة", "Report: الطابعة"),  # "Re" only counts before a colon
        ("[عاجل] الطابعة لا تعمل", "[عاجل] الطابعة لا تعمل"),  # not a gateway tag: kept
        ("RE: ", ""),
        ("", ""),
    ],
)
def test_title_from_subject(subject: str, title: str) -> None:
    assert title_from_subject(subject) == title


@pytest.mark.parametrize(
    "subject, number",
    [
        ("الطابعة لا تعمل [#1234]", 1234),
        ("RE: [# 12 ] الطابعة", 12),
        ("الطابعة [#١٢٣٤]", 1234),  # Arabic-Indic digits
        ("[#1] قديمة ثم [#2]", 2),  # ours is appended: the last wins
        ("الطابعة #1234", None),
        ("الطابعة [1234]", None),
        ("", None),
    ],
)
def test_ticket_number_from_subject(subject: str, number: int | None) -> None:
    assert ticket_number_from_subject(subject) == number


@given(st.text(max_size=60), st.integers(min_value=1, max_value=10**9))
def test_our_subject_gives_back_its_ticket_number(title: str, number: int) -> None:
    assert ticket_number_from_subject(subject_for(title, number)) == number
    assert ticket_number_from_subject("RE: رد: " + subject_for(title, number)) == number


@given(st.text(max_size=80))
def test_the_title_is_stable(subject: str) -> None:
    once = title_from_subject(subject)
    assert title_from_subject(once) == once
