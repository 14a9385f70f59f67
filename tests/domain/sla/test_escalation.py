"""Who hears about a warning or a breach, in what words, what the escalation does, and what
the audit trail records."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from helpdesk.domain.routing import RoutingDecision
from helpdesk.domain.sla import audit as sla_audit
from helpdesk.domain.sla.business_calendar import DEFAULT_CALENDAR, BusinessCalendar
from helpdesk.domain.sla.clock import Target
from helpdesk.domain.sla.escalation import (
    Escalation,
    breach_recipients,
    escalation_for,
    warning_recipients,
)
from helpdesk.domain.sla.notices import (
    SLA_BREACH,
    SLA_WARNING,
    local_time_text,
    on_breach,
    on_warning,
)
from helpdesk.domain.sla.policy import BreachActions, Recipient
from helpdesk.domain.taxonomy import Priority, RoutingMode
from helpdesk.domain.ticket import Ticket

T = datetime(2026, 3, 5, 13, tzinfo=UTC)  # Thursday 16:00 in Riyadh
AGENT = uuid.UUID(int=1)
PEERS = [uuid.UUID(int=2), uuid.UUID(int=3)]
ADMINS = [uuid.UUID(int=9)]
SUBMITTER = uuid.UUID(int=7)
DEPT = uuid.UUID(int=100)


def ticket(assignee: uuid.UUID | None = AGENT) -> Ticket:
    t = Ticket.file(
        id=uuid.UUID(int=500),
        title="الطابعة لا تطبع",
        description="الطابعة في الطابق الثاني لا تطبع أي مستند منذ الصباح.",
        priority=Priority.HIGH,
        submitter_id=SUBMITTER,
        classification=None,
        decision=RoutingDecision(RoutingMode.AUTO, DEPT, 0.9, "auto"),
        assignee_id=assignee,
        now=T,
    )
    t.number = 42
    return t


def test_due_times_are_written_in_the_calendar_zone_with_the_weekday() -> None:
    assert local_time_text(DEFAULT_CALENDAR, T) == "الخميس 2026-03-05 الساعة 16:00"
    berlin = BusinessCalendar(timezone="Europe/Berlin")
    assert local_time_text(berlin, T) == "الخميس 2026-03-05 الساعة 14:00"


def test_a_warning_reaches_the_assignee_or_else_the_queue_or_else_the_admins() -> None:
    assert warning_recipients(assignee_id=AGENT, department_agents=PEERS, admins=ADMINS) == [AGENT]
    assert warning_recipients(assignee_id=None, department_agents=PEERS, admins=ADMINS) == PEERS
    assert warning_recipients(assignee_id=None, department_agents=[], admins=ADMINS) == ADMINS


def test_a_breach_reaches_whom_the_policy_names_each_once() -> None:
    everyone = (Recipient.ASSIGNEE, Recipient.DEPARTMENT, Recipient.ADMINS)
    assert breach_recipients(
        everyone, assignee_id=AGENT, department_agents=[AGENT, *PEERS], admins=ADMINS
    ) == [AGENT, *PEERS, *ADMINS]
    assert (
        breach_recipients(
            (Recipient.ADMINS,), assignee_id=AGENT, department_agents=PEERS, admins=ADMINS
        )
        == ADMINS
    )
    assert breach_recipients((), assignee_id=AGENT, department_agents=PEERS, admins=ADMINS) == []
    # "assignee" on an unassigned ticket: the department queue hears about it.
    assert (
        breach_recipients(
            (Recipient.ASSIGNEE,), assignee_id=None, department_agents=PEERS, admins=ADMINS
        )
        == PEERS
    )


def test_escalation_raises_one_level_and_releases_only_an_assigned_ticket() -> None:
    both = BreachActions(raise_priority=True, release=True)
    assert escalation_for(both, priority=Priority.HIGH, assignee_id=AGENT) == Escalation(
        Priority.URGENT, True
    )
    assert escalation_for(both, priority=Priority.URGENT, assignee_id=None) == Escalation(
        None, False
    )
    assert not escalation_for(both, priority=Priority.URGENT, assignee_id=None).changes_ticket
    assert escalation_for(BreachActions(), priority=Priority.LOW, assignee_id=AGENT) == Escalation()


def test_warning_texts_are_arabic_and_name_the_ticket_and_due_time() -> None:
    [first] = on_warning(ticket(), Target.FIRST_RESPONSE, T, DEFAULT_CALENDAR, [AGENT])
    assert first.kind == SLA_WARNING and first.user_id == AGENT
    assert first.title == "اقترب موعد الرد الأول على التذكرة #42 «الطابعة لا تطبع»"
    assert "الخميس 2026-03-05 الساعة 16:00" in first.body
    [resolution] = on_warning(ticket(), Target.RESOLUTION, T, DEFAULT_CALENDAR, [AGENT])
    assert resolution.title == "اقترب موعد حل التذكرة #42 «الطابعة لا تطبع»"


def test_breach_texts_say_what_the_escalation_did() -> None:
    notices = on_breach(
        ticket(),
        Target.RESOLUTION,
        T,
        DEFAULT_CALENDAR,
        [AGENT, *PEERS, AGENT],
        Escalation(Priority.URGENT, True),
    )
    assert [n.user_id for n in notices] == [AGENT, *PEERS]
    assert {n.kind for n in notices} == {SLA_BREACH}
    body = notices[0].body
    assert notices[0].title == "تجاوزت التذكرة #42 «الطابعة لا تطبع» موعد الحل"
    assert "رُفعت أولويتها إلى «عاجلة»" in body
    assert "أُعيدت إلى قائمة القسم" in body
    [plain] = on_breach(ticket(), Target.FIRST_RESPONSE, T, DEFAULT_CALENDAR, [AGENT], Escalation())
    assert plain.body == "كان موعد الرد الأول الخميس 2026-03-05 الساعة 16:00 ولم يُرسَل رد حتى الآن."


def test_audit_facts() -> None:
    policy_id = uuid.UUID(int=77)
    due = datetime(2026, 3, 9, 7, 30, tzinfo=UTC)
    warn = datetime(2026, 3, 9, 6, 42, tzinfo=UTC)
    fact = sla_audit.warning(Target.FIRST_RESPONSE, warn, due, policy_id)
    assert fact.action == "sla.warning"
    assert fact.metadata == {
        "target": "first_response",
        "warn_at": "2026-03-09T06:42:00+00:00",
        "due_at": "2026-03-09T07:30:00+00:00",
        "policy_id": str(policy_id),
    }
    breach = sla_audit.breached(Target.RESOLUTION, due, policy_id, [Recipient.ASSIGNEE])
    assert breach.action == "sla.breached"
    assert breach.metadata["notify"] == ["assignee"]
    escalated = sla_audit.escalated(
        Target.RESOLUTION,
        Escalation(Priority.URGENT, True),
        old_priority=Priority.HIGH,
        released_agent_id=AGENT,
    )
    assert escalated.action == "sla.escalated"
    assert escalated.metadata == {
        "target": "resolution",
        "priority": {"old": "high", "new": "urgent"},
        "released_agent_id": str(AGENT),
    }
    only_release = sla_audit.escalated(
        Target.RESOLUTION,
        Escalation(None, True),
        old_priority=Priority.URGENT,
        released_agent_id=AGENT,
    )
    assert only_release.metadata["priority"] is None


def test_local_time_is_that_of_the_zone_even_across_a_clock_change() -> None:
    new_york = BusinessCalendar(timezone="America/New_York", working_days=(1, 2, 3, 4, 5))
    before = datetime(2026, 3, 6, 14, tzinfo=ZoneInfo("America/New_York"))
    after = datetime(2026, 3, 9, 14, tzinfo=ZoneInfo("America/New_York"))
    assert local_time_text(new_york, before).endswith("الساعة 14:00")
    assert local_time_text(new_york, after).endswith("الساعة 14:00")
    assert local_time_text(new_york, after).startswith("الاثنين")
