"""Per-account back-off after wrong passwords: a few mistakes are free, then each further one
locks the account for longer (30 s, 1 min, 2 min, … up to 15 min). A right password resets it.

Whoever guesses passwords for one account from many addresses meets this; the per-address rate
limit meets the rest."""

from __future__ import annotations

from datetime import datetime, timedelta

FREE_FAILURES = 5
FIRST_LOCK = timedelta(seconds=30)
LONGEST_LOCK = timedelta(minutes=15)


def lock_after(failures: int, now: datetime) -> datetime | None:
    """Until when an account with `failures` consecutive wrong passwords is locked (None: not)."""
    if failures < FREE_FAILURES:
        return None
    doublings = min(failures - FREE_FAILURES, 10)
    return now + min(FIRST_LOCK * (1 << doublings), LONGEST_LOCK)


def seconds_left(locked_until: datetime | None, now: datetime) -> int:
    """Whole seconds until the lock ends (at least 1 while it lasts); 0 when not locked."""
    if locked_until is None or locked_until <= now:
        return 0
    return max(1, int((locked_until - now).total_seconds() + 0.999))
