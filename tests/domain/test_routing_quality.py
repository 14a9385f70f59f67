"""Routing evidence: the verdict on a ticket, and thresholds computed from (confidence,
correct) pairs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpdesk.domain.errors import ValidationFailed
from helpdesk.domain.routing_quality import (
    Evidence,
    confidence_step,
    threshold_for,
    thresholds_from_evidence,
    verdict,
)
from helpdesk.domain.taxonomy import CATEGORIES, Category, RoutingMode, TicketStatus

N = Category.NETWORK
S = TicketStatus
M = RoutingMode


def judge(**kw: object) -> bool | None:
    facts: dict[str, object] = dict(
        model_category=N, router_mode=M.AUTO, human_category=None, moved=False, status=S.OPEN
    )
    facts.update(kw)
    return verdict(**facts)  # type: ignore[arg-type]


def test_the_verdict_rules_in_order() -> None:
    assert judge(model_category=None, human_category=N) is None  # nothing to judge
    assert judge(human_category=N, moved=True) is True  # the human label decides first
    assert judge(human_category=Category.HARDWARE, status=S.RESOLVED) is False
    assert judge(router_mode=M.MANUAL, status=S.RESOLVED) is None
    assert judge(moved=True, status=S.RESOLVED) is False
    assert judge(status=S.RESOLVED) is True and judge(status=S.CLOSED) is True
    assert judge(status=S.IN_PROGRESS) is None  # auto-routed, not finished yet
    assert judge(router_mode=M.SUGGESTED, status=S.OPEN) is True  # accepted
    assert judge(router_mode=M.SUGGESTED, status=S.TRIAGE) is None
    assert judge(router_mode=M.SUGGESTED, status=S.TRIAGE, moved=True) is False


def pairs(*spec: tuple[float, int, int]) -> list[tuple[float, bool]]:
    """(confidence, right, wrong) → that many judged tickets at that confidence."""
    out: list[tuple[float, bool]] = []
    for confidence, right, wrong in spec:
        out += [(confidence, True)] * right + [(confidence, False)] * wrong
    return out


def test_the_lowest_threshold_that_keeps_the_target() -> None:
    history = pairs((0.95, 20, 0), (0.85, 18, 2), (0.70, 6, 4), (0.60, 2, 8))
    t = threshold_for(N, history, 0.9)
    # ≥ 0.85: 38 of 40 right (0.95); adding 0.70 gives 44/50 = 0.88 < 0.9.
    assert (t.threshold, t.precision, t.coverage, t.evidence) == (0.85, 0.95, 40 / 60, 60)
    assert t.reached and t.enough
    looser = threshold_for(N, history, 0.85)
    assert looser.threshold == 0.70 and looser.precision == pytest.approx(0.88)


def test_a_threshold_never_goes_below_the_floor_nor_keeps_too_few() -> None:
    history = pairs((0.95, 20, 0), (0.50, 20, 0))
    assert threshold_for(N, history, 0.9, floor=0.55).threshold == 0.95
    # Only three judged tickets above 0.9 are right: too few to trust.
    few = pairs((0.99, 3, 0), (0.80, 10, 10))
    t = threshold_for(N, few, 0.9, min_support=10)
    assert (t.threshold, t.enough, t.reached) == (None, True, False)


def test_too_little_evidence_says_nothing() -> None:
    t = threshold_for(N, pairs((0.99, 5, 0)), 0.9, min_evidence=20)
    assert (t.threshold, t.enough, t.evidence) == (None, False, 5)


def test_thresholds_are_whole_thousandths_rounded_down() -> None:
    t = threshold_for(N, pairs((0.876543, 20, 0)), 0.9)
    assert t.threshold == 0.876 and t.precision == 1.0
    # 0.57 is 0.56999999999999995 as a float: still step 570.
    assert confidence_step(0.57) == 570 and confidence_step(0.5699) == 569
    assert threshold_for(N, pairs((0.57, 20, 0)), 0.9).threshold == 0.57


def test_counted_evidence_gives_the_same_thresholds() -> None:
    one_by_one = [Evidence(N, 0.95, True)] * 18 + [Evidence(N, 0.95, False)] * 2
    counted = [Evidence(N, 0.95, True, 18), Evidence(N, 0.95, False, 2)]
    assert thresholds_from_evidence(one_by_one, 0.9) == thresholds_from_evidence(counted, 0.9)


def test_every_category_is_answered_in_taxonomy_order() -> None:
    evidence = [Evidence(N, 0.9, True)] * 25
    answers = thresholds_from_evidence(evidence, 0.9)
    assert [a.category for a in answers] == list(CATEGORIES)
    assert answers[0].threshold == 0.9 and not answers[1].enough
    with pytest.raises(ValidationFailed):
        thresholds_from_evidence(evidence, 0.0)


@given(
    st.lists(st.tuples(st.floats(0.0, 1.0), st.booleans()), max_size=80),
    st.floats(0.5, 1.0),
)
def test_a_threshold_meets_the_target_on_its_own_history(
    history: list[tuple[float, bool]], target: float
) -> None:
    t = threshold_for(N, history, target, min_evidence=1, min_support=1)
    if t.threshold is None:
        # No cut-off reaches the target: the precision above every judged step misses it.
        for cut, _ in history:
            above = [ok for c, ok in history if confidence_step(c) >= confidence_step(cut)]
            assert sum(above) / len(above) < target
        return
    step = confidence_step(t.threshold)
    above = [ok for c, ok in history if confidence_step(c) >= step]
    assert t.precision == sum(above) / len(above)
    assert t.coverage == len(above) / len(history)
