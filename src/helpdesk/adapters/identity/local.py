"""Argon2 password hashing for the local identity, off the event loop.

Each check takes ~100–200 ms of CPU: run on the event loop, a handful of wrong-password requests
would stall every other request of the worker. Hashes run in worker threads (argon2-cffi
releases the GIL), at most a few at a time, so a login storm queues behind itself only.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MAX_CONCURRENT_HASHES = 2


class Argon2PasswordHasher:
    def __init__(
        self, max_concurrent: int = MAX_CONCURRENT_HASHES, hasher: PasswordHasher | None = None
    ) -> None:
        """`hasher`: Argon2 with the library's recommended parameters unless given (tests pass
        cheap ones: what they check is the flow, not the cost)."""
        self._hasher = hasher or PasswordHasher()
        # A pool, not a semaphore: it bounds the work without tying the hasher to one event loop.
        self._pool = ThreadPoolExecutor(max_concurrent, thread_name_prefix="argon2")
        # Verified when the e-mail is unknown, so that it takes as long as a wrong password.
        self._dummy = self._hasher.hash("no such user")

    async def hash(self, password: str) -> str:
        return await asyncio.get_running_loop().run_in_executor(
            self._pool, self._hasher.hash, password
        )

    async def verify(self, password_hash: str | None, password: str) -> bool:
        return await asyncio.get_running_loop().run_in_executor(
            self._pool, self._check, password_hash, password
        )

    def _check(self, password_hash: str | None, password: str) -> bool:
        try:
            self._hasher.verify(password_hash or self._dummy, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
        return password_hash is not None
