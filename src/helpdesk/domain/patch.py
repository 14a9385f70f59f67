"""Partial updates: a field the request did not mention is `KEEP`; an explicit null is `None`.

Every PATCH in the service (tickets, users, departments, quick actions) says "absent" this one
way, from the HTTP edge (which maps msgspec's UNSET to KEEP) down to the domain.
"""

from __future__ import annotations

from enum import Enum
from typing import Final, TypeVar

T = TypeVar("T")


class Keep(Enum):
    KEEP = "keep"


KEEP: Final = Keep.KEEP


def patched(current: T, requested: T | Keep) -> T:
    """The requested value, or the current one when the request did not mention the field."""
    return current if requested is KEEP else requested
