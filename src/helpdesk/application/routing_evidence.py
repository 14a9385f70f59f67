"""Learning from history: per-category auto thresholds computed from evidence, the thresholds the
router applies, and the human-labelled tickets a model can be trained on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from helpdesk.application.ports.clock import Clock, IdSource
from helpdesk.application.ports.storage.routing import StoredThreshold
from helpdesk.application.ports.storage.stats import StatsWindow
from helpdesk.application.ports.storage.tickets import LabelledText
from helpdesk.application.ports.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from helpdesk.domain import audit
from helpdesk.domain.errors import FieldError, ValidationFailed
from helpdesk.domain.people import Actor
from helpdesk.domain.permissions import ADMINS, require_role
from helpdesk.domain.routing import Thresholds
from helpdesk.domain.routing_quality import (
    MIN_EVIDENCE,
    MIN_SUPPORT,
    CategoryThreshold,
    thresholds_from_evidence,
)
from helpdesk.domain.taxonomy import Category

# The admin audit names the routing policy as one entity.
ROUTING_POLICY_ID = UUID("6d0c3f0e-4b1a-5d8e-9a57-7a3f0c2b9e11")
THRESHOLDS_APPLIED = "routing.thresholds_applied"


class RoutingThresholdCache:
    """The stored per-category thresholds, read through a unit of work at most once per `ttl`
    (the router needs them on every create; they change only when someone applies new ones).
    Applying them in this process forgets the cache at once; another process (the command line
    beside a running server) is followed within `ttl`."""

    def __init__(self, clock: Clock, ttl: timedelta = timedelta(seconds=30)) -> None:
        self._clock = clock
        self._ttl = ttl
        self._by_category: dict[Category, float | None] | None = None
        self._read_at: datetime | None = None

    async def by_category(self, uow: UnitOfWork) -> dict[Category, float | None]:
        now = self._clock.now()
        if self._by_category is None or self._read_at is None or now - self._read_at >= self._ttl:
            stored = await uow.routing_thresholds.all()
            self._by_category = {t.category: t.auto_threshold for t in stored}
            self._read_at = now
        return self._by_category

    def forget(self) -> None:
        self._by_category = None


async def current_thresholds(
    uow: UnitOfWork, base: Thresholds, cache: RoutingThresholdCache | None = None
) -> Thresholds:
    """The settings' thresholds with each category's own stored threshold over them (read now,
    or through `cache`)."""
    if cache is not None:
        by_category = await cache.by_category(uow)
    else:
        by_category = {t.category: t.auto_threshold for t in await uow.routing_thresholds.all()}
    return base.with_categories(by_category) if by_category else base


@dataclass(frozen=True, slots=True)
class ComputeThresholds:
    target_precision: float
    apply: bool = False
    min_evidence: int = MIN_EVIDENCE
    min_support: int = MIN_SUPPORT


@dataclass(frozen=True, slots=True)
class ComputedThresholds:
    thresholds: list[CategoryThreshold]  # every category, in taxonomy order
    floor: float  # the suggest threshold: no category's own threshold goes below it
    applied: bool


def _check(command: ComputeThresholds) -> None:
    errors = []
    if not 0.0 < command.target_precision <= 1.0:
        errors.append(FieldError("target_precision", "must be within (0, 1]"))
    if command.min_evidence < 1:
        errors.append(FieldError("min_evidence", "must be at least 1"))
    if command.min_support < 1:
        errors.append(FieldError("min_support", "must be at least 1"))
    if errors:
        raise ValidationFailed(errors)


def _stored_json(thresholds: list[StoredThreshold]) -> dict[str, Any]:
    return {str(t.category): t.auto_threshold for t in thresholds}


class ComputeRoutingThresholdsUseCase:
    """`helpdesk routing thresholds`: per category, the lowest auto threshold that would have
    reached the target precision on the judged history; with `apply`, stored (replacing what was
    stored) and audited, in one unit of work. Categories with too little evidence are not stored:
    the global threshold stays theirs."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        ids: IdSource,
        *,
        thresholds: Thresholds,
        routing_cache: RoutingThresholdCache | None = None,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids
        self._thresholds = thresholds
        self._routing_cache = routing_cache

    def _compute(self, evidence: Any, command: ComputeThresholds) -> list[CategoryThreshold]:
        return thresholds_from_evidence(
            evidence,
            command.target_precision,
            floor=self._thresholds.suggest,
            min_evidence=command.min_evidence,
            min_support=command.min_support,
        )

    async def execute(self, actor: Actor, command: ComputeThresholds) -> ComputedThresholds:
        require_role(actor, ADMINS)
        _check(command)
        floor = self._thresholds.suggest
        if not command.apply:
            async with self._uow(read_only=True) as uow:
                evidence = await uow.stats.routing_evidence(StatsWindow())
            return ComputedThresholds(self._compute(evidence, command), floor, applied=False)
        async with self._uow() as uow:
            computed = self._compute(await uow.stats.routing_evidence(StatsWindow()), command)
            now = self._clock.now()
            stored = [
                StoredThreshold(
                    t.category,
                    t.threshold,
                    command.target_precision,
                    t.precision,
                    t.coverage,
                    t.evidence,
                    now,
                )
                for t in computed
                if t.enough
            ]
            before = await uow.routing_thresholds.all()
            await uow.routing_thresholds.replace_all(stored)
            old, new = _stored_json(before), _stored_json(stored)
            changes = {
                category: {"old": old.get(category), "new": new.get(category)}
                for category in sorted(set(old) | set(new))
                if (category in old, old.get(category)) != (category in new, new.get(category))
            }
            entry = audit.admin_action(
                actor,
                THRESHOLDS_APPLIED,
                "routing_thresholds",
                ROUTING_POLICY_ID,
                {
                    "changes": changes,
                    "target_precision": command.target_precision,
                    "thresholds": new,
                    "evidence": {str(t.category): t.evidence for t in computed if t.evidence},
                },
                now=now,
                new_id=self._ids.new_id,
            )
            await uow.audit.add_all([entry])
            await uow.commit()
        if self._routing_cache is not None:
            self._routing_cache.forget()
        return ComputedThresholds(computed, floor, applied=True)


class HumanLabelledTicketsUseCase:
    """The tickets whose category a human gave, for `helpdesk classifier train --from-database`."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def execute(self, actor: Actor) -> list[LabelledText]:
        require_role(actor, ADMINS)
        async with self._uow(read_only=True) as uow:
            return await uow.tickets.human_labelled()
