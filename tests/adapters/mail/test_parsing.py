"""Every fixture message parsed as a person reading it would: the right text, subject, sender,
attachments and flags; and no input makes the parser raise."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpdesk.adapters.mail.parsing import parse_message, unflow
from helpdesk.domain.mail.attachments import Refusal, screen
from helpdesk.domain.mail.message import Automatic
from helpdesk.domain.mail.subjects import title_from_subject
from helpdesk.domain.mail.threads import ticket_number_of

from .conftest import FIXTURES, fixture

OUR_DOMAIN = "helpdesk.example.org"
RIYADH = timezone(timedelta(hours=3))


def test_arabic_plain_text() -> None:
    message = parse_message(fixture("arabic-plain.eml"))
    assert message.subject == "الطابعة لا تطبع في الطابق الثالث"
    assert message.sender_address == "ahmed.salem@example.org"  # written Ahmed.Salem@Example.ORG
    assert message.sender_name == "أحمد سالم"
    assert message.message_id == "<CAF1x2yArabicPlain001@mail.example.org>"
    assert message.date == datetime(2024, 5, 12, 9, 15, 2, tzinfo=RIYADH)
    assert message.text.startswith("السلام عليكم،\n\nالطابعة في الطابق الثالث لا تطبع")
    assert message.text.endswith("مع الشكر،\nأحمد")
    assert message.automatic is Automatic.NONE
    assert not message.is_malformed and message.defects == ()
    assert message.attachments == ()


def test_mixed_arabic_and_english_prefers_the_plain_part() -> None:
    message = parse_message(fixture("mixed-arabic-english.eml"))
    assert "<" not in message.text and "&quot;" not in message.text
    assert 'الرسالة التي تظهر: "The remote connection was denied".' in message.text
    assert message.text.count("لا أستطيع الاتصال") == 1  # the HTML rendition is not added
    assert title_from_subject(message.subject) == "مشكلة في الاتصال بـ VPN"


def test_html_only_becomes_readable_text() -> None:
    message = parse_message(fixture("html-only.eml"))
    assert message.text == (
        "صباح الخير،\n"
        "لا يفتح برنامج المحاسبة على جهازي، وتظهر شاشة بيضاء ثم يُغلق.\n"
        "\n"
        "- رقم الجهاز: 4512\n"
        "- المبنى: الإدارة\n"
        "\n"
        "الأسعار <بالدينار> & الضرائب لا تظهر أيضًا.\n"
        "\n"
        "> رسالة سابقة مقتبسة"
    )
    assert "عنوان لا يظهر" not in message.text  # <title>
    assert "document.write" not in message.text and "لا يجب أن يظهر" not in message.text


@pytest.mark.parametrize(
    "name, subject, sender, text",
    [
        (
            "windows-1256.eml",
            "كلمة المرور منتهية الصلاحية",
            "خالد العمر",
            "لا يمكنني الدخول إلى البريد الإلكتروني، تظهر رسالة أن كلمة المرور منتهية الصلاحية.",
        ),
        (
            "iso-8859-6.eml",
            "جهاز العرض لا يعمل",
            "ليلى",
            "جهاز العرض في قاعة الاجتماعات لا يعمل، والمصباح لا يضيء.",
        ),
    ],
)
def test_legacy_arabic_charsets(name: str, subject: str, sender: str, text: str) -> None:
    message = parse_message(fixture(name))
    assert message.subject == subject
    assert message.sender_name == sender
    assert text in message.text.splitlines()
    assert "\ufffd" not in message.text
    assert message.defects == ()


def test_a_forwarded_chain_keeps_its_text_and_lists_its_files() -> None:
    message = parse_message(fixture("forwarded-chain.eml"))
    assert title_from_subject(message.subject) == "الملفات المشتركة على الخادم لا تفتح"
    # The plain part, whole: cleaning disclaimers and history is the text preparation's job.
    assert message.text.startswith("مرحبا فريق الدعم،")
    assert "DISCLAIMER: This e-mail and any attachments are confidential" in message.text
    assert "-----Original Message-----" in message.text
    assert message.text.endswith("> > هل جربت إعادة تشغيل الجهاز؟")
    logo, report = message.attachments
    assert (logo.filename, logo.content_type, logo.inline) == ("image001.png", "image/png", True)
    assert logo.content_id == "logo-finance@example.org"
    assert logo.content.startswith(b"\x89PNG")
    assert (report.filename, report.content_type, report.inline) == (
        "تقرير الصلاحيات.pdf",
        "application/pdf",
        False,
    )
    assert report.content.startswith(b"%PDF-1.4")
    assert all(verdict.accepted for verdict in screen(message.attachments))


def test_an_auto_reply() -> None:
    message = parse_message(fixture("auto-reply.eml"))
    assert message.is_auto_reply and not message.is_bounce
    assert ticket_number_of(message, OUR_DOMAIN) == 1234


def test_a_bounce() -> None:
    message = parse_message(fixture("bounce.eml"))
    assert message.is_bounce and not message.is_auto_reply
    assert message.sender_address == "mailer-daemon@mx.example.org"
    assert "550 5.1.1 User unknown" in message.text
    assert [a.content_type for a in message.attachments] == [
        "message/delivery-status",
        "text/rfc822-headers",
    ]


def test_a_reply_to_a_notification_is_threaded_by_its_headers() -> None:
    message = parse_message(fixture("reply-to-notification.eml"))
    assert "[#" not in message.subject  # the subject was edited: the headers still say
    assert ticket_number_of(message, OUR_DOMAIN) == 1234
    assert message.in_reply_to == (
        "<helpdesk.1234.l4gdvhrlpvgb5ctptmgtylq7ia@helpdesk.example.org>"
    )
    assert message.references[0] == "<CAF1x2yArabicPlain001@mail.example.org>"
    # format=flowed: the line broken by the client is one line again.
    assert message.text.splitlines()[0] == (
        "شكرا لكم، ما زالت الطابعة لا تطبع بعد تغيير الحبر، والرسالة نفسها تظهر على الشاشة."
    )
    assert ticket_number_of(message, "elsewhere.example.com") is None


def test_a_reply_naming_the_ticket_in_its_subject() -> None:
    message = parse_message(fixture("reply-with-ticket-tag.eml"))
    assert message.in_reply_to is None and message.references == ()
    assert ticket_number_of(message, OUR_DOMAIN) == 1234
    assert title_from_subject(message.subject) == "الطابعة لا تطبع في الطابق الثالث"
    assert message.sender_name == ""


def test_a_malformed_message_is_flagged_and_keeps_what_can_be_read() -> None:
    message = parse_message(fixture("malformed.eml"))
    assert message.is_malformed
    assert "CloseBoundaryNotFoundDefect" in message.defects
    assert "InvalidBase64CharactersDefect" in message.defects
    assert message.subject == "الشاشة لا تعمل"
    assert message.text == "الشاشة لا تعمل بعد التحديث"
    assert message.sender_address == "yousef@example.org"


def test_dangerous_attachments_are_recognised() -> None:
    message = parse_message(fixture("executable-attachment.eml"))
    verdicts = {v.attachment.filename: v.refusal for v in screen(message.attachments)}
    assert verdicts == {
        "invoice.pdf.exe": Refusal.EXECUTABLE,
        "budget.xlsm": Refusal.MACRO_DOCUMENT,
        "report\u202efdp.scr": Refusal.DISGUISED_NAME,
        "screenshot.png": None,
    }
    assert message.text == "مرفق الفاتورة المطلوبة، يرجى فتحها."


def test_every_fixture_is_read_without_replacement_characters() -> None:
    for path in sorted(FIXTURES.glob("*.eml")):
        message = parse_message(path.read_bytes())
        assert message.text, path.name
        assert "\ufffd" not in message.text + message.subject, path.name
        assert message.sender_address, path.name


# --- headers and charsets the fixtures do not cover ------------------------------------------


def _message(head: str, body: bytes) -> bytes:
    return head.replace("\n", "\r\n").encode() + b"\r\n" + body


def test_a_message_without_message_id_gets_a_stable_one() -> None:
    raw = _message("From: a@example.org\nSubject: x\n", "نص".encode())
    other = _message("From: a@example.org\nSubject: y\n", "نص".encode())
    first = parse_message(raw)
    assert first.message_id == parse_message(raw).message_id
    assert first.message_id != parse_message(other).message_id
    assert first.message_id.startswith("<") and first.message_id.endswith("@message-id.invalid>")


@pytest.mark.parametrize(
    "content_type, body, expected_problem",
    [
        ("text/plain", "مرحبا بكم".encode("cp1256"), "8-bit text without a charset"),
        ("text/plain; charset=us-ascii", "مرحبا بكم".encode(), "8-bit text declared as us-ascii"),
        ("text/plain; charset=iso-8859-6-i", "مرحبا بكم".encode("iso8859_6"), None),
        ("text/plain; charset=x-unknown", "مرحبا بكم".encode(), "unknown charset 'x-unknown'"),
    ],
)
def test_missing_wrong_and_unusual_charsets(
    content_type: str, body: bytes, expected_problem: str | None
) -> None:
    raw = _message(f"From: a@example.org\nContent-Type: {content_type}\n", body)
    message = parse_message(raw)
    assert message.text == "مرحبا بكم"
    assert message.defects == ((expected_problem,) if expected_problem else ())
    assert not message.is_malformed


def test_a_message_with_no_sender_is_malformed() -> None:
    message = parse_message(_message("Subject: x\n", b"hello"))
    assert message.sender_address == "" and message.is_malformed
    assert "no sender address" in message.defects


def test_a_date_without_zone_is_read_as_utc_and_a_bad_one_as_none() -> None:
    dated = parse_message(_message("From: a@b.org\nDate: Sun, 12 May 2024 09:15:02 -0000\n", b""))
    assert dated.date == datetime(2024, 5, 12, 9, 15, 2, tzinfo=UTC)
    assert parse_message(_message("From: a@b.org\nDate: tomorrow-ish\n", b"")).date is None


def test_raw_utf8_headers_are_read() -> None:
    raw = _message("From: سالم <salem@example.org>\nSubject: طلب صيانة\n", b"")
    message = parse_message(raw)
    assert (message.subject, message.sender_name) == ("طلب صيانة", "سالم")


def test_an_attached_message_is_one_attachment() -> None:
    inner = _message("From: x@example.org\nSubject: phishing\n", b"click here")
    raw = _message(
        'From: a@example.org\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n',
        b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        + "وصلتني هذه الرسالة المشبوهة".encode()
        + b"\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n"
        + inner
        + b"\r\n--b--\r\n",
    )
    message = parse_message(raw)
    assert message.text == "وصلتني هذه الرسالة المشبوهة"
    [attached] = message.attachments
    assert (attached.filename, attached.content_type) == ("message.eml", "message/rfc822")
    assert b"click here" in attached.content


def test_format_flowed() -> None:
    flowed = "first part \nsecond part\n> quoted \n> continues\n-- \nsignature"
    assert unflow(flowed, delsp=False) == (
        "first part second part\n> quoted continues\n-- \nsignature"
    )
    assert unflow("ab \ncd", delsp=True) == "abcd"


# --- never raises ---------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(raw: bytes) -> None:
    message = parse_message(raw)
    assert message.message_id.startswith("<")


_FIXTURE_BYTES = [p.read_bytes() for p in sorted(FIXTURES.glob("*.eml"))]


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(_FIXTURE_BYTES),
    st.integers(min_value=0, max_value=5000),
    st.lists(st.tuples(st.integers(min_value=0, max_value=5000), st.binary(max_size=8))),
)
def test_cut_and_corrupted_fixtures_never_raise(
    raw: bytes, cut: int, splices: list[tuple[int, bytes]]
) -> None:
    data = bytearray(raw[:cut] if cut else raw)
    for at, junk in splices:
        data[at:at] = junk
    parse_message(bytes(data))
