"""Auto-replies and bounces are recognised, and never answered."""

from __future__ import annotations

import pytest

from helpdesk.domain.mail.automatic import classify, may_answer
from helpdesk.domain.mail.message import Automatic, InboundMessage


def kind(
    headers: dict[str, str] | None = None,
    *,
    sender: str = "ahmed@example.org",
    content_type: str = "text/plain",
    report_type: str | None = None,
) -> Automatic:
    return classify(
        headers or {}, sender_address=sender, content_type=content_type, report_type=report_type
    )


def test_a_person_s_message() -> None:
    assert kind() is Automatic.NONE
    assert kind({"auto-submitted": "no"}) is Automatic.NONE
    assert kind({"precedence": "first-class"}) is Automatic.NONE
    assert kind({"x-autoreply": "no"}) is Automatic.NONE
    assert kind({"return-path": "<ahmed@example.org>"}) is Automatic.NONE


@pytest.mark.parametrize(
    "headers",
    [
        {"auto-submitted": "auto-replied"},
        {"auto-submitted": "Auto-Generated"},
        {"auto-submitted": "auto-notified; owner-email=x@example.org"},
        {"x-autoreply": "yes"},
        {"x-autorespond": "Out of office"},
        {"precedence": "bulk"},
        {"precedence": "Junk"},
        {"precedence": "auto_reply"},
        {"return-path": "<>"},
    ],
)
def test_auto_replies(headers: dict[str, str]) -> None:
    assert kind(headers) is Automatic.AUTO_REPLY


def test_a_read_receipt_is_automatic_but_not_a_bounce() -> None:
    assert (
        kind(content_type="multipart/report", report_type="disposition-notification")
        is Automatic.AUTO_REPLY
    )


@pytest.mark.parametrize(
    "headers, sender, content_type, report_type",
    [
        ({}, "a@example.org", "multipart/report", "delivery-status"),
        ({}, "a@example.org", "Multipart/Report", "Delivery-Status"),
        ({}, "MAILER-DAEMON@mx.example.org", "text/plain", None),
        ({}, "postmaster@example.org", "text/plain", None),
        ({"x-failed-recipients": "gone@example.org"}, "a@example.org", "text/plain", None),
        # A bounce often says Auto-Submitted too: it is still a bounce.
        ({"auto-submitted": "auto-replied"}, "mailer-daemon@x.org", "text/plain", None),
    ],
)
def test_bounces(
    headers: dict[str, str], sender: str, content_type: str, report_type: str | None
) -> None:
    assert kind(headers, sender=sender, content_type=content_type, report_type=report_type) is (
        Automatic.BOUNCE
    )


def message(sender: str, automatic: Automatic = Automatic.NONE) -> InboundMessage:
    return InboundMessage(
        message_id="<m@example.org>",
        in_reply_to=None,
        references=(),
        subject="",
        sender_address=sender,
        sender_name="",
        date=None,
        text="",
        automatic=automatic,
    )


OURS = ["الدعم الفني <support@helpdesk.example.org>"]


def test_who_may_be_answered() -> None:
    assert may_answer(message("ahmed@example.org"), ["support@helpdesk.example.org"])
    assert not may_answer(message("ahmed@example.org", Automatic.AUTO_REPLY), [])
    assert not may_answer(message("ahmed@example.org", Automatic.BOUNCE), [])
    assert not may_answer(message("Support@Helpdesk.Example.org"), ["support@helpdesk.example.org"])
    assert not may_answer(message(""), [])
    for nobody in ("noreply@x.org", "no-reply@x.org", "do-not-reply@x.org", "postmaster@x.org"):
        assert not may_answer(message(nobody), []), nobody
