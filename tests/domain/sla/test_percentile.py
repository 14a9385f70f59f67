"""The report's percentiles interpolate between the nearest ranks, like PostgreSQL's
percentile_cont and Python's inclusive quantiles."""

from __future__ import annotations

import statistics

from hypothesis import given
from hypothesis import strategies as st

from helpdesk.domain.reporting import MEDIAN, P90, percentile


def test_small_cases() -> None:
    assert percentile([], MEDIAN) is None
    assert percentile([7.0], P90) == 7.0
    assert percentile([10.0, 20.0, 40.0], MEDIAN) == 20.0
    assert percentile([10.0, 20.0, 40.0], P90) == 36.0  # 20 + 0.8 × 20
    assert percentile([100.0, 300.0], MEDIAN) == 200.0


@given(st.lists(st.integers(0, 10**6), min_size=2, max_size=60))
def test_agrees_with_inclusive_quantiles(values: list[int]) -> None:
    ordered = sorted(float(v) for v in values)
    deciles = statistics.quantiles(ordered, n=10, method="inclusive")
    assert abs(percentile(ordered, P90) - deciles[8]) < 1e-6  # type: ignore[operator]
    assert abs(percentile(ordered, MEDIAN) - statistics.median(ordered)) < 1e-6  # type: ignore[operator]
