"""Outgoing mail as MIME, without a server: escaping, paragraphs, headers."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy

from helpdesk.adapters.mail.rendering import html_text, plain_text, render
from helpdesk.domain.mail.outgoing import OutgoingMail

MAIL = OutgoingMail(
    to_address="ahmed@example.org",
    to_name="أحمد",
    subject="<b>الطابعة</b> & الحبر [#5]",
    heading="تعليق جديد على التذكرة #5 «<script>alert(1)</script>»",
    body="السطر الأول\nالسطر الثاني\n\nفقرة ثانية & <i>مائلة</i>",
    message_id="<helpdesk.5.abcdefghijklmnopqrstuvwxyz@helpdesk.example.org>",
)


def test_the_html_escapes_what_people_typed_and_keeps_paragraphs() -> None:
    markup = html_text(MAIL)
    assert "<script>" not in markup and "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    assert "&lt;i&gt;مائلة&lt;/i&gt;" in markup
    assert "السطر الأول<br>السطر الثاني</p>" in markup
    assert markup.count('<p style="margin:0 0 12px 0">') == 2
    assert "<title>&lt;b&gt;الطابعة&lt;/b&gt; &amp; الحبر [#5]</title>" in markup


def test_the_plain_text_is_the_same_words() -> None:
    assert plain_text(MAIL).startswith(f"{MAIL.heading}\n\n{MAIL.body}\n\n--\n")


def test_headers_survive_the_wire() -> None:
    message = render(
        MAIL,
        mail_from="الدعم الفني <support@helpdesk.example.org>",
        now=datetime(2024, 1, 1, tzinfo=UTC),
    )
    wire = message.as_bytes(policy=policy.SMTP)
    assert wire.isascii()  # Arabic headers are encoded words, bodies base64/QP: any server takes it
    back = message_from_bytes(wire, policy=policy.default)
    assert back["Subject"] == MAIL.subject
    assert back["From"].addresses[0].display_name == "الدعم الفني"
    assert back["To"].addresses[0].addr_spec == "ahmed@example.org"
    assert back["In-Reply-To"] is None and back["References"] is None
    assert back["Content-Language"] == "ar"
    assert back["X-Auto-Response-Suppress"] == "All"
