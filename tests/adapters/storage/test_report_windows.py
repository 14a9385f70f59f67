"""Reports over many days, after tickets changed: every adapter answers what counting the
tickets themselves answers, for windows that cut days in half, start or end at midnight, or
have no end. (The SQL adapter reads whole days from counts kept by triggers and the partial days
from the tickets; a count that drifted on an update or a wrong day boundary shows here.)"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from helpdesk.application.ports.storage.stats import StatsWindow
from helpdesk.domain.reporting import confidence_bin
from helpdesk.domain.taxonomy import Category, Role, RoutingMode
from helpdesk.domain.ticket import Ticket

from .builders import T0, department, manual_ticket, profile, seed, ticket

MIDNIGHT = T0.replace(hour=0)
CONFIDENCES = (0.0, 0.155, 0.2999995, 0.3, 0.5, 0.61, 0.75, 0.999, 1.0, 0.42)


def _inside(t: Ticket, window: StatsWindow) -> bool:
    return (
        (window.department_id is None or t.department_id == window.department_id)
        and (window.created_from is None or t.created_at >= window.created_from)
        and (window.created_to is None or t.created_at < window.created_to)
    )


def _expected(tickets: list[Ticket], window: StatsWindow, bins: int) -> dict[str, Any]:
    chosen = [t for t in tickets if _inside(t, window)]
    histogram = [0] * bins
    for t in chosen:
        if t.routing_confidence is not None:
            histogram[confidence_bin(t.routing_confidence, bins)] += 1
    categories = Counter(t.category for t in chosen)
    return {
        "modes": (
            len(chosen),
            sum(t.router_mode is RoutingMode.AUTO for t in chosen),
            sum(t.router_mode is RoutingMode.SUGGESTED for t in chosen),
            sum(t.router_mode is RoutingMode.MANUAL for t in chosen),
            sum(t.routing_overridden for t in chosen),
        ),
        "histogram": (histogram, sum(t.routing_confidence is None for t in chosen)),
        "taxonomy": (
            {Category(c): n for c, n in categories.items() if c is not None},
            categories.get(None, 0),
        ),
        "rates": Counter(
            (t.department_id, t.routing_overridden) for t in chosen if t.department_id
        ),
    }


async def _actual(uow: Any, window: StatsWindow, bins: int) -> dict[str, Any]:
    modes = await uow.stats.routing_modes(window)
    rates: Counter[Any] = Counter()
    for r in await uow.stats.override_rate(window):
        rates[(r.department_id, True)] += r.overridden
        rates[(r.department_id, False)] += r.total - r.overridden
    return {
        "modes": (modes.total, modes.auto, modes.suggested, modes.manual, modes.overridden),
        "histogram": await uow.stats.confidence_histogram(window, bins),
        "taxonomy": await uow.stats.taxonomy(window),
        "rates": +rates,
    }


async def test_reports_over_days_match_the_tickets_after_changes(storage: Any) -> None:
    it, hr = department("it"), department("hr", (Category.HR,))
    submitter = profile(Role.END_USER)
    tickets: list[Ticket] = []
    for day in range(4):
        for hour, confidence in zip((0, 5, 11, 17, 23), CONFIDENCES[day : day + 5], strict=True):
            at = MIDNIGHT + timedelta(days=day, hours=hour, minutes=day)
            if hour == 0 and day == 2:
                at = MIDNIGHT + timedelta(days=2)  # exactly midnight
            tickets.append(ticket(submitter, at=at, confidence=confidence, department_id=it.id))
        tickets.append(manual_ticket(submitter, at=MIDNIGHT + timedelta(days=day, hours=12)))
    await seed(storage, it, hr, submitter, *tickets)

    # Humans and the router change tickets afterwards: each change moves a ticket between
    # report rows (department, overridden, router mode, category, confidence).
    moved = tickets[1].copy()
    moved.department_id, moved.routing_overridden = hr.id, True
    moved.routing_mode = RoutingMode.MANUAL
    reclassified = tickets[7].copy()
    reclassified.classification = ticket(
        submitter,
        confidence=0.58,
        category=Category.HR,
        mode=RoutingMode.SUGGESTED,
        department_id=hr.id,
    ).classification
    reclassified.routing_confidence, reclassified.router_mode = 0.58, RoutingMode.SUGGESTED
    routed = tickets[5].copy()  # the first day's manual ticket, routed by hand
    routed.department_id, routed.routing_overridden = it.id, True
    async with storage.unit_of_work() as uow:
        for changed in (moved, reclassified, routed):
            current = await uow.tickets.get(changed.id)
            assert current is not None
            changed.version = current.version + 1
            await uow.tickets.update(changed, expected_version=current.version)
        await uow.commit()
    for changed in (moved, reclassified, routed):
        tickets[[t.id for t in tickets].index(changed.id)] = changed

    day = timedelta(days=1)
    windows = [
        StatsWindow(),
        StatsWindow(it.id),
        StatsWindow(None, MIDNIGHT + timedelta(hours=10), MIDNIGHT + 2 * day + timedelta(hours=6)),
        StatsWindow(None, MIDNIGHT + day, MIDNIGHT + 3 * day),  # whole days only
        StatsWindow(hr.id, MIDNIGHT + timedelta(hours=3)),  # no end
        StatsWindow(None, None, MIDNIGHT + 2 * day),  # no start, ends at midnight
        StatsWindow(None, MIDNIGHT + 2 * day, MIDNIGHT + 2 * day + timedelta(hours=12)),
        StatsWindow(None, MIDNIGHT + day + timedelta(hours=1), MIDNIGHT + 2 * day),
        # The calendar's edges: no whole day follows a start on its last day.
        StatsWindow(None, datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)),
        StatsWindow(None, datetime.max.replace(hour=12, tzinfo=UTC)),
        StatsWindow(None, MIDNIGHT + timedelta(hours=3), datetime.max.replace(tzinfo=UTC)),
    ]
    async with storage.unit_of_work() as uow:
        for window in windows:
            for bins in (10, 7, 5):
                assert await _actual(uow, window, bins) == _expected(tickets, window, bins), (
                    window,
                    bins,
                )
