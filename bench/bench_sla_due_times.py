"""How long the working-time arithmetic takes for short and long targets.

Run: python bench/bench_sla_due_times.py
Prints, per target length, the median time of `add_working_time` on the default calendar
(Sunday–Thursday 08:00–16:00, Asia/Riyadh) from 200 start instants spread over a year, cold
(window cache emptied before each call) and warm (the same call again), and of
`working_time_between` over the same span. The walk is per calendar day, so the time grows with
the days a target spans, not with its minutes.
"""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime, timedelta

from helpdesk.domain.sla import working_time
from helpdesk.domain.sla.business_calendar import DEFAULT_CALENDAR
from helpdesk.domain.sla.working_time import add_working_time, working_time_between

TARGETS = {
    "30 min": 30,
    "1 working day": 8 * 60,
    "3 working days": 3 * 8 * 60,
    "20 working days": 20 * 8 * 60,
    "250 working days": 250 * 8 * 60,
}


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> None:
    starts = [datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=43 * i) for i in range(200)]
    print(f"{'target':>18} {'add cold':>10} {'add warm':>10} {'between':>10}")
    for label, minutes in TARGETS.items():
        cold, warm, between = [], [], []
        for start in starts:
            working_time._window.cache_clear()
            t0 = time.perf_counter()
            due = add_working_time(DEFAULT_CALENDAR, start, minutes)
            t1 = time.perf_counter()
            add_working_time(DEFAULT_CALENDAR, start, minutes)
            t2 = time.perf_counter()
            working_time._window.cache_clear()
            t3 = time.perf_counter()
            working_time_between(DEFAULT_CALENDAR, start, due)
            t4 = time.perf_counter()
            cold.append(t1 - t0)
            warm.append(t2 - t1)
            between.append(t4 - t3)
        print(
            f"{label:>18} {median_ms(cold):>8.3f}ms {median_ms(warm):>8.3f}ms"
            f" {median_ms(between):>8.3f}ms"
        )


if __name__ == "__main__":
    main()
