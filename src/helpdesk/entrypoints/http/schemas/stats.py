"""HTTP shapes (msgspec Structs): reports."""

from __future__ import annotations

from uuid import UUID

import msgspec

from helpdesk.domain.taxonomy import Category, Priority


class ModesOut(msgspec.Struct):
    auto: int
    suggested: int
    manual: int


class RoutingModesOut(msgspec.Struct):
    total: int
    modes: ModesOut
    overridden: int


class BinOut(msgspec.Struct):
    lower: float
    upper: float
    count: int


class HistogramOut(msgspec.Struct):
    bins: list[BinOut]
    unclassified: int


class CategoryCountOut(msgspec.Struct):
    category: Category
    count: int


class TaxonomyOut(msgspec.Struct):
    categories: list[CategoryCountOut]
    unclassified: int


class DepartmentRateOut(msgspec.Struct):
    department_id: UUID
    name: str
    total: int
    overridden: int
    rate: float


class OverrideRateOut(msgspec.Struct):
    departments: list[DepartmentRateOut]


class AgentWorkloadOut(msgspec.Struct):
    agent_id: UUID
    full_name: str
    department_id: UUID | None
    open: int
    in_progress: int
    waiting: int
    total_active: int


class WorkloadOut(msgspec.Struct):
    agents: list[AgentWorkloadOut]


class SlaRowOut(msgspec.Struct):
    department_id: UUID | None
    priority: Priority
    total: int
    first_response_met: int
    first_response_breached: int
    resolution_met: int
    resolution_breached: int
    median_first_response_minutes: float | None
    p90_first_response_minutes: float | None
    median_resolution_minutes: float | None
    p90_resolution_minutes: float | None


class SlaStatsOut(msgspec.Struct):
    rows: list[SlaRowOut]


class CategoryQualityOut(msgspec.Struct):
    """Routing figures group tickets by the model's category; `labelled` and `model_accuracy`
    by the human's. Ratios are null when there is nothing to measure."""

    category: Category
    auto_routed: int
    moved: int  # auto-routed, later moved by a person
    auto_judged: int  # auto-routed tickets with a verdict (finished unmoved, moved, labelled)
    auto_precision: float | None
    suggested: int
    suggested_judged: int
    suggested_acceptance: float | None
    shadow: int
    shadow_judged: int
    shadow_precision: float | None
    labelled: int
    model_accuracy: float | None


class RoutingQualityOut(msgspec.Struct):
    categories: list[CategoryQualityOut]
