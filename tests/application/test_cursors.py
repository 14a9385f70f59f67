"""Cursors are opaque, bound to their filters, and the same in every process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime

import pytest

from helpdesk.application.pagination import decode_cursor, encode_cursor
from helpdesk.domain.errors import ValidationFailed
from helpdesk.domain.keyset import Position

MAKE_CURSOR = """
import json, sys, uuid
from datetime import datetime
from helpdesk.application.pagination import encode_cursor
from helpdesk.domain.keyset import Position
from helpdesk.domain.taxonomy import TicketStatus
filters = {"where": {"statuses": frozenset(TicketStatus), "q": "طابعة"}, "scope": {"all": True}}
position = Position(datetime.fromisoformat(sys.argv[1]), uuid.UUID(sys.argv[2]))
print(encode_cursor(position, filters))
"""


def cursor_made_with_hash_seed(seed: str, position: Position) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    out = subprocess.run(
        [sys.executable, "-c", MAKE_CURSOR, position.created_at.isoformat(), str(position.id)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def test_a_cursor_made_by_one_worker_is_accepted_by_another() -> None:
    """Workers of `serve --workers N` (and restarts) hash sets in different orders."""
    from helpdesk.domain.taxonomy import TicketStatus

    position = Position(datetime(2026, 5, 1, tzinfo=UTC), uuid.uuid4())
    cursors = {cursor_made_with_hash_seed(seed, position) for seed in ("1", "2", "3", "4")}
    assert len(cursors) == 1
    filters = {"where": {"statuses": frozenset(TicketStatus), "q": "طابعة"}, "scope": {"all": True}}
    assert decode_cursor(cursors.pop(), filters) == position


def test_a_cursor_reused_with_other_filters_or_tampered_with_is_refused() -> None:
    position = Position(datetime(2026, 5, 1, tzinfo=UTC), uuid.uuid4())
    cursor = encode_cursor(position, {"q": "a"})
    with pytest.raises(ValidationFailed) as e:
        decode_cursor(cursor, {"q": "b"})
    assert e.value.errors[0].field == "cursor"
    for junk in ("", "not a cursor", cursor[:-3], json.dumps({"t": 1})):
        with pytest.raises(ValidationFailed):
            decode_cursor(junk, {"q": "a"})
