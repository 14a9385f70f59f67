"""Human labels: what a person says a ticket is about, beside what the model said.

A label comes from a person routing the ticket: an override may name the category outright,
and a department that handles exactly one category implies it (an override, or a PATCH that
moves the ticket there). The label keeps who set it and when; reclassification never replaces
it. A named category need not be one of the target department's: the label says what the ticket
is about, the department who handles it (`other` belongs to no department at all).

Resolved tickets that the router sent automatically and nobody moved are *not* labels: their
"category" would only repeat the model's answer, so counting them would flatter the model's
accuracy against human labels and, once trained on, harden its mistakes. They do count as
evidence that the routing was right (`domain/routing_quality.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from helpdesk.domain.departments import Department
from helpdesk.domain.taxonomy import Category
from helpdesk.domain.ticket import Ticket


@dataclass(frozen=True, slots=True)
class HumanLabel:
    category: Category
    by: UUID
    at: datetime


def implied_category(department: Department | None) -> Category | None:
    """The category a move to this department says the ticket is about: the department's only
    category, or None when it handles several (or none)."""
    if department is None or len(department.categories) != 1:
        return None
    return department.categories[0]


def label_for(
    named: Category | None, department: Department | None, *, by: UUID, at: datetime
) -> HumanLabel | None:
    """The label a routing decision by a person gives: the category they named, else the one
    the target department implies, else none."""
    category = named if named is not None else implied_category(department)
    return None if category is None else HumanLabel(category, by, at)


def apply_label(ticket: Ticket, label: HumanLabel | None) -> None:
    """Set the label on `ticket` (a copy being planned). Repeating the same category keeps who
    set it first and when; a different category replaces the earlier human label."""
    if label is None or ticket.human_category == label.category:
        return
    ticket.human_category = label.category
    ticket.human_category_by = label.by
    ticket.human_category_at = label.at
