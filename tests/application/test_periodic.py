"""The periodic runner: each job on its own interval, start to start, under its lock; a failing
turn is retried at the next one; a slow job delays no other. Time moves through the clock and
the runner's pause, never by sleeping."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import pytest

from helpdesk.adapters.storage.memory.unit_of_work import MemoryStorage
from helpdesk.application.periodic import Outcome, PeriodicRunner, Turn
from helpdesk.domain.errors import DependencyUnavailable


class Clock:
    def __init__(self) -> None:
        self.at = datetime(2026, 3, 5, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


class Job:
    def __init__(
        self, name: str, interval: float, clock: Clock, *, takes: float = 0.0, fails: int = 0
    ) -> None:
        self.name, self.interval = name, interval
        self._clock, self._takes, self._fails = clock, takes, fails
        self.started: list[datetime] = []

    async def run_once(self) -> dict[str, int]:
        self.started.append(self._clock.now())
        self._clock.advance(self._takes)
        if len(self.started) <= self._fails:
            raise RuntimeError("the job broke")
        return {"done": len(self.started)}


class MovingPause:
    """Moves the clock by the pause asked for; stops the runner after `turns` pauses."""

    def __init__(self, clock: Clock, turns: int) -> None:
        self.clock, self.turns = clock, turns
        self.asked: list[float] = []

    async def __call__(self, stop: asyncio.Event, seconds: float) -> None:
        self.asked.append(seconds)
        self.clock.advance(seconds)
        if len(self.asked) >= self.turns:
            stop.set()


async def test_turns_start_one_interval_after_the_previous_start() -> None:
    clock = Clock()
    job = Job("sla", 30, clock, takes=5)
    pause = MovingPause(clock, turns=3)
    await PeriodicRunner([job], MemoryStorage(), clock, pause=pause).run(asyncio.Event())
    assert pause.asked == [25, 25, 25]
    start = datetime(2026, 3, 5, 9, 0, tzinfo=UTC)
    assert job.started == [start + timedelta(seconds=s) for s in (0, 30, 60)]


async def test_a_turn_longer_than_the_interval_is_followed_at_once() -> None:
    clock = Clock()
    job = Job("sla", 30, clock, takes=45)
    pause = MovingPause(clock, turns=2)
    await PeriodicRunner([job], MemoryStorage(), clock, pause=pause).run(asyncio.Event())
    assert pause.asked == [0, 0]
    assert len(job.started) == 2


async def test_a_failing_turn_is_logged_and_the_job_runs_again(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    job = Job("sla", 30, clock, fails=1)
    turns: list[Turn] = []
    runner = PeriodicRunner(
        [job], MemoryStorage(), clock, pause=MovingPause(clock, turns=2), on_turn=turns.append
    )
    with caplog.at_level(logging.ERROR, logger="helpdesk.periodic"):
        await runner.run(asyncio.Event())
    assert [t.outcome for t in turns] == [Outcome.FAILED, Outcome.RAN]
    assert turns[1].result == {"done": 2}
    assert "periodic job sla failed" in caplog.text


async def test_a_lost_database_is_one_warning_and_the_next_turn_runs() -> None:
    clock = Clock()
    calls = 0

    class Flaky:
        name, interval = "sla", 10.0

        async def run_once(self) -> str:
            nonlocal calls
            calls += 1
            if calls == 1:
                raise DependencyUnavailable("database", "the database is unavailable")
            return "fine"

    turns: list[Turn] = []
    runner = PeriodicRunner(
        [Flaky()], MemoryStorage(), clock, pause=MovingPause(clock, 2), on_turn=turns.append
    )
    await runner.run(asyncio.Event())
    assert [(t.outcome, t.result if t.outcome is Outcome.RAN else None) for t in turns] == [
        (Outcome.FAILED, None),
        (Outcome.RAN, "fine"),
    ]


async def test_a_turn_is_skipped_while_another_holder_has_the_jobs_lock() -> None:
    clock = Clock()
    storage = MemoryStorage()
    job, other = Job("sla", 30, clock), Job("mail", 30, clock)
    runner = PeriodicRunner([job, other], storage, clock)
    async with storage.exclusive("sla") as held:
        assert held
        assert (await runner.turn(job)).outcome is Outcome.SKIPPED
        assert (await runner.turn(other)).outcome is Outcome.RAN  # another job's lock is free
    assert job.started == []
    assert (await runner.turn(job)).outcome is Outcome.RAN


async def test_a_slow_job_does_not_hold_up_another() -> None:
    clock = Clock()
    quick_turns = 0
    released = asyncio.Event()

    class Slow:
        name, interval = "mail", 60.0

        async def run_once(self) -> None:
            await released.wait()  # a mailbox that answers only after the SLA ran three times

    class Quick:
        name, interval = "sla", 30.0

        async def run_once(self) -> None:
            nonlocal quick_turns
            quick_turns += 1
            if quick_turns == 3:
                released.set()

    async def pause(stop: asyncio.Event, seconds: float) -> None:
        if released.is_set():
            stop.set()
        await asyncio.sleep(0)  # let the other loop take its turn

    await PeriodicRunner([Slow(), Quick()], MemoryStorage(), clock, pause=pause).run(
        asyncio.Event()
    )
    assert quick_turns >= 3


async def test_stopping_interrupts_the_wait_between_turns() -> None:
    clock = Clock()
    job = Job("sla", 3600, clock)  # the real pause: an hour, cut short by the stop
    stop = asyncio.Event()
    runner = PeriodicRunner([job], MemoryStorage(), clock, on_turn=lambda _: stop.set())
    await asyncio.wait_for(runner.run(stop), timeout=5)
    assert len(job.started) == 1


def test_jobs_not_configured_are_left_out_and_names_are_unique() -> None:
    clock = Clock()
    runner = PeriodicRunner([None, Job("sla", 30, clock)], MemoryStorage(), clock)
    assert [j.name for j in runner.jobs] == ["sla"]
    with pytest.raises(ValueError, match="share a name"):
        PeriodicRunner([Job("sla", 30, clock), Job("sla", 60, clock)], MemoryStorage(), clock)
