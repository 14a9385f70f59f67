"""Text preparation: e-mail-shaped tickets lose their boilerplate and keep the problem."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from helpdesk.domain.text_preparation import (
    classification_text,
    prepared_description,
    prepared_title,
)

from ..strategies import arabic_text

FORMAL_ARABIC = """السلام عليكم ورحمة الله وبركاته

الأستاذ خالد المحترم،
تحية طيبة وبعد،

نفيدكم بأن الطابعة HP LaserJet M404 في الطابق الثالث لا تطبع وتظهر رسالة Paper Jam منذ الصباح.
يرجى التكرم بالاطلاع واتخاذ اللازم.

وتقبلوا فائق الاحترام والتقدير،
أحمد عبدالله
أخصائي رواتب
إدارة الشؤون المالية
هاتف: 0112345678 تحويلة 2231
جوال: 0501234567
ahmed.abdullah@example.org

تنويه: هذه الرسالة الإلكترونية ومرفقاتها سرية ومخصصة للمرسل إليه فقط، ويحظر نسخها أو توزيعها.
Disclaimer: This e-mail and any attachments are confidential and intended solely for the addressee.
If you have received this email in error please notify the sender and delete it.
Please consider the environment before printing this e-mail.
"""

FORWARDED_CHAIN = """Please see below.

Best regards,
Sara Al-Harbi
Office Manager | Finance Department
Tel: +966 11 234 5678

From: محمد علي <m.ali@example.org>
Sent: Sunday, November 30, 2026 9:14 AM
To: IT Support <it@example.org>
Cc: فريق الشبكات
Subject: RE: انقطاع الشبكة

الشبكة مقطوعة في مبنى 2 ولا نستطيع الوصول إلى السيرفر 10.20.30.40 منذ ساعة
شكرا

-----Original Message-----
From: Help Desk
Sent: Saturday, November 29, 2026 4:02 PM
To: محمد علي
Subject: انقطاع الشبكة

> تم استلام طلبكم رقم 5521 وسيتم التواصل معكم بخصوص الرواتب والإجازات
> فريق الدعم
"""

ARABIC_OUTLOOK_CHAIN = """للعلم

من: نورة السبيعي
تم الإرسال: الأحد، 30 نوفمبر 2026 10:12 ص
إلى: الدعم الفني
نسخة: مدير إدارة الموارد البشرية
الموضوع: مشكلة في البريد

صباح الخير،
البريد الإلكتروني في Outlook لا يستقبل أي رسائل جديدة منذ أمس ويظهر أن صندوق البريد ممتلئ.
مرفق صورة الخطأ [cid:image001.png@01DB4C2A.5F3E1B20]
شاكرين تعاونكم
نورة
قسم الموارد البشرية
"""

ENGLISH_BODY = """[EXTERNAL]
CAUTION: This email originated from outside the organization. Do not click links.

Hi team,

My VPN (FortiClient) disconnects every 5 minutes when I work from home, see https://vpn.example.org/status
Screenshot attached: error.png

Thanks,
Ali
Mob: +966 50 123 4567
Sent from my iPhone
"""


def test_a_formal_arabic_email_keeps_only_the_problem() -> None:
    text = prepared_description(FORMAL_ARABIC)
    assert "الطابعة HP LaserJet M404" in text
    assert "Paper Jam" in text
    for gone in (
        "السلام",
        "تحية",
        "المحترم",
        "وتقبلوا",
        "أحمد",
        "الشؤون المالية",
        "رواتب",
        "0501234567",
        "2231",
        "@",
        "تنويه",
        "Disclaimer",
        "confidential",
        "printing",
        "يرجى التكرم",
    ):
        assert gone not in text, gone


def test_a_forwarded_chain_keeps_the_message_that_states_the_problem() -> None:
    text = prepared_description(FORWARDED_CHAIN)
    assert "الشبكة مقطوعة في مبنى 2" in text
    assert "10.20.30.40" in text  # an IP address is not a phone number
    for gone in (
        "Sara",
        "Finance",
        "+966",
        "From",
        "Sent",
        "Subject",
        "m.ali",
        "فريق الشبكات",  # the Cc line is a header, not the problem
        "الرواتب",  # the quoted earlier message is not needed: the newer one said enough
        "Original Message",
        "شكرا",
    ):
        assert gone not in text, gone


def test_an_arabic_outlook_forward_with_an_attachment_marker() -> None:
    text = prepared_description(ARABIC_OUTLOOK_CHAIN)
    assert "البريد الإلكتروني في Outlook لا يستقبل أي رسائل جديدة" in text
    for gone in (
        "من:",
        "تم الإرسال",
        "نسخة",
        "الموارد البشرية",
        "cid:",
        "image001",
        "صباح الخير",
        "شاكرين",
        "نورة",
    ):
        assert gone not in text, gone


def test_an_english_body_with_banner_link_attachment_and_phone() -> None:
    text = prepared_description(ENGLISH_BODY)
    assert "My VPN (FortiClient) disconnects every 5 minutes when I work from home" in text
    for gone in ("EXTERNAL", "CAUTION", "Hi team", "https", "error.png", "Ali", "+966", "iPhone"):
        assert gone not in text, gone


def test_a_gulf_message_with_a_compact_signature_and_an_arabic_gmail_quote() -> None:
    text = prepared_description(
        "صباح الخير أستاذ محمد\n\n"
        "جهاز البصمة عند البوابة الرئيسية ما يقرأ البصمات من أمس\n\n"
        "مع أطيب التحيات\nسعد\nمشرف الأمن والسلامة\n"
        "إدارة الخدمات المساندة | هيئة التخطيط\nM: 0555555555 | E: saad@example.gov\n\n"
        "في الأحد، 30 نوفمبر 2026 في 9:12 ص، سارة <s@example.org> كتبت:\n"
        "> هل يمكن تحديث رصيد الإجازات؟"
    )
    assert text == "جهاز البصمة عند البوابة الرئيسية ما يقرأ البصمات من أمس"


def test_a_one_line_ticket_is_left_as_it_is() -> None:
    assert prepared_description("الطابعة لا تطبع") == "الطابعة لا تطبع"
    assert prepared_description("  النت   فاصل\n\nعندنا  ") == "النت فاصل\nعندنا"


def test_greeting_and_sign_off_on_the_problem_line_come_off() -> None:
    text = prepared_description("السلام عليكم، الإيميل ما يوصل للعملاء. وشكرا")
    assert text == "الإيميل ما يوصل للعملاء."


def test_a_sign_off_before_any_content_does_not_cut_the_ticket() -> None:
    # "شكرا" opening a message is not a signature: the problem after it stays.
    text = prepared_description("شكرا مقدما\nالمكيف في مكتبي لا يعمل والحرارة مرتفعة جدا")
    assert "المكيف في مكتبي لا يعمل" in text


def test_boilerplate_alone_falls_back_instead_of_emptying() -> None:
    assert prepared_description("Sent from my iPhone") == "Sent from my iPhone"
    assert prepared_description("السلام عليكم\nمع التحية") != ""
    assert prepared_description("0501234567") == "0501234567"


def test_titles_lose_reply_and_forward_prefixes() -> None:
    assert prepared_title("RE: FW: [EXTERNAL] الطابعة لا تعمل") == "الطابعة لا تعمل"
    assert prepared_title("رد: إعادة توجيه: مشكلة في البريد") == "مشكلة في البريد"
    assert prepared_title("RE:") == "RE:"


def test_classification_text_is_title_then_problem() -> None:
    text = classification_text("FW: طابعة الدور الثالث", FORMAL_ARABIC)
    title, body = text.split("\n", 1)
    assert title == "طابعة الدور الثالث"
    assert body.startswith("الطابعة HP LaserJet M404")  # "نفيدكم بأن" is a template


# --- properties -----------------------------------------------------------------------------

_WORDS = re.compile(r"\w+")
BOILERPLATE = st.sampled_from(
    [
        "السلام عليكم ورحمة الله وبركاته",
        "تحية طيبة وبعد،",
        "وتقبلوا فائق الاحترام",
        "Best regards,\nAhmad\nTel: 011 234 5678",
        "From: a@b.org\nSent: Monday\nTo: IT\nSubject: RE: x",
        "-----Original Message-----",
        "> قديم",
        "Disclaimer: this e-mail is confidential",
        "[cid:image001.png@01D]",
        "https://example.org/x",
        "جوال: 0501234567",
        "",
    ]
)
emails = st.lists(
    st.one_of(arabic_text(min_letters=1, max_words=12), BOILERPLATE), min_size=1, max_size=8
).map("\n".join)


@settings(max_examples=300, deadline=None)
@given(emails)
@example("From: x\nمن الصباح")
@example("Thanks\n> a\nb")
def test_preparation_is_idempotent(text: str) -> None:
    once = prepared_description(text)
    assert prepared_description(once) == once


@settings(max_examples=300, deadline=None)
@given(emails)
def test_preparation_never_empties_text_with_words(text: str) -> None:
    if _WORDS.search(text):
        assert _WORDS.search(prepared_description(text))


@settings(max_examples=300, deadline=None)
@given(emails, arabic_text(min_letters=1, max_words=3))
def test_preparation_never_adds_words(text: str, title: str) -> None:
    before = set(_WORDS.findall(f"{title}\n{text}"))
    assert set(_WORDS.findall(classification_text(title, text))) <= before


def test_the_newest_message_of_a_reply_leaves_the_quoted_history_out() -> None:
    from helpdesk.domain.text_preparation import newest_message

    reply = (
        "مرحبا،\nما زالت المشكلة قائمة بعد إعادة تشغيل الجهاز.\n\n"
        "On Mon, 20 May 2024 at 09:00, الدعم الفني <support@helpdesk.example.org> wrote:\n"
        "> تم استلام تذكرتك\n> نص قديم\n"
    )
    assert newest_message(reply) == "ما زالت المشكلة قائمة بعد إعادة تشغيل الجهاز."
    # nothing of its own (a bare forward): the whole prepared text stands in
    forward = "-----Original Message-----\nFrom: a@b.c\nSubject: x\n\nالطابعة لا تعمل منذ الصباح\n"
    assert newest_message(forward) == prepared_description(forward)


def test_an_arabic_reply_intro_with_the_writer_after_the_verb_ends_the_message() -> None:
    from helpdesk.domain.text_preparation import newest_message

    reply = (
        "ما زالت المشكلة قائمة بعد إعادة تشغيل الجهاز.\n\n"
        "في الاثنين، 20 مايو 2024 في 9:00 ص، كتب الدعم الفني <support@helpdesk.example.org>:\n"
        "> تم استلام تذكرتك\n> نص قديم\n"
    )
    assert newest_message(reply) == "ما زالت المشكلة قائمة بعد إعادة تشغيل الجهاز."
