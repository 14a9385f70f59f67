"""The periodic runner: every registered job, each on its own interval, until told to stop.

One loop per job, so a slow job (an IMAP mailbox) never delays another (the SLA pass). Each
turn runs under the job's lock (`JobLocks`): whatever the number of `helpdesk worker` and
`helpdesk serve` processes, one of them runs a given job at a time, and the others skip that
turn. A turn that fails is logged and the job runs again at its next turn; the runner stops
only when asked. Time is read from the Clock port; waiting is a `Pause` (the real one waits on
the stop event, tests move their clock instead).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from helpdesk.application.ports.clock import Clock
from helpdesk.application.ports.jobs import JobLocks, PeriodicJob
from helpdesk.domain.errors import DependencyUnavailable

log = logging.getLogger("helpdesk.periodic")

# Waits `seconds` or until `stop` is set, whichever comes first.
Pause = Callable[[asyncio.Event, float], Awaitable[None]]


async def wait_or_stop(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=max(0.0, seconds))


class Outcome(StrEnum):
    RAN = "ran"
    SKIPPED = "skipped"  # another process held the job's lock
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Turn:
    job: str
    outcome: Outcome
    result: object = None


class PeriodicRunner:
    def __init__(
        self,
        jobs: Sequence[PeriodicJob | None],
        locks: JobLocks,
        clock: Clock,
        *,
        pause: Pause = wait_or_stop,
        on_turn: Callable[[Turn], None] | None = None,
    ) -> None:
        # A job provider may answer None when its feature is not configured (no mailbox).
        self.jobs: tuple[PeriodicJob, ...] = tuple(j for j in jobs if j is not None)
        names = [j.name for j in self.jobs]
        if len(set(names)) != len(names):
            raise ValueError(f"two periodic jobs share a name: {names}")
        self._locks = locks
        self._clock = clock
        self._pause = pause
        self._on_turn = on_turn

    async def turn(self, job: PeriodicJob) -> Turn:
        """One turn of one job under its lock; never raises for the job's own failure."""
        try:
            async with self._locks.exclusive(job.name) as held:
                if not held:
                    turn = Turn(job.name, Outcome.SKIPPED)
                else:
                    turn = Turn(job.name, Outcome.RAN, await job.run_once())
        except asyncio.CancelledError:
            raise
        except DependencyUnavailable as e:
            log.warning("periodic job %s: %s; trying again at its next turn", job.name, e)
            turn = Turn(job.name, Outcome.FAILED, e)
        except Exception as e:
            log.exception("periodic job %s failed; trying again at its next turn", job.name)
            turn = Turn(job.name, Outcome.FAILED, e)
        if turn.outcome is Outcome.RAN:
            log.info("periodic job %s: %s", job.name, turn.result)
        if self._on_turn is not None:
            self._on_turn(turn)
        return turn

    async def _loop(self, job: PeriodicJob, stop: asyncio.Event) -> None:
        while not stop.is_set():
            started = self._clock.now()
            await self.turn(job)
            if stop.is_set():
                return
            spent = (self._clock.now() - started).total_seconds()
            # Start to start: a pass that took longer than its interval is followed at once.
            await self._pause(stop, max(0.0, job.interval - spent))

    async def run(self, stop: asyncio.Event) -> None:
        """Run every job until `stop` is set; a turn under way finishes first."""
        if not self.jobs:
            log.info("no periodic jobs registered; waiting to be stopped")
            await stop.wait()
            return
        log.info(
            "periodic jobs: %s",
            ", ".join(f"{j.name} every {j.interval:g} s" for j in self.jobs),
        )
        async with asyncio.TaskGroup() as group:
            for job in self.jobs:
                group.create_task(self._loop(job, stop), name=f"periodic:{job.name}")
