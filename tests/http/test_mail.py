"""The e-mail channel over HTTP: the admin's status document, a mailed ticket's channel and its
attachments, seen by whoever sees the ticket."""

from __future__ import annotations

import uuid
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

from dependency_injector import providers

from helpdesk.adapters.mail.attachment_store import FilesystemAttachmentStore
from helpdesk.adapters.mail.parsing import parse_message

from .conftest import World, assert_problem

STATUS_KEYS = {
    "last_poll_at",
    "taken",
    "tickets",
    "comments",
    "held",
    "refused",
    "ignored",
    "outbox_pending",
    "outbox_failed",
}


def test_status_channel_and_attachments(fresh_world: World, tmp_path: Path) -> None:
    w = fresh_world
    w.container.attachment_store.override(providers.Object(FilesystemAttachmentStore(tmp_path)))
    empty = w.request("GET", "/api/v1/mail/status", w.admin)
    assert empty.status_code == 200, empty.text
    assert empty.json() == dict.fromkeys(STATUS_KEYS, 0) | {"last_poll_at": None}
    web = w.file()
    assert web["channel"] == "web"

    message = EmailMessage()
    message["From"] = w.user.email
    message["Subject"] = "رد: الطابعة لا تطبع"
    message["Message-ID"] = "<http-mail@example.org>"
    message.set_content("الطابعة في الطابق الثالث لا تطبع أي مستند منذ الصباح.")
    message.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename="خطأ.pdf")
    parsed = parse_message(message.as_bytes(policy=SMTP))
    w.call(lambda: w.container.take_message().execute(parsed))
    w.call(lambda: w.container.take_message().execute(parsed))  # taken once

    status = w.request("GET", "/api/v1/mail/status", w.admin).json()
    assert set(status) == STATUS_KEYS
    assert (status["taken"], status["tickets"], status["held"]) == (1, 1, 0)
    assert status["outbox_pending"] >= 1  # the receipt, at least
    mailed = w.request("GET", "/api/v1/tickets?limit=1", w.user).json()["items"][0]
    assert (mailed["channel"], mailed["title"]) == ("email", "الطابعة لا تطبع")
    path = f"/api/v1/tickets/{mailed['id']}/attachments"
    listed = w.request("GET", path, w.user)
    assert listed.status_code == 200, listed.text
    [item] = listed.json()["items"]
    assert (item["filename"], item["content_type"], item["size"]) == (
        "خطأ.pdf",
        "application/pdf",
        8,
    )
    assert "key" not in item  # where it is stored is ours
    assert_problem(w.request("GET", path, w.other_user), 404)
    download = w.request("GET", f"{path}/{item['id']}", w.user)
    assert download.status_code == 200, download.text
    assert download.content == b"%PDF-1.4"
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"].startswith("attachment; filename*=UTF-8''")
    assert download.headers["x-content-type-options"] == "nosniff"
    assert_problem(w.request("GET", f"{path}/{item['id']}", w.other_user), 404)
    assert_problem(w.request("GET", f"{path}/{uuid.uuid4()}", w.user), 404)
    assert_problem(w.request("GET", f"{path}/not-a-uuid", w.user), 404)


def test_a_file_a_browser_would_render_is_served_as_plain_bytes() -> None:
    from helpdesk.entrypoints.http.tickets import download_type

    assert download_type("text/html; charset=utf-8") == "application/octet-stream"
    assert download_type("image/svg+xml") == "application/octet-stream"
    assert download_type("") == "application/octet-stream"
    assert download_type("image/png") == "image/png"


def test_held_mail_is_listed_for_admins_with_its_reason(fresh_world: World) -> None:
    w = fresh_world
    for n in range(3):
        message = EmailMessage()
        message["From"] = w.user.email
        message["Subject"] = "Printer broken"
        message["Message-ID"] = f"<held-{n}@example.org>"
        message.set_content(f"The printer does not print, take {n}.")
        parsed = parse_message(message.as_bytes(policy=SMTP))
        w.call(lambda m=parsed: w.container.take_message().execute(m))
    first = w.request("GET", "/api/v1/mail/held?limit=2", w.admin).json()
    assert [i["message_id"] for i in first["items"]] == [
        "<held-2@example.org>",
        "<held-1@example.org>",
    ]
    held = first["items"][0]
    assert held["outcome"] == "held" and "take 2" in held["body"]
    assert held["reason"]  # the text policy's refusal, in Arabic
    rest = w.request("GET", f"/api/v1/mail/held?cursor={first['next_cursor']}", w.admin).json()
    assert [i["message_id"] for i in rest["items"]] == ["<held-0@example.org>"]
    assert rest["next_cursor"] is None
