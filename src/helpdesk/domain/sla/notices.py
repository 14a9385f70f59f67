"""SLA warnings and breaches, told in Arabic.

Due times are written in the ticket's calendar zone, where the department's people work, with
the weekday named: "الخميس 2026-03-05 الساعة 16:00".
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

# The ticket is named the same way as in every other notice.
from helpdesk.domain.notices import Notice, merge
from helpdesk.domain.notices import _ref as ticket_ref
from helpdesk.domain.sla.business_calendar import BusinessCalendar
from helpdesk.domain.sla.clock import Target
from helpdesk.domain.sla.escalation import Escalation
from helpdesk.domain.taxonomy import Priority
from helpdesk.domain.ticket import Ticket

SLA_WARNING = "sla_warning"
SLA_BREACH = "sla_breach"

WEEKDAY_NAMES = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")
PRIORITY_NAMES: dict[Priority, str] = {
    Priority.LOW: "منخفضة",
    Priority.MEDIUM: "متوسطة",
    Priority.HIGH: "عالية",
    Priority.URGENT: "عاجلة",
}


def local_time_text(calendar: BusinessCalendar, instant: datetime) -> str:
    local = instant.astimezone(calendar.zone)
    return f"{WEEKDAY_NAMES[local.weekday()]} {local:%Y-%m-%d} الساعة {local:%H:%M}"


def on_warning(
    ticket: Ticket,
    target: Target,
    due_at: datetime,
    calendar: BusinessCalendar,
    recipients: list[UUID],
) -> list[Notice]:
    when = local_time_text(calendar, due_at)
    if target is Target.FIRST_RESPONSE:
        title = f"اقترب موعد الرد الأول على التذكرة {ticket_ref(ticket)}"
        body = f"يحين موعد الرد الأول {when} ولم يُرسَل رد على مقدّم التذكرة بعد."
    else:
        title = f"اقترب موعد حل التذكرة {ticket_ref(ticket)}"
        body = f"يحين موعد حل التذكرة {when}."
    return merge([Notice(user, SLA_WARNING, title, body) for user in recipients])


def on_breach(
    ticket: Ticket,
    target: Target,
    due_at: datetime,
    calendar: BusinessCalendar,
    recipients: list[UUID],
    escalation: Escalation,
) -> list[Notice]:
    """`ticket` as it was at the breach (before the escalation's effects)."""
    when = local_time_text(calendar, due_at)
    if target is Target.FIRST_RESPONSE:
        title = f"تجاوزت التذكرة {ticket_ref(ticket)} موعد الرد الأول"
        body = f"كان موعد الرد الأول {when} ولم يُرسَل رد حتى الآن."
    else:
        title = f"تجاوزت التذكرة {ticket_ref(ticket)} موعد الحل"
        body = f"كان موعد حل التذكرة {when} ولم تُحل حتى الآن."
    if escalation.raise_to is not None:
        body += f" رُفعت أولويتها إلى «{PRIORITY_NAMES[escalation.raise_to]}»."
    if escalation.release:
        body += " أُعيدت إلى قائمة القسم لإسنادها من جديد."
    return merge([Notice(user, SLA_BREACH, title, body) for user in recipients])
