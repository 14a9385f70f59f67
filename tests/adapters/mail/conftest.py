"""Real mail servers for the adapter tests: dovecot (IMAP) per session, a fresh account per
test; a certificate authority for the TLS cases; the fixture messages under tests/fixtures/mail."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .certificates import Certificates, make_certificates
from .dovecot import Account, Dovecot

FIXTURES = Path(__file__).parents[2] / "fixtures" / "mail"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    server = Dovecot().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def account(dovecot: Dovecot) -> Account:
    return dovecot.new_account()


@pytest.fixture(scope="session")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return make_certificates(tmp_path_factory.mktemp("certificates"))
