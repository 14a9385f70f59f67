"""Mail server URLs: what they mean, and one clear line when they are wrong."""

from __future__ import annotations

import pytest

from helpdesk.adapters.mail.endpoints import parse_imap_url, parse_smtp_url


def test_imap_urls() -> None:
    plain = parse_imap_url("imap://helpdesk:s3cret@mail.example.org/Support")
    assert (plain.host, plain.port, plain.folder) == ("mail.example.org", 143, "Support")
    assert (plain.username, plain.password) == ("helpdesk", "s3cret")
    assert not plain.implicit_tls and not plain.starttls and not plain.secure
    tls = parse_imap_url("imaps://helpdesk:s3cret@mail.example.org")
    assert (tls.port, tls.folder, tls.implicit_tls) == (993, "INBOX", True)
    upgraded = parse_imap_url("imap://helpdesk:s3cret@mail.example.org:1143/?starttls=true")
    assert (upgraded.port, upgraded.starttls, upgraded.secure) == (1143, True, True)


def test_percent_encoded_credentials_and_folder() -> None:
    endpoint = parse_imap_url(
        "imap://support%40example.org:p%40ss%2Fw%3Ard@mail.example.org/%D8%A7%D9%84%D8%AF%D8%B9%D9%85"
    )
    assert endpoint.username == "support@example.org"
    assert endpoint.password == "p@ss/w:rd"
    assert endpoint.folder == "الدعم"


def test_the_password_never_shows() -> None:
    endpoint = parse_imap_url("imap://helpdesk:very-secret@mail.example.org/INBOX")
    assert "very-secret" not in str(endpoint)
    assert "very-secret" not in repr(endpoint)
    assert str(endpoint) == "imap://helpdesk@mail.example.org:143/INBOX"


def test_smtp_urls() -> None:
    assert parse_smtp_url("smtp://relay.example.org").port == 25
    assert parse_smtp_url("smtp://relay.example.org").username is None
    submission = parse_smtp_url("smtp://u:p@relay.example.org:587?starttls=true")
    assert (submission.port, submission.starttls) == (587, True)
    assert parse_smtp_url("smtps://u:p@relay.example.org").port == 465


@pytest.mark.parametrize(
    "url, message",
    [
        ("http://u:p@mail.example.org", "scheme must be imap or imaps"),
        ("imap://mail.example.org/INBOX", "user and password"),
        ("imap://u@mail.example.org/INBOX", "user and password"),
        ("imap://u:p@/INBOX", "no host"),
        ("imap://u:p@mail.example.org:99999/", "not a valid URL"),
        ("imaps://u:p@mail.example.org?starttls=true", "TLS already"),
        ("imap://u:p@mail.example.org?starttls=maybe", "starttls must be true or false"),
        ("imap://u:p@mail.example.org?tls=true", "unknown parameter 'tls'"),
    ],
)
def test_bad_imap_urls(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as raised:
        parse_imap_url(url)
    assert str(raised.value).startswith("HELPDESK_MAIL_IMAP_URL: ")
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    "url, message",
    [
        ("imap://relay.example.org", "scheme must be smtp or smtps"),
        ("smtp://relay.example.org/INBOX", "no path"),
        ("smtp://user@relay.example.org", "without a password"),
    ],
)
def test_bad_smtp_urls(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_smtp_url(url)
