"""The routing decision: a pure function of a classification, the departments and thresholds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from uuid import UUID

from helpdesk.domain.classification import Classification
from helpdesk.domain.departments import DepartmentDirectory
from helpdesk.domain.errors import ValidationFailed
from helpdesk.domain.taxonomy import Category, RoutingMode, TicketStatus

# Comparisons are made on values rounded to this many decimals, so that 0.90 - 0.80 is a
# margin of exactly 0.10 rather than 0.09999999999999998.
PRECISION = 9


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The routing policy. `by_category`: a category's own auto threshold, computed from
    evidence (`helpdesk routing thresholds --apply`), where None turns automatic routing off for
    it (no threshold met the target on history); `shadow`: categories whose automatic decisions
    are only recorded, the ticket going to triage with the suggestion."""

    auto: float = 0.80
    suggest: float = 0.55
    min_margin: float = 0.10
    by_category: Mapping[Category, float | None] = field(default_factory=dict)
    shadow: frozenset[Category] = frozenset()

    def __post_init__(self) -> None:
        for name, value in (("auto", self.auto), ("suggest", self.suggest)):
            if not 0.0 <= value <= 1.0:
                raise ValidationFailed.of(f"{name}_threshold", "must be within [0, 1]")
        for category, own in self.by_category.items():
            if own is not None and not 0.0 <= own <= 1.0:
                raise ValidationFailed.of(f"threshold of {category}", "must be within [0, 1]")
        if not 0.0 <= self.min_margin <= 1.0:
            raise ValidationFailed.of("min_margin", "must be within [0, 1]")
        if self.suggest > self.auto:
            raise ValidationFailed.of(
                "suggest_threshold", "must not be greater than the auto threshold"
            )

    def auto_for(self, category: Category) -> float | None:
        """The auto threshold this category's confidence must reach (None: never automatic).
        A category's own threshold is never below the suggest threshold."""
        if category not in self.by_category:
            return self.auto
        own = self.by_category[category]
        return None if own is None else max(own, self.suggest)

    def with_categories(self, by_category: Mapping[Category, float | None]) -> Thresholds:
        return Thresholds(self.auto, self.suggest, self.min_margin, dict(by_category), self.shadow)


@dataclass(frozen=True, slots=True)
class RoutingDecision:
    mode: RoutingMode
    department_id: UUID | None
    confidence: float | None
    reason: str
    category: Category | None = None
    # True when the router would have routed automatically but the category is in shadow
    # mode: the decision is `suggested`, and the ticket waits in triage with the suggestion.
    shadow: bool = False

    @property
    def status(self) -> TicketStatus:
        """An automatic decision opens the ticket; anything else waits in triage."""
        return TicketStatus.OPEN if self.mode is RoutingMode.AUTO else TicketStatus.TRIAGE


def _r(value: float) -> float:
    return round(value, PRECISION)


def decide(
    classification: Classification | None,
    departments: DepartmentDirectory,
    thresholds: Thresholds,
) -> RoutingDecision:
    """Apply the routing table of docs/rules.md, first matching row wins."""
    if classification is None:
        return RoutingDecision(
            RoutingMode.MANUAL, None, None, "manual: the classifier was unavailable"
        )
    top, category = _r(classification.confidence), classification.category
    margin = _r(_r(classification.confidence) - _r(_second(classification)))
    confidence = classification.confidence
    if top < _r(thresholds.suggest):
        return RoutingDecision(
            RoutingMode.MANUAL,
            None,
            confidence,
            f"manual: {category} confidence {top:.2f} is below the suggest threshold "
            f"{thresholds.suggest:.2f}",
            category,
        )
    department_id = departments.by_category.get(category)
    if department_id is None:
        return RoutingDecision(
            RoutingMode.MANUAL,
            None,
            confidence,
            f"manual: no active department handles {category} (confidence {top:.2f})",
            category,
        )
    auto = thresholds.auto_for(category)
    own = " (its own)" if category in thresholds.by_category else ""
    if auto is not None and top >= _r(auto) and margin >= _r(thresholds.min_margin):
        reached = (
            f"{category} confidence {top:.2f} reaches the auto threshold {auto:.2f}{own} "
            f"with margin {margin:.2f} (minimum {thresholds.min_margin:.2f})"
        )
        if category in thresholds.shadow:
            return RoutingDecision(
                RoutingMode.SUGGESTED,
                department_id,
                confidence,
                f"shadow: {reached}; {category} is in shadow mode, so the ticket waits in "
                "triage with the suggestion",
                category,
                shadow=True,
            )
        return RoutingDecision(
            RoutingMode.AUTO, department_id, confidence, f"auto: {reached}", category
        )
    if auto is None:
        why = (
            f"confidence {top:.2f}: automatic routing is off for {category} (no threshold "
            "met the target precision on history)"
        )
    elif top >= _r(auto):
        why = (
            f"margin {margin:.2f} over the runner-up is below the minimum "
            f"{thresholds.min_margin:.2f}"
        )
    else:
        why = (
            f"confidence {top:.2f} is between the suggest threshold {thresholds.suggest:.2f} "
            f"and the auto threshold {auto:.2f}{own}"
        )
    return RoutingDecision(
        RoutingMode.SUGGESTED, department_id, confidence, f"suggested: {category} {why}", category
    )


def _second(classification: Classification) -> float:
    return classification.scores[1].confidence if len(classification.scores) > 1 else 0.0
