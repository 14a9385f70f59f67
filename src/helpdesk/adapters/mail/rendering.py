"""An `OutgoingMail` as MIME: `multipart/alternative` with the plain text first and right-to-left
HTML second, UTF-8 in base64 throughout, and the headers that thread it and keep responders quiet:

- `Message-ID` as queued (on our domain), `In-Reply-To` and `References` as the mail says;
- `Auto-Submitted: auto-generated` (RFC 3834: automatic responders must not answer it) and
  `X-Auto-Response-Suppress: All` (Exchange's own switch for out-of-office replies);
- `Content-Language: ar`.
"""

from __future__ import annotations

from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from html import escape

from helpdesk.domain.mail.outgoing import AUTOMATED_FOOTER, OutgoingMail

_FONT = "Tahoma, 'Segoe UI', Arial, sans-serif"


def plain_text(mail: OutgoingMail) -> str:
    return f"{mail.heading}\n\n{mail.body.strip()}\n\n--\n{AUTOMATED_FOOTER}\n"


def html_text(mail: OutgoingMail) -> str:
    paragraphs = "\n".join(
        f'<p style="margin:0 0 12px 0">{"<br>".join(escape(line) for line in block.splitlines())}</p>'
        for block in mail.body.strip().split("\n\n")
        if block.strip()
    )
    return f"""<!DOCTYPE html>
<html dir="rtl" lang="ar">
<head><meta charset="utf-8"><title>{escape(mail.subject)}</title></head>
<body dir="rtl" style="direction:rtl; text-align:right; font-family:{_FONT}; font-size:15px; color:#222">
<h2 style="font-size:18px; margin:0 0 16px 0">{escape(mail.heading)}</h2>
{paragraphs}
<hr style="border:none; border-top:1px solid #ddd; margin:20px 0 8px 0">
<p style="font-size:12px; color:#777; margin:0">{escape(AUTOMATED_FOOTER)}</p>
</body>
</html>
"""


def render(mail: OutgoingMail, *, mail_from: str, now: datetime) -> EmailMessage:
    """`mail_from`: `HELPDESK_MAIL_FROM`, with or without a display name."""
    from_name, from_address = parseaddr(mail_from)
    message = EmailMessage()
    message["From"] = Address(display_name=from_name, addr_spec=from_address)
    message["To"] = Address(display_name=mail.to_name, addr_spec=mail.to_address)
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = mail.message_id
    if mail.in_reply_to:
        message["In-Reply-To"] = mail.in_reply_to
    if mail.references:
        message["References"] = " ".join(mail.references)
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    # base64, not 8bit: any server takes it (no 8BITMIME needed), and it is the shortest 7-bit
    # form of Arabic (quoted-printable would triple every letter).
    message.set_content(plain_text(mail), charset="utf-8", cte="base64")
    message.add_alternative(html_text(mail), subtype="html", charset="utf-8", cte="base64")
    message["Content-Language"] = "ar"  # after the content: set_content drops Content-* headers
    return message
