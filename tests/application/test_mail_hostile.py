"""A message holding what no storage keeps (a NUL in its subject, sender name, body or an
attachment's name) is taken like any other on SQLite and PostgreSQL: PostgreSQL refused the row,
so the poller failed on it at every poll."""

from __future__ import annotations

import asyncio
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

import pytest

from helpdesk.adapters.mail.parsing import parse_message
from helpdesk.adapters.storage.sql.unit_of_work import SqlStorage
from helpdesk.domain.mail.records import InboundOutcome

from .test_mail_channel import BODY, SUPPORT, Channel_
from .world import World

SUBJECT_WITH_NUL = "=?utf-8?q?=D8=A7=D9=84=D8=B7=D8=A7=D8=A8=D8=B9=D8=A9=00_=D9=84=D8=A7?="


def hostile(message_id: str) -> bytes:
    message = EmailMessage()
    message["From"] = "=?utf-8?q?Ahmad=00_Ali?= <employee@helpdesk.local>"
    message["To"] = SUPPORT
    message["Subject"] = SUBJECT_WITH_NUL
    message["Message-ID"] = message_id
    message.set_content(BODY + "\x00")
    message.add_attachment(b"data", maintype="text", subtype="plain", filename="log\x00.txt")
    return message.as_bytes(policy=SMTP)


def test_parsing_drops_what_no_storage_keeps() -> None:
    parsed = parse_message(hostile("<h1@example.org>"))
    texts = [parsed.subject, parsed.sender_name, parsed.text, parsed.attachments[0].filename]
    assert not any("\x00" in t for t in texts), texts
    assert parsed.subject == "الطابعة لا"
    assert parsed.sender_name == "Ahmad Ali"
    assert parsed.text.startswith(BODY)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_message_with_nul_characters_is_taken(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = request.getfixturevalue("sqlite_url" if kind == "sqlite" else "postgres_url")

    async def run() -> None:
        storage = SqlStorage(url)
        try:
            channel = Channel_(await World.build(storage), tmp_path)
            outcome = await channel.take(parse_message(hostile("<h2@example.org>")))
            assert outcome is InboundOutcome.TICKET
            [ticket] = await channel.tickets()
            assert "\x00" not in ticket.title + ticket.description
            record = await channel.record("<h2@example.org>")
            assert record.outcome is InboundOutcome.TICKET
        finally:
            await storage.dispose()

    asyncio.run(run())
