"""One inbound and one outbound mail pass against real servers: N small Arabic messages in a
throwaway dovecot mailbox become tickets in a fresh SQLite database (the classifier is down, so
no model time is counted), then their receipts go to an aiosmtpd sink.

Run: python bench/mail_passes.py [N]   (needs dovecot-imapd; see docs/mail.md)
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

from tests.adapters.mail.dovecot import Account, Dovecot
from tests.adapters.mail.messages import numbered_message
from tests.adapters.mail.smtp_sink import SmtpSink
from tests.application.world import Clock, ScriptedClassifier
from tests.wiring import wired

from helpdesk.adapters.storage.sql.migrate import upgrade_database
from helpdesk.adapters.storage.sql.unit_of_work import SqlStorage
from helpdesk.container import close_resources, open_resources


async def passes(dovecot: Dovecot, account: Account, sink: SmtpSink, url: str, n: int) -> None:
    storage = SqlStorage(url)
    clock = Clock()
    classifier = ScriptedClassifier(clock)
    classifier.answer = None
    container = wired(
        storage,
        classifier,
        None,
        mail_imap_url=dovecot.url(account),
        mail_smtp_url=sink.url(),
        mail_from="Helpdesk <support@helpdesk.example.org>",
        mail_attachments_dir=Path(tempfile.mkdtemp()),
    )
    await open_resources(container, ("mailbox",))
    try:
        started = time.perf_counter()
        fetched = await container.fetch_mail().execute()
        fetch_s = time.perf_counter() - started
        started = time.perf_counter()
        sent = await container.send_pending().execute()
        send_s = time.perf_counter() - started
    finally:
        await close_resources(container)
        await storage.dispose()
    print(f"fetch: {fetched.as_dict()} in {fetch_s:.2f} s ({fetch_s / n * 1000:.0f} ms a message)")
    per_mail = send_s / max(sent.sent, 1) * 1000
    print(f"send: {sent.as_dict()} in {send_s:.2f} s ({per_mail:.0f} ms a mail)")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    dovecot, sink = Dovecot().start(), SmtpSink().start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite+aiosqlite:///{folder}/mail.db"
            upgrade_database(url)
            account = dovecot.new_account()
            for i in range(n):
                dovecot.deliver(account, numbered_message(i))
            asyncio.run(passes(dovecot, account, sink, url, n))
    finally:
        sink.stop()
        dovecot.stop()


if __name__ == "__main__":
    main()
