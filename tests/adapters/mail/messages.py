"""Messages built in the tests rather than stored: the 10 MB one (13 MB once base64-encoded,
too big to keep in the repository) and small ones whose only job is to be told apart."""

from __future__ import annotations

import base64
from email.message import EmailMessage
from email.policy import SMTP

TEN_MB = 10_000_000


def large_attachment_message(size: int = TEN_MB) -> bytes:
    """A short Arabic note with a `size`-byte PDF attached. Written out by hand: the email
    package's generator takes seconds to wrap 13 MB of base64."""
    pattern = bytes(range(256))
    data = b"%PDF-1.4\n" + (pattern * (size // len(pattern) + 1))[: size - 9]
    note = base64.encodebytes("مرفق ملف السجلات الكامل من خادم التطبيقات كما طلبتم.\n".encode())
    head = (
        "From: =?utf-8?b?2YfYp9mE2Kk=?= <hala@example.org>\r\n"
        "To: support@helpdesk.example.org\r\n"
        "Subject: =?utf-8?b?2LPYrNmE2KfYqiDYp9mE2K7Yp9iv2YUg2KfZhNmF2LfZhNmI2KjYqQ==?=\r\n"
        "Message-ID: <large-011@example.org>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="large-11"\r\n\r\n'
        "--large-11\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n"
    )
    attachment_head = (
        "--large-11\r\n"
        'Content-Type: application/pdf; name="logs.pdf"\r\n'
        'Content-Disposition: attachment; filename="logs.pdf"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n"
    )
    return b"".join(
        [
            head.encode(),
            note.replace(b"\n", b"\r\n"),
            attachment_head.encode(),
            base64.encodebytes(data).replace(b"\n", b"\r\n"),
            b"--large-11--\r\n",
        ]
    )


def numbered_message(number: int) -> bytes:
    message = EmailMessage()
    message["From"] = f"user{number}@example.org"
    message["To"] = "support@helpdesk.example.org"
    message["Subject"] = f"رسالة رقم {number}"
    message["Message-ID"] = f"<numbered-{number}@example.org>"
    message.set_content(f"نص الرسالة رقم {number}\n")
    return message.as_bytes(policy=SMTP)
