"""HTTP shapes (msgspec Structs): health."""

from __future__ import annotations

import msgspec


class LivenessOut(msgspec.Struct):
    status: str


class HealthOut(msgspec.Struct):
    status: str
    checks: dict[str, str]
