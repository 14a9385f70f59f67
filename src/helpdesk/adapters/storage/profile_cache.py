"""The callers' profiles a worker keeps for a few seconds (`HELPDESK_PROFILE_CACHE_SECONDS`).

The SQL storage forgets a profile when a transaction that wrote it commits in this worker, and
on PostgreSQL when any worker's does (LISTEN/NOTIFY, `unit_of_work.py`); a change made around
the service (SQL by hand, another process on SQLite) is seen when the entry expires.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from uuid import UUID

from helpdesk.domain.people import Profile


class TtlProfileCache:
    def __init__(
        self,
        ttl_seconds: float,
        *,
        max_entries: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl_seconds
        self._max = max_entries
        self._clock = clock
        self._entries: dict[UUID, tuple[float, Profile]] = {}
        self._version = 0
        self._suspended = False

    def get(self, user_id: UUID) -> Profile | None:
        entry = self._entries.get(user_id)
        if entry is None:
            return None
        expires, profile = entry
        if self._clock() >= expires:
            del self._entries[user_id]
            return None
        return profile

    def version(self) -> int:
        return self._version

    def put(self, profile: Profile, version: int) -> None:
        if self._ttl <= 0 or self._suspended or version != self._version:
            return
        if len(self._entries) >= self._max:
            self._drop_expired()
            while len(self._entries) >= self._max:  # the oldest first
                del self._entries[next(iter(self._entries))]
        self._entries[profile.id] = (self._clock() + self._ttl, profile)

    def forget(self, user_ids: Iterable[UUID]) -> None:
        self._version += 1
        for user_id in user_ids:
            self._entries.pop(user_id, None)

    def suspend(self) -> None:
        """Keep nothing until `resume` (while changes from other workers cannot be heard)."""
        self._suspended = True
        self._version += 1
        self._entries.clear()

    def resume(self) -> None:
        self._version += 1
        self._entries.clear()
        self._suspended = False

    def _drop_expired(self) -> None:
        now = self._clock()
        for user_id in [k for k, (expires, _) in self._entries.items() if now >= expires]:
            del self._entries[user_id]
