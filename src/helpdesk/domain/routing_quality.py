"""Evidence about routing: was the model's category right for a ticket, and which per-category
auto threshold would have reached a target precision on that evidence.

A ticket's verdict (`verdict`), in this order:
1. a human label says it: right when the human category is the model's;
2. the router placed it nowhere (manual): no verdict;
3. a person moved it away from the router's department: wrong;
4. routed automatically and finished (resolved or closed) where the router sent it: right —
   the department did the work without sending it on;
5. suggested, and taken out of triage in the suggested department: right (accepted);
6. anything else (still waiting, still being worked): no verdict yet.

Rule 4 is why resolved, unmoved, auto-routed tickets count as confirmed *routing*; they are not
human labels (`domain/labels.py`). The storage adapters compute the same verdict in SQL.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from helpdesk.domain.errors import ValidationFailed
from helpdesk.domain.taxonomy import (
    CATEGORIES,
    FINISHED_STATUSES,
    Category,
    RoutingMode,
    TicketStatus,
)
from helpdesk.domain.ticket import Ticket

# Below this many judged tickets a category gets no threshold of its own (the global one stays).
MIN_EVIDENCE = 20
# A threshold must keep at least this many judged tickets above it: the precision of the top
# two or three tickets says nothing.
MIN_SUPPORT = 10
# Confidences are judged in steps of a thousandth (rounded down), and thresholds are whole
# steps: finer would not change a routing decision anyone could tell apart, and the storage
# adapters can count the evidence per step instead of sending every ticket.
STEPS = 1000
# A hair of tolerance for binary fractions: 0.57 (0.56999999999999995 as a float) is step 570.
STEP_TOLERANCE = 1e-6


def verdict(
    *,
    model_category: Category | None,
    router_mode: RoutingMode,
    human_category: Category | None,
    moved: bool,
    status: TicketStatus,
) -> bool | None:
    """True (the model's category was right), False (wrong), None (no evidence yet)."""
    if model_category is None:
        return None
    if human_category is not None:
        return human_category == model_category
    if router_mode is RoutingMode.MANUAL:
        return None
    if moved:
        return False
    if router_mode is RoutingMode.AUTO:
        return True if status in FINISHED_STATUSES else None
    return True if status is not TicketStatus.TRIAGE else None


def ticket_verdict(ticket: Ticket) -> bool | None:
    return verdict(
        model_category=ticket.classification.category if ticket.classification else None,
        router_mode=ticket.router_mode,
        human_category=ticket.human_category,
        moved=ticket.moved_by_human,
        status=ticket.status,
    )


def ratio(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to measure."""
    return part / whole if whole else None


def confidence_step(confidence: float) -> int:
    """The confidence in thousandths, rounded down."""
    return math.floor(confidence * STEPS + STEP_TOLERANCE)


@dataclass(frozen=True, slots=True)
class Evidence:
    """`count` judged tickets of the model's category at this confidence (a step, or any value),
    right or wrong."""

    category: Category
    confidence: float
    correct: bool
    count: int = 1


@dataclass(frozen=True, slots=True)
class CategoryThreshold:
    """The auto threshold evidence gives a category.

    `threshold` None with `reached` False: no threshold met the target (automatic routing off);
    `enough` False: too little evidence to say anything (the global threshold stays).
    `precision` and `coverage` are what the threshold gave on history: the share of judged
    tickets at or above it that were right, and the share of all judged tickets it keeps.
    """

    category: Category
    threshold: float | None
    precision: float | None
    coverage: float | None
    evidence: int
    enough: bool

    @property
    def reached(self) -> bool:
        return self.threshold is not None


def threshold_for(
    category: Category,
    pairs: Iterable[tuple[float, bool]],
    target: float,
    *,
    floor: float = 0.0,
    min_evidence: int = MIN_EVIDENCE,
    min_support: int = MIN_SUPPORT,
) -> CategoryThreshold:
    """The lowest threshold at or above `floor` whose judged tickets (confidence ≥ threshold)
    were right at least `target` of the time, keeping at least `min_support` of them: the most
    tickets routed automatically while history says the target holds. Thresholds are whole
    steps (`confidence_step`)."""
    return _threshold(
        category,
        _tally((confidence_step(c), ok, 1) for c, ok in pairs),
        target,
        floor=floor,
        min_evidence=min_evidence,
        min_support=min_support,
    )


def _tally(items: Iterable[tuple[int, bool, int]]) -> dict[int, tuple[int, int]]:
    """step → (right, judged)."""
    tally: dict[int, tuple[int, int]] = {}
    for step, correct, count in items:
        right, judged = tally.get(step, (0, 0))
        tally[step] = (right + (count if correct else 0), judged + count)
    return tally


def _threshold(
    category: Category,
    tally: dict[int, tuple[int, int]],
    target: float,
    *,
    floor: float,
    min_evidence: int,
    min_support: int,
) -> CategoryThreshold:
    n = sum(judged for _, judged in tally.values())
    if n < min_evidence:
        return CategoryThreshold(category, None, None, None, n, enough=False)
    lowest = math.ceil(floor * STEPS - STEP_TOLERANCE)
    best: tuple[int, int, int] | None = None  # step, right, kept
    kept = right = 0
    for step in sorted(tally, reverse=True):
        if step < lowest:
            break
        right += tally[step][0]
        kept += tally[step][1]
        if kept >= min_support and right / kept >= target:
            best = (step, right, kept)
    if best is None:
        return CategoryThreshold(category, None, None, None, n, enough=True)
    step, right, kept = best
    return CategoryThreshold(category, step / STEPS, right / kept, kept / n, n, enough=True)


def thresholds_from_evidence(
    evidence: Iterable[Evidence],
    target: float,
    *,
    floor: float = 0.0,
    min_evidence: int = MIN_EVIDENCE,
    min_support: int = MIN_SUPPORT,
) -> list[CategoryThreshold]:
    """One `CategoryThreshold` per category, in taxonomy order."""
    if not 0.0 < target <= 1.0:
        raise ValidationFailed.of("target_precision", "must be within (0, 1]")
    per_category: dict[Category, list[tuple[int, bool, int]]] = defaultdict(list)
    for item in evidence:
        per_category[item.category].append(
            (confidence_step(item.confidence), item.correct, item.count)
        )
    return [
        _threshold(
            category,
            _tally(per_category.get(category, [])),
            target,
            floor=floor,
            min_evidence=min_evidence,
            min_support=min_support,
        )
        for category in CATEGORIES
    ]
