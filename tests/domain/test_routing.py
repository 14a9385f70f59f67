"""The routing table (docs/rules.md) as properties over random classifications and thresholds."""

from __future__ import annotations

import uuid

from hypothesis import given
from hypothesis import strategies as st

from helpdesk.domain.classification import Classification
from helpdesk.domain.departments import DepartmentDirectory
from helpdesk.domain.routing import Thresholds, decide
from helpdesk.domain.taxonomy import CATEGORIES, Category, RoutingMode, TicketStatus

from ..strategies import NOW, classifications, thresholds

IT = uuid.uuid4()
# Every category but `other` is handled, by one department for simplicity.
DIRECTORY = DepartmentDirectory(
    {c: IT for c in CATEGORIES if c is not Category.OTHER}, frozenset({IT})
)


def r(x: float) -> float:
    return round(x, 9)


@given(classifications(), thresholds())
def test_the_routing_table(c: Classification, t: Thresholds) -> None:
    d = decide(c, DIRECTORY, t)
    top = r(c.confidence)
    second = c.scores[1].confidence if len(c.scores) > 1 else 0.0
    margin = r(r(c.confidence) - r(second))
    assert d.confidence == c.confidence
    if top < r(t.suggest) or c.category is Category.OTHER:
        expected = RoutingMode.MANUAL
    elif top >= r(t.auto) and margin >= r(t.min_margin):
        expected = RoutingMode.AUTO
    else:
        expected = RoutingMode.SUGGESTED
    assert d.mode is expected
    assert d.department_id == (None if expected is RoutingMode.MANUAL else IT)
    assert d.status is (TicketStatus.OPEN if expected is RoutingMode.AUTO else TicketStatus.TRIAGE)
    assert d.reason.startswith(str(expected))
    assert str(c.category) in d.reason


@given(thresholds())
def test_no_classification_is_manual(t: Thresholds) -> None:
    d = decide(None, DIRECTORY, t)
    assert (d.mode, d.department_id, d.confidence) == (RoutingMode.MANUAL, None, None)
    assert "unavailable" in d.reason


def classified(**scores: float) -> Classification:
    return Classification.from_scores(
        {Category(k): v for k, v in scores.items()}, model="m", classified_at=NOW
    )


def test_margins_compare_after_rounding() -> None:
    # 0.90 - 0.80 is 0.09999999999999998 in floating point; it counts as 0.10.
    d = decide(classified(network=0.90, hardware=0.80), DIRECTORY, Thresholds())
    assert d.mode is RoutingMode.AUTO
    assert "margin 0.10" in d.reason


def test_each_row_names_its_numbers() -> None:
    assert decide(classified(network=0.5), DIRECTORY, Thresholds()).reason == (
        "manual: network confidence 0.50 is below the suggest threshold 0.55"
    )
    suggested = decide(classified(network=0.7), DIRECTORY, Thresholds())
    assert suggested.mode is RoutingMode.SUGGESTED and "0.70" in suggested.reason
    close = decide(classified(network=0.85, hardware=0.80), DIRECTORY, Thresholds())
    assert close.mode is RoutingMode.SUGGESTED and "margin 0.05" in close.reason
    nobody = decide(classified(other=0.99), DIRECTORY, Thresholds())
    assert (
        nobody.mode is RoutingMode.MANUAL and "no active department handles other" in nobody.reason
    )


@given(st.floats(0.0, 1.0, allow_nan=False))
def test_ties_go_to_the_earlier_category_of_the_taxonomy(p: float) -> None:
    c = classified(printing=p, network=p, email=p)
    assert c.category is Category.NETWORK
    assert [s.category for s in c.scores] == [Category.NETWORK, Category.EMAIL, Category.PRINTING]


def test_an_inactive_department_routes_nothing() -> None:
    empty = DepartmentDirectory()
    d = decide(classified(network=0.99), empty, Thresholds())
    assert d.mode is RoutingMode.MANUAL and d.department_id is None


def test_a_category_s_own_threshold_replaces_the_global_one() -> None:
    own = Thresholds(by_category={Category.NETWORK: 0.95, Category.HARDWARE: 0.60})
    held = decide(classified(network=0.90), DIRECTORY, own)
    assert held.mode is RoutingMode.SUGGESTED  # 0.90 reaches 0.80 but not network's own 0.95
    assert "0.95 (its own)" in held.reason
    assert decide(classified(network=0.96), DIRECTORY, own).mode is RoutingMode.AUTO
    assert decide(classified(hardware=0.65), DIRECTORY, own).mode is RoutingMode.AUTO
    # Categories without their own threshold keep the global one.
    assert decide(classified(printing=0.85), DIRECTORY, own).mode is RoutingMode.AUTO
    assert decide(classified(printing=0.75), DIRECTORY, own).mode is RoutingMode.SUGGESTED


def test_an_own_threshold_never_goes_below_suggesting() -> None:
    low = Thresholds(by_category={Category.NETWORK: 0.20})
    assert low.auto_for(Category.NETWORK) == 0.55
    assert decide(classified(network=0.40), DIRECTORY, low).mode is RoutingMode.MANUAL
    assert decide(classified(network=0.56), DIRECTORY, low).mode is RoutingMode.AUTO


def test_a_category_whose_target_was_unreachable_is_never_automatic() -> None:
    off = Thresholds(by_category={Category.NETWORK: None})
    d = decide(classified(network=0.99), DIRECTORY, off)
    assert (d.mode, d.department_id) == (RoutingMode.SUGGESTED, IT)
    assert "off for network" in d.reason


def test_shadow_mode_records_the_automatic_decision_and_sends_to_triage() -> None:
    shadow = Thresholds(shadow=frozenset({Category.NETWORK}))
    d = decide(classified(network=0.95), DIRECTORY, shadow)
    assert (d.mode, d.department_id, d.status, d.shadow) == (
        RoutingMode.SUGGESTED,
        IT,
        TicketStatus.TRIAGE,
        True,
    )
    assert d.reason.startswith("shadow: network confidence 0.95 reaches the auto threshold")
    # Below the auto threshold, shadow mode changes nothing: it is an ordinary suggestion.
    below = decide(classified(network=0.70), DIRECTORY, shadow)
    assert (below.mode, below.shadow) == (RoutingMode.SUGGESTED, False)
    # Other categories route as usual.
    other = decide(classified(printing=0.95), DIRECTORY, shadow)
    assert (other.mode, other.shadow) == (RoutingMode.AUTO, False)
