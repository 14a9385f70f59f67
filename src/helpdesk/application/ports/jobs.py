"""Ports of the periodic work: a job, and the lock that lets one process at a time run it."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Protocol


class PeriodicJob(Protocol):
    """Work repeated every `interval` seconds (`helpdesk worker`, or `serve` with the inline
    scheduler). `run_once` does one pass and returns what it did (logged); it must be safe to
    run again after a failure or an interruption."""

    @property
    def name(self) -> str: ...

    @property
    def interval(self) -> float: ...

    async def run_once(self) -> object: ...


class JobLocks(Protocol):
    def exclusive(self, name: str) -> AbstractAsyncContextManager[bool]:
        """Hold the job's lock for the block: True when this process got it, False at once
        when another process (or task) holds it — that turn is then skipped, not waited for."""
        ...
