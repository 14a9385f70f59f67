"""What a worker keeps for a few seconds (`HELPDESK_PROFILE_CACHE_SECONDS`): the callers'
profiles, and the reference data every create reads (departments, SLA policies, department
calendars).

The SQL storage forgets a profile when a transaction that wrote it commits in this worker, and
on PostgreSQL when any worker's does (LISTEN/NOTIFY, `unit_of_work.py`); the reference data
likewise, all of it at once, when any of it is written. A change made around the service (SQL
by hand, another process on SQLite) is seen when the entry expires.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Iterable
from typing import Generic, TypeVar
from uuid import UUID

from helpdesk.domain.people import Profile

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class TtlCache(Generic[K, V]):
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
        self._entries: dict[K, tuple[float, V]] = {}
        self._version = 0
        self._suspended = False

    def get(self, key: K) -> V | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires, value = entry
        if self._clock() >= expires:
            del self._entries[key]
            return None
        return value

    def version(self) -> int:
        """Changes whenever anything is forgotten; read it before loading a value to keep."""
        return self._version

    def keep(self, key: K, value: V, version: int) -> None:
        """Keep `value`, unless something was forgotten since `version` was read (what was
        loaded may already be stale)."""
        if self._ttl <= 0 or self._suspended or version != self._version:
            return
        if len(self._entries) >= self._max:
            self._drop_expired()
            while len(self._entries) >= self._max:  # the oldest first
                del self._entries[next(iter(self._entries))]
        self._entries[key] = (self._clock() + self._ttl, value)

    def forget(self, keys: Iterable[K]) -> None:
        self._version += 1
        for key in keys:
            self._entries.pop(key, None)

    def clear(self) -> None:
        self._version += 1
        self._entries.clear()

    def suspend(self) -> None:
        """Keep nothing until `resume` (while changes from other workers cannot be heard)."""
        self._suspended = True
        self.clear()

    def resume(self) -> None:
        self.clear()
        self._suspended = False

    def _drop_expired(self) -> None:
        now = self._clock()
        for key in [k for k, (expires, _) in self._entries.items() if now >= expires]:
            del self._entries[key]


class TtlProfileCache(TtlCache[UUID, Profile]):
    """The callers' profiles (the application's `ProfileCache`)."""

    def put(self, profile: Profile, version: int) -> None:
        self.keep(profile.id, profile, version)
