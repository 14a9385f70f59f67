"""Reporting rules that every storage adapter must compute alike (api.md, Stats)."""

from __future__ import annotations

import math

# Confidences are compared in millionths: api.md rounds them to 6 decimals before binning.
MICROS = 1_000_000


def override_rate(overridden: int, total: int) -> float:
    """The share of a department's tickets a human re-routed; 0 when it has none."""
    return round(overridden / total, 6) if total else 0.0


def confidence_bin(confidence: float, bins: int) -> int:
    """A confidence c (rounded to 6 decimals, half up) falls in bin min(floor(c × bins),
    bins − 1), so 1.0 is in the last bin. Integer arithmetic, so that SQL (which computes the
    same expression) and Python agree to the last ticket."""
    scaled = math.floor(confidence * MICROS + 0.5)
    return min(scaled * bins // MICROS, bins - 1)


# Percentiles as whole-number fractions (num/den), so that SQL can find the ranks with integer
# arithmetic the same way on every engine.
MEDIAN = (1, 2)
P90 = (9, 10)


def percentile(ordered: list[float], fraction: tuple[int, int]) -> float | None:
    """The value at `fraction` of the sorted values, interpolated linearly between the two
    nearest ranks (PostgreSQL's percentile_cont); None without values. With n values the
    position is fraction × (n − 1), counted from 0."""
    if not ordered:
        return None
    num, den = fraction
    scaled = num * (len(ordered) - 1)
    low, rest = divmod(scaled, den)
    below = ordered[low]
    above = ordered[low + 1] if low + 1 < len(ordered) else below
    return below + (rest / den) * (above - below)
