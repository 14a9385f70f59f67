"""Our Message-IDs, threading a reply back to its ticket, and what we send."""

from __future__ import annotations

import uuid

import pytest

from helpdesk.domain.mail.message import Automatic, InboundMessage
from helpdesk.domain.mail.outgoing import notification_mail, refusal_mail
from helpdesk.domain.mail.threads import (
    mail_domain,
    new_message_id,
    thread_root_id,
    ticket_number_from_ids,
    ticket_number_of,
)
from helpdesk.domain.notices import Notice

DOMAIN = "helpdesk.example.org"
UNIQUE = uuid.UUID("5f0c3a9e-2b7d-4c1e-8a6f-9b0d3c2e1f40")


def test_mail_domain() -> None:
    assert mail_domain("support@Helpdesk.Example.org") == DOMAIN
    assert mail_domain("الدعم الفني <support@helpdesk.example.org>") == DOMAIN
    with pytest.raises(ValueError, match="no domain"):
        mail_domain("support")


def test_our_ids_name_the_ticket() -> None:
    message_id = new_message_id(UNIQUE, DOMAIN, 1234)
    assert message_id == f"<helpdesk.1234.l4gdvhrlpvgb5ctptmgtylq7ia@{DOMAIN}>"
    assert ticket_number_from_ids([message_id], DOMAIN) == 1234
    assert ticket_number_from_ids([thread_root_id(77, DOMAIN)], DOMAIN) == 77
    assert ticket_number_from_ids([new_message_id(UNIQUE, DOMAIN)], DOMAIN) is None
    assert ticket_number_from_ids([message_id.upper()], DOMAIN) == 1234


def test_ids_from_another_domain_or_of_another_shape_name_nothing() -> None:
    assert ticket_number_from_ids(["<helpdesk.1234@elsewhere.example.com>"], DOMAIN) is None
    assert ticket_number_from_ids(["<helpdesk.1234@helpdesk.example.org.evil.com>"], DOMAIN) is None
    assert ticket_number_from_ids(["<1234@helpdesk.example.org>"], DOMAIN) is None
    assert ticket_number_from_ids(["<helpdesk.12.xyz@helpdesk.example.org>"], DOMAIN) is None
    assert ticket_number_from_ids([f"<helpdesk.12.{UNIQUE.hex}@{DOMAIN}>"], DOMAIN) is None


def inbound(**fields: object) -> InboundMessage:
    values: dict[str, object] = {
        "message_id": "<their-1@example.org>",
        "in_reply_to": None,
        "references": (),
        "subject": "الطابعة لا تعمل",
        "sender_address": "ahmed@example.org",
        "sender_name": "أحمد",
        "date": None,
        "text": "",
    }
    values.update(fields)
    return InboundMessage(**values)  # type: ignore[arg-type]


def test_headers_win_over_the_subject_and_the_nearest_id_first() -> None:
    message = inbound(
        subject="RE: الطابعة [#9]",
        in_reply_to=new_message_id(UNIQUE, DOMAIN, 5),
        references=(thread_root_id(3, DOMAIN), new_message_id(UNIQUE, DOMAIN, 4)),
    )
    assert ticket_number_of(message, DOMAIN) == 5
    assert ticket_number_of(inbound(references=message.references), DOMAIN) == 4
    assert ticket_number_of(inbound(subject="RE: الطابعة [#9]"), DOMAIN) == 9
    assert ticket_number_of(inbound(), DOMAIN) is None


NOTICE = Notice(uuid.uuid4(), "status_changed", "تغيّرت حالة التذكرة #12 «الطابعة»", "تغيّرت الحالة.")


def test_a_notification_threads_under_its_ticket() -> None:
    mail = notification_mail(
        NOTICE,
        ticket_number=12,
        ticket_title="الطابعة لا تعمل",
        to_address="ahmed@example.org",
        to_name="أحمد",
        message_id=new_message_id(UNIQUE, DOMAIN, 12),
        domain=DOMAIN,
    )
    assert mail.subject == "الطابعة لا تعمل [#12]"
    assert (mail.heading, mail.body) == (NOTICE.title, NOTICE.body)
    assert mail.in_reply_to == thread_root_id(12, DOMAIN)
    assert mail.references == (thread_root_id(12, DOMAIN),)
    answered = notification_mail(
        NOTICE,
        ticket_number=12,
        ticket_title="الطابعة لا تعمل",
        to_address="ahmed@example.org",
        to_name="أحمد",
        message_id=new_message_id(UNIQUE, DOMAIN, 12),
        domain=DOMAIN,
        in_reply_to="<their-1@example.org>",
    )
    assert answered.in_reply_to == "<their-1@example.org>"
    assert answered.references == ("<their-1@example.org>", thread_root_id(12, DOMAIN))


def test_a_refusal_answers_the_message_and_says_why() -> None:
    message = inbound(subject="RE: Printer broken", references=("<older@example.org>",))
    mail = refusal_mail(
        message,
        ["يجب أن يُكتب النص بالعربية فقط دون حروف لاتينية"],
        message_id=new_message_id(UNIQUE, DOMAIN),
        own_addresses=["support@helpdesk.example.org"],
    )
    assert mail is not None
    assert mail.to_address == "ahmed@example.org"
    assert mail.subject == "رد: Printer broken"
    assert "- يجب أن يُكتب النص بالعربية فقط دون حروف لاتينية" in mail.body
    assert mail.in_reply_to == "<their-1@example.org>"
    assert mail.references == ("<older@example.org>", "<their-1@example.org>")


@pytest.mark.parametrize(
    "fields",
    [
        {"automatic": Automatic.AUTO_REPLY},
        {"automatic": Automatic.BOUNCE},
        {"sender_address": "support@helpdesk.example.org"},
        {"sender_address": "noreply@example.org"},
        {"sender_address": ""},
    ],
)
def test_no_refusal_is_sent_where_it_could_loop_or_reach_nobody(fields: dict[str, object]) -> None:
    mail = refusal_mail(
        inbound(**fields),
        ["سبب"],
        message_id=new_message_id(UNIQUE, DOMAIN),
        own_addresses=["الدعم الفني <support@helpdesk.example.org>"],
    )
    assert mail is None
