"""The policies a fresh installation starts with (seeded by `helpdesk seed` and `--demo`).

Targets are working minutes on the default calendar (8 working hours a day): an urgent ticket
is answered within half an hour and solved the same working day; a low one is answered within a
working day and solved within a working week.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from helpdesk.domain.sla.policy import BreachActions, Recipient, SlaPolicy
from helpdesk.domain.taxonomy import Priority

_ASSIGNEE_AND_QUEUE = (Recipient.ASSIGNEE, Recipient.DEPARTMENT)

# priority, Arabic name, first response, resolution, on breach
DEFAULT_POLICIES: tuple[tuple[Priority, str, int, int, BreachActions], ...] = (
    (
        Priority.URGENT,
        "الأولوية العاجلة",
        30,
        4 * 60,
        BreachActions(notify=(*_ASSIGNEE_AND_QUEUE, Recipient.ADMINS)),
    ),
    (
        Priority.HIGH,
        "الأولوية العالية",
        60,
        8 * 60,
        BreachActions(notify=_ASSIGNEE_AND_QUEUE, raise_priority=True),
    ),
    (
        Priority.MEDIUM,
        "الأولوية المتوسطة",
        4 * 60,
        3 * 8 * 60,
        BreachActions(notify=_ASSIGNEE_AND_QUEUE, raise_priority=True),
    ),
    (
        Priority.LOW,
        "الأولوية المنخفضة",
        8 * 60,
        5 * 8 * 60,
        BreachActions(notify=(Recipient.ASSIGNEE,), raise_priority=True),
    ),
)


def default_policies(ids: list[UUID], now: datetime) -> list[SlaPolicy]:
    """One priority-wide policy per priority; `ids` gives each its id, in the order above."""
    return [
        SlaPolicy(
            id=policy_id,
            name=name,
            priority=priority,
            first_response_minutes=first_response,
            resolution_minutes=resolution,
            on_breach=actions,
            created_at=now,
        )
        for policy_id, (priority, name, first_response, resolution, actions) in zip(
            ids, DEFAULT_POLICIES, strict=True
        )
    ]
