"""The SLA clock of one ticket: its due times, pauses, first response and resolution.

Two targets run from the ticket's creation: the first response and the resolution. Each has a
warning instant (its `warning_percent` of the target) and a due instant. Only working time
counts, and time while the ticket waits on its requester (`waiting`) or stays resolved does not:
those halts are added to every target still running when the clock starts again.

Rules, in terms of the clock instant c (the start of the current halt, or now):
- a target is met when its event (first response, resolution) happens at or before its due time;
- it is breached once c is after its due time with the event still missing, or when the event
  came late; a breach is not undone by a pause or a reopen;
- the warning point is crossed once c reaches the warning instant.
All functions are pure: each takes a clock and returns a new one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from helpdesk.domain.sla.business_calendar import BusinessCalendar
from helpdesk.domain.sla.policy import SlaPolicy
from helpdesk.domain.sla.working_time import (
    ZERO,
    add_working_duration,
    as_utc,
    working_time_between,
)
from helpdesk.domain.taxonomy import FINISHED_STATUSES, TicketStatus


class SlaState(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BREACHED = "breached"
    PAUSED = "paused"
    MET = "met"


class Target(StrEnum):
    FIRST_RESPONSE = "first_response"
    RESOLUTION = "resolution"


class Point(StrEnum):
    WARNING = "warning"
    BREACH = "breach"


@dataclass(frozen=True, slots=True)
class Crossing:
    """A target's warning point or due time being passed: acted on once per ticket."""

    target: Target
    point: Point


@dataclass(frozen=True, slots=True)
class SlaTargets:
    """The policy's numbers as they were when the ticket was (re)targeted."""

    policy_id: UUID
    first_response_minutes: int
    resolution_minutes: int
    warning_percent: int

    @classmethod
    def of(cls, policy: SlaPolicy) -> SlaTargets:
        return cls(
            policy.id,
            policy.first_response_minutes,
            policy.resolution_minutes,
            policy.warning_percent,
        )

    def working_time(self, target: Target) -> timedelta:
        minutes = (
            self.first_response_minutes
            if target is Target.FIRST_RESPONSE
            else self.resolution_minutes
        )
        return timedelta(minutes=minutes)

    def warning_time(self, target: Target) -> timedelta:
        # Exact to the microsecond: minutes x percent x 60e6 / 100 is a whole number.
        return self.working_time(target) * self.warning_percent / 100


@dataclass(frozen=True, slots=True)
class SlaClock:
    started_at: datetime
    targets: SlaTargets | None = None
    first_response_warn_at: datetime | None = None
    first_response_due_at: datetime | None = None
    resolution_warn_at: datetime | None = None
    resolution_due_at: datetime | None = None
    first_responded_at: datetime | None = None
    resolved_at: datetime | None = None  # the current resolution; None while the ticket is open
    paused_since: datetime | None = None  # while `waiting`
    paused: timedelta = ZERO  # working time of the halts that ended (waits, resolved spells)
    # Working time from the start to the event, halts excluded (what reports add up).
    first_response_working: timedelta | None = None
    resolution_working: timedelta | None = None
    acted: frozenset[Crossing] = frozenset()

    def instant(self, now: datetime) -> datetime:
        """Where the clock stands: it does not move while halted."""
        return self.resolved_at or self.paused_since or now

    def warn_at(self, target: Target) -> datetime | None:
        if target is Target.FIRST_RESPONSE:
            return self.first_response_warn_at
        return self.resolution_warn_at

    def due_at(self, target: Target) -> datetime | None:
        if target is Target.FIRST_RESPONSE:
            return self.first_response_due_at
        return self.resolution_due_at

    def is_running(self, target: Target) -> bool:
        """Not yet met: the first response not given, or the ticket not resolved."""
        if target is Target.FIRST_RESPONSE:
            return self.first_responded_at is None
        return self.resolved_at is None

    def is_breached(self, target: Target, now: datetime) -> bool:
        due = self.due_at(target)
        if due is None:
            return False
        if target is Target.FIRST_RESPONSE and self.first_responded_at is not None:
            return self.first_responded_at > due
        return self.instant(now) > due

    def is_warned(self, target: Target, now: datetime) -> bool:
        warn = self.warn_at(target)
        return warn is not None and self.instant(now) >= warn


TARGETS = (Target.FIRST_RESPONSE, Target.RESOLUTION)
# Every crossing in a fixed order, for storage that keeps the acted-on set as bits.
CROSSINGS = tuple(Crossing(target, point) for target in TARGETS for point in Point)


def _with_times(
    clock: SlaClock, target: Target, warn: datetime | None, due: datetime | None
) -> SlaClock:
    if target is Target.FIRST_RESPONSE:
        return replace(clock, first_response_warn_at=warn, first_response_due_at=due)
    return replace(clock, resolution_warn_at=warn, resolution_due_at=due)


def elapsed_working_time(clock: SlaClock, calendar: BusinessCalendar, now: datetime) -> timedelta:
    """Working time the clock has run since the start, halts excluded."""
    return working_time_between(calendar, clock.started_at, clock.instant(now)) - clock.paused


def start_clock(
    created_at: datetime, policy: SlaPolicy | None, calendar: BusinessCalendar
) -> SlaClock:
    """The clock of a new ticket; with no policy it keeps time but has no due times."""
    clock = SlaClock(started_at=as_utc(created_at))
    if policy is None:
        return clock
    return _target(replace(clock, targets=SlaTargets.of(policy)), calendar, TARGETS)


def _target(clock: SlaClock, calendar: BusinessCalendar, which: tuple[Target, ...]) -> SlaClock:
    """Due times counted from the original start, with the halts so far added."""
    targets = clock.targets
    assert targets is not None
    for target in which:
        warn = add_working_duration(
            calendar, clock.started_at, targets.warning_time(target) + clock.paused
        )
        due = add_working_duration(
            calendar, clock.started_at, targets.working_time(target) + clock.paused
        )
        clock = _with_times(clock, target, warn, due)
    return clock


def retarget(
    clock: SlaClock, policy: SlaPolicy | None, calendar: BusinessCalendar, now: datetime
) -> SlaClock:
    """After a change of priority, department or category: the targets of the policy that now
    applies, counted from the original start with the paused time kept.

    A resolved ticket keeps its targets (they are settled), and so does a met first response.
    A crossing already acted on stays acted on while it is still crossed under the new times; one
    the new times put back in the future will be acted on again when it is reached.
    """
    if clock.resolved_at is not None:
        return clock
    now = as_utc(now)
    if policy is None:
        cleared = replace(clock, targets=None, acted=frozenset())
        for target in TARGETS:
            cleared = _with_times(cleared, target, None, None)
        return cleared
    first_settled = clock.first_responded_at is not None and clock.first_response_due_at is not None
    running = tuple(t for t in TARGETS if not (t is Target.FIRST_RESPONSE and first_settled))
    updated = _target(replace(clock, targets=SlaTargets.of(policy)), calendar, running)
    kept = frozenset(
        crossing
        for crossing in clock.acted
        if crossing.target not in running or _is_crossed(updated, crossing, now)
    )
    return replace(updated, acted=kept)


def _is_crossed(clock: SlaClock, crossing: Crossing, now: datetime) -> bool:
    if crossing.point is Point.BREACH:
        return clock.is_breached(crossing.target, now)
    return clock.is_warned(crossing.target, now)


def pause(clock: SlaClock, now: datetime) -> SlaClock:
    """The ticket waits on its requester: the clock stops."""
    if clock.paused_since is not None or clock.resolved_at is not None:
        return clock
    return replace(clock, paused_since=as_utc(now))


def _shift(
    clock: SlaClock, calendar: BusinessCalendar, target: Target, since: datetime, gap: timedelta
) -> SlaClock:
    """Move a running target's instants later by `gap` working time, except those already
    passed at `since` (a crossing that happened before the halt stays where it happened)."""
    warn, due = clock.warn_at(target), clock.due_at(target)
    if warn is not None and warn > since:
        warn = add_working_duration(calendar, warn, gap)
    if due is not None and due >= since:
        due = add_working_duration(calendar, due, gap)
    return _with_times(clock, target, warn, due)


def resume(clock: SlaClock, calendar: BusinessCalendar, now: datetime) -> SlaClock:
    """The wait is over: the paused working time is added to the running targets."""
    since = clock.paused_since
    if since is None:
        return clock
    gap = working_time_between(calendar, since, now)
    for target in TARGETS:
        if clock.is_running(target):
            clock = _shift(clock, calendar, target, since, gap)
    return replace(clock, paused_since=None, paused=clock.paused + gap)


def record_first_response(clock: SlaClock, calendar: BusinessCalendar, now: datetime) -> SlaClock:
    """The first public comment or status change by staff; later ones change nothing."""
    if clock.first_responded_at is not None:
        return clock
    now = as_utc(now)
    if clock.paused_since is not None:
        # Answered during a wait: the wait ends for this target, so its due time is compared
        # with the working time that really ran.
        gap = working_time_between(calendar, clock.paused_since, now)
        clock = _shift(clock, calendar, Target.FIRST_RESPONSE, clock.paused_since, gap)
    return replace(
        clock,
        first_responded_at=now,
        first_response_working=elapsed_working_time(clock, calendar, now),
    )


def resolve(clock: SlaClock, calendar: BusinessCalendar, now: datetime) -> SlaClock:
    """Resolved or closed: the resolution target is met or breached at this instant.

    Only staff resolve, so a resolution with no first response yet is also the first response;
    resolving from `waiting` ends the wait first.
    """
    if clock.resolved_at is not None:
        return clock
    now = as_utc(now)
    clock = record_first_response(clock, calendar, now)
    clock = resume(clock, calendar, now)
    return replace(
        clock,
        resolved_at=now,
        resolution_working=elapsed_working_time(clock, calendar, now),
    )


def reopen(clock: SlaClock, calendar: BusinessCalendar, now: datetime) -> SlaClock:
    """Back to work after a resolution: the resolution target runs on from where it stopped.

    The time the ticket spent resolved counts like a pause, so the working time used before the
    resolution still counts, and a resolution that was late stays late.
    """
    since = clock.resolved_at
    if since is None:
        return clock
    gap = working_time_between(calendar, since, now)
    clock = replace(clock, resolved_at=None, resolution_working=None)
    clock = _shift(clock, calendar, Target.RESOLUTION, since, gap)
    return replace(clock, paused=clock.paused + gap)


def follow_status(
    clock: SlaClock,
    calendar: BusinessCalendar,
    old: TicketStatus,
    new: TicketStatus,
    now: datetime,
    *,
    by_staff: bool,
) -> SlaClock:
    """What a status change does to the clock; a change made by staff is a first response."""
    if old == new:
        return clock
    if by_staff:
        clock = record_first_response(clock, calendar, now)
    if new in FINISHED_STATUSES:
        return resolve(clock, calendar, now)
    if old in FINISHED_STATUSES:
        clock = reopen(clock, calendar, now)
    if new is TicketStatus.WAITING:
        return pause(clock, now)
    return resume(clock, calendar, now)


def sla_state(clock: SlaClock, now: datetime) -> SlaState | None:
    """The state a ticket shows at `now`; None for a ticket without due times.

    Order: a breach of either target shows first (a ticket that waits or was resolved after a
    breach still shows it); then met for a resolved ticket, paused while waiting, at risk past a
    running target's warning point, and on track otherwise.
    """
    if clock.targets is None:
        return None
    now = as_utc(now)
    if any(clock.is_breached(target, now) for target in TARGETS):
        return SlaState.BREACHED
    if clock.resolved_at is not None:
        return SlaState.MET
    if clock.paused_since is not None:
        return SlaState.PAUSED
    if any(clock.is_running(t) and clock.is_warned(t, now) for t in TARGETS):
        return SlaState.AT_RISK
    return SlaState.ON_TRACK


def due_crossings(clock: SlaClock, now: datetime) -> tuple[Crossing, ...]:
    """The crossings to act on at `now`, each once: those of running targets that are passed and
    not yet acted on. A warning whose target is already breached is not sent (the breach says
    more); `mark_acted` retires it with the breach. A resolved ticket has nothing left to act on.
    """
    if clock.targets is None or clock.resolved_at is not None:
        return ()
    now = as_utc(now)
    due: list[Crossing] = []
    for target in TARGETS:
        if not clock.is_running(target):
            continue
        breach, warning = Crossing(target, Point.BREACH), Crossing(target, Point.WARNING)
        breached = clock.is_breached(target, now)
        if breached and breach not in clock.acted:
            due.append(breach)
        elif not breached and clock.is_warned(target, now) and warning not in clock.acted:
            due.append(warning)
    return tuple(due)


def mark_acted(clock: SlaClock, crossings: tuple[Crossing, ...]) -> SlaClock:
    """Record crossings as acted on; a breach also retires its target's warning."""
    acted = set(clock.acted)
    for crossing in crossings:
        acted.add(crossing)
        if crossing.point is Point.BREACH:
            acted.add(Crossing(crossing.target, Point.WARNING))
    return replace(clock, acted=frozenset(acted))


def next_check_at(clock: SlaClock) -> datetime | None:
    """The earliest instant at which a crossing may become due; None when nothing can.

    Storage keeps it in an indexed column, so a periodic pass reads only the tickets whose
    instant has come. A breach becomes due just after its due time, so a ticket read at exactly
    that instant has nothing to do yet and keeps its instant. While the ticket waits, only a
    crossing already passed before the wait began can still be due.
    """
    if clock.targets is None or clock.resolved_at is not None:
        return None
    halted = clock.paused_since
    candidates: list[datetime] = []
    for target in TARGETS:
        if not clock.is_running(target) or Crossing(target, Point.BREACH) in clock.acted:
            continue
        warn, due = clock.warn_at(target), clock.due_at(target)
        if due is not None and (halted is None or due < halted):
            candidates.append(due)
        warned = Crossing(target, Point.WARNING) in clock.acted
        if warn is not None and not warned and (halted is None or warn <= halted):
            candidates.append(warn)
    return min(candidates, default=None)
