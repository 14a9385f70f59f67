"""The SLA clock under random ticket lives: status changes by staff and requesters, comments,
priority changes, and scheduler passes at random instants, against a model that keeps its own
record of the halts (waits and resolved spells)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from helpdesk.domain.sla.business_calendar import BusinessCalendar
from helpdesk.domain.sla.clock import (
    TARGETS,
    Crossing,
    Point,
    SlaClock,
    SlaState,
    Target,
    due_crossings,
    follow_status,
    mark_acted,
    next_check_at,
    record_first_response,
    retarget,
    sla_state,
    start_clock,
)
from helpdesk.domain.sla.policy import SlaPolicy
from helpdesk.domain.sla.working_time import is_working_instant, working_time_between
from helpdesk.domain.taxonomy import FINISHED_STATUSES, Priority, TicketStatus
from helpdesk.domain.ticket import TRANSITIONS

MICROSECOND = timedelta(microseconds=1)
T0 = datetime(2026, 1, 1, tzinfo=UTC)
POLICIES = (
    None,
    SlaPolicy(uuid.UUID(int=1), "عاجلة", Priority.URGENT, 30, 240, T0, warning_percent=75),
    SlaPolicy(uuid.UUID(int=2), "متوسطة", Priority.MEDIUM, 240, 1440, T0),
    SlaPolicy(uuid.UUID(int=3), "منخفضة", Priority.LOW, 480, 2400, T0, warning_percent=99),
)
CALENDARS = (
    BusinessCalendar.parse(holidays=["2026-03-08", "2026-10-25"]),
    BusinessCalendar.parse(timezone="Europe/Berlin", working_days=[1, 2, 3, 4, 5, 7]),
    BusinessCalendar.parse(
        timezone="America/New_York", working_days=[1, 2, 3, 4, 5, 6, 7], start="00:00", end="24:00"
    ),
)
# Around the spring and autumn clock changes of 2026 in Europe and North America.
STARTS = st.sampled_from(
    [datetime(2026, 3, 5, tzinfo=UTC), datetime(2026, 10, 22, tzinfo=UTC)]
).flatmap(lambda day: st.integers(0, 6 * 24 * 60).map(lambda m: day + timedelta(minutes=m)))


class TicketLife(RuleBasedStateMachine):
    @initialize(
        calendar=st.sampled_from(CALENDARS),
        policy=st.sampled_from(POLICIES),
        start=STARTS,
    )
    def file(self, calendar: BusinessCalendar, policy: SlaPolicy | None, start: datetime) -> None:
        self.calendar = calendar
        self.policy = policy
        self.now = start
        self.status = TicketStatus.OPEN
        self.clock: SlaClock = start_clock(start, policy, calendar)
        self.halts: list[tuple[datetime, datetime]] = []  # finished waits and resolved spells
        self.halted_since: datetime | None = None
        self.breached_since_retarget = False
        self.acts: dict[Crossing, int] = {}

    # --- the model -----------------------------------------------------------------------
    def halted_working_time(self) -> timedelta:
        return sum((working_time_between(self.calendar, a, b) for a, b in self.halts), timedelta(0))

    # --- what happens to a ticket --------------------------------------------------------
    @rule(minutes=st.integers(0, 3 * 24 * 60), seconds=st.integers(0, 59))
    def time_passes(self, minutes: int, seconds: int) -> None:
        self.now += timedelta(minutes=minutes, seconds=seconds)

    @rule(data=st.data(), by_staff=st.booleans())
    def status_changes(self, data: st.DataObject, by_staff: bool) -> None:
        new = data.draw(st.sampled_from(sorted(TRANSITIONS[self.status])))
        old = self.status
        self.clock = follow_status(self.clock, self.calendar, old, new, self.now, by_staff=by_staff)
        halts = old is TicketStatus.WAITING or old in FINISHED_STATUSES
        halted_now = new is TicketStatus.WAITING or new in FINISHED_STATUSES
        if (halts and not halted_now) or (old is TicketStatus.WAITING and new in FINISHED_STATUSES):
            assert self.halted_since is not None
            self.halts.append((self.halted_since, self.now))
            self.halted_since = None
        if halted_now and self.halted_since is None:
            self.halted_since = self.now
        self.status = new
        if new in FINISHED_STATUSES and old not in FINISHED_STATUSES:
            # The resolution's working time is the model's elapsed time.
            expected = (
                working_time_between(self.calendar, self.clock.started_at, self.now)
                - self.halted_working_time()
            )
            assert self.clock.resolution_working == expected
            assert self.clock.first_responded_at is not None

    @rule()
    def staff_comments_publicly(self) -> None:
        before = self.clock.first_responded_at
        self.clock = record_first_response(self.clock, self.calendar, self.now)
        assert self.clock.first_responded_at == (before or self.now)

    @rule(policy=st.sampled_from(POLICIES))
    def priority_changes(self, policy: SlaPolicy | None) -> None:
        self.clock = retarget(self.clock, policy, self.calendar, self.now)
        if self.status not in FINISHED_STATUSES:
            self.policy = policy
            self.breached_since_retarget = False
            self.acts = {c: n for c, n in self.acts.items() if c in self.clock.acted}

    @rule()
    def scheduler_pass(self) -> None:
        crossings = due_crossings(self.clock, self.now)
        if crossings:
            check = next_check_at(self.clock)
            assert check is not None and check <= self.now, "the due-soon index would miss it"
        for crossing in crossings:
            self.acts[crossing] = self.acts.get(crossing, 0) + 1
        self.clock = mark_acted(self.clock, crossings)
        assert due_crossings(self.clock, self.now) == ()

    # --- what must always hold -------------------------------------------------------------
    @invariant()
    def paused_time_is_the_working_time_of_the_halts(self) -> None:
        if hasattr(self, "clock"):
            assert self.clock.paused == self.halted_working_time()

    @invariant()
    def running_due_times_are_target_plus_halts_from_the_start(self) -> None:
        if not hasattr(self, "clock") or self.clock.targets is None:
            return
        targets = self.clock.targets
        for target in TARGETS:
            if not self.clock.is_running(target) or self.clock.is_breached(target, self.now):
                continue
            due = self.clock.due_at(target)
            assert due is not None
            counted = working_time_between(self.calendar, self.clock.started_at, due)
            assert counted == targets.working_time(target) + self.halted_working_time()
            assert is_working_instant(self.calendar, due - MICROSECOND)
            warn = self.clock.warn_at(target)
            assert warn is not None and warn < due
            if not self.clock.is_warned(target, self.now):
                counted = working_time_between(self.calendar, self.clock.started_at, warn)
                assert counted == targets.warning_time(target) + self.halted_working_time()

    @invariant()
    def the_state_matches_the_status(self) -> None:
        if not hasattr(self, "clock"):
            return
        state = sla_state(self.clock, self.now)
        if self.policy is None and self.status not in FINISHED_STATUSES:
            assert state is None
        if state is None:
            return
        if self.status in FINISHED_STATUSES:
            assert state in (SlaState.MET, SlaState.BREACHED)
        elif self.status is TicketStatus.WAITING:
            assert state in (SlaState.PAUSED, SlaState.BREACHED)
        else:
            assert state in (SlaState.ON_TRACK, SlaState.AT_RISK, SlaState.BREACHED)

    @invariant()
    def a_breach_stays_until_the_targets_change(self) -> None:
        if not hasattr(self, "clock"):
            return
        breached = sla_state(self.clock, self.now) is SlaState.BREACHED
        if self.breached_since_retarget:
            assert breached
        self.breached_since_retarget = breached

    @invariant()
    def each_crossing_is_acted_on_at_most_once(self) -> None:
        if hasattr(self, "acts"):
            assert all(n == 1 for n in self.acts.values()), self.acts
            # A warning is never sent after its target's breach.
            for crossing in self.acts:
                if crossing.point is Point.BREACH:
                    assert Crossing(crossing.target, Point.WARNING) in self.clock.acted


TicketLife.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_ticket_life = TicketLife.TestCase


def test_a_target_is_named_by_its_api_word() -> None:
    assert [str(t) for t in Target] == ["first_response", "resolution"]
