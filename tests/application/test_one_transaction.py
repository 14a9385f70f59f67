"""Every use case commits at most one unit of work: everything it writes commits together or not
at all. (A read-only unit of work before a slow external call, as in create, is allowed.)

The seeding use cases are batches of other use cases (each filed ticket or created user is its own
transaction) and are listed as such; every other use case of the container must have a scenario
here, so a new one cannot slip past the rule."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from dependency_injector import providers

from helpdesk.adapters.mail.parsing import parse_message
from helpdesk.adapters.storage.memory.unit_of_work import MemoryStorage
from helpdesk.application.admin_audit import ListAdminActions
from helpdesk.application.departments import CreateDepartment, UpdateDepartment
from helpdesk.application.mail.status import ListHeld
from helpdesk.application.notifications import ListNotifications
from helpdesk.application.ports.storage.tickets import AdminAuditFilter
from helpdesk.application.ports.tokens import TokenClaims
from helpdesk.application.quick_actions import NewQuickAction, QuickActionPatch
from helpdesk.application.routing_evidence import ComputeThresholds
from helpdesk.application.sla_admin import NewSlaPolicy, SlaPolicyPatch
from helpdesk.application.stats import Period
from helpdesk.application.tickets.comments import AddComment, ListComments
from helpdesk.application.tickets.create import CreateTicket
from helpdesk.application.tickets.override import OverrideRouting
from helpdesk.application.tickets.queries import ListTickets, TicketAudit
from helpdesk.application.tickets.reclassify import ReclassifyTicket
from helpdesk.application.tickets.update import UpdateTicket
from helpdesk.application.users.create import CreateUser
from helpdesk.application.users.manage import ListUsers, UpdateUser
from helpdesk.container import Container
from helpdesk.domain.changes import TicketUpdate
from helpdesk.domain.errors import NotFound, Unauthorized
from helpdesk.domain.sla.business_calendar import BusinessCalendar
from helpdesk.domain.taxonomy import Category, Priority, Role
from helpdesk.domain.users import ProfilePatch

from .world import DESCRIPTION, TITLE, World

# The mail passes take each message, and record each sent mail, in a unit of work of its own
# (take_message, below, is the one-message use case a fetch pass repeats).
BATCHES = {"seed_demo", "file_demo_tickets", "reseed_tickets", "fetch_mail", "send_pending"}
NOT_USE_CASES = {"profile_changes"}  # a step shared by two use cases, inside their transaction


class CountingStorage:
    """The memory storage, counting commits."""

    def __init__(self) -> None:
        self.inner = MemoryStorage()
        self.commits = 0

    def unit_of_work(self, *, read_only: bool = False) -> Any:
        uow = self.inner.unit_of_work(read_only=read_only)
        commit = uow.commit

        async def counted() -> None:
            self.commits += 1
            await commit()

        uow.commit = counted  # type: ignore[method-assign]
        return uow

    async def ping(self) -> None:
        await self.inner.ping()


@dataclass(frozen=True)
class Scenario:
    """`prepare` builds what the call needs (its commits are not counted); `call` runs the use
    case once."""

    call: Callable[[World, Any], Awaitable[Any]]
    prepare: Callable[[World], Awaitable[Any]] | None = None


def uc(w: World, name: str) -> Any:
    return getattr(w.use_cases, name)()


async def a_ticket(w: World) -> Any:
    return await w.file(network=0.95)


async def a_login(w: World) -> Any:
    return await uc(w, "create_user").execute(
        w.admin, CreateUser("login@example.com", "دخول", Role.END_USER, password="x" * 12)
    )


async def a_notification(w: World) -> Any:
    await a_ticket(w)
    return (await uc(w, "list_notifications").execute(w.user, ListNotifications())).items[0]


async def a_quick_action(w: World) -> Any:
    return (await uc(w, "list_quick_actions").execute(w.admin))[0]


async def a_suggested_ticket(w: World) -> Any:
    return await w.file(facilities=0.6)  # waits in the department's triage


async def wrong_password(w: World, _: Any) -> None:
    with pytest.raises(Unauthorized):
        await uc(w, "login").execute("login@example.com", "y" * 12)


async def a_policy(w: World) -> Any:
    return (await uc(w, "list_sla_policies").execute(w.admin))[0]


async def an_overdue_ticket(w: World) -> Any:
    ticket = await a_ticket(w)
    w.clock.at += timedelta(days=30)  # both targets breached: acted on together
    return ticket


def reclassify(w: World, ticket: Any) -> Awaitable[Any]:
    w.classifier.answer = {Category.FINANCE: 0.95}
    return uc(w, "reclassify_ticket").execute(w.admin, ReclassifyTicket(ticket.id))


def a_mail(subject: str = "الطابعة لا تطبع", body: str = DESCRIPTION) -> Any:
    message = EmailMessage()
    message["From"] = "employee@helpdesk.local"
    message["Subject"] = subject
    message["Message-ID"] = f"<{uuid.uuid4()}@example.org>"
    message.set_content(body)
    return parse_message(message.as_bytes())


async def gone_attachment(w: World, ticket: Any) -> None:
    with pytest.raises(NotFound):
        await uc(w, "get_attachment").execute(w.user, ticket.id, uuid.uuid4())


PERIOD = Period()
SCENARIOS: dict[str, Scenario] = {
    "check_health": Scenario(lambda w, _: uc(w, "check_health").execute()),
    "identify_caller": Scenario(
        lambda w, _: uc(w, "identify_caller").execute(TokenClaims(w.user.id, None, None))
    ),
    "current_profile": Scenario(lambda w, _: uc(w, "current_profile").execute(w.user)),
    "create_ticket": Scenario(
        lambda w, _: uc(w, "create_ticket").execute(
            w.user, CreateTicket(TITLE, DESCRIPTION, idempotency_key="k-1")
        )
    ),
    "get_ticket": Scenario(lambda w, t: uc(w, "get_ticket").execute(w.user, t.id), a_ticket),
    "list_tickets": Scenario(lambda w, _: uc(w, "list_tickets").execute(w.admin, ListTickets())),
    "update_ticket": Scenario(
        lambda w, t: uc(w, "update_ticket").execute(
            w.admin, UpdateTicket(t.id, TicketUpdate(priority=Priority.HIGH))
        ),
        a_ticket,
    ),
    "override_routing": Scenario(
        lambda w, t: uc(w, "override_routing").execute(
            w.admin, OverrideRouting(t.id, w.dept("finance"), "خطأ")
        ),
        a_ticket,
    ),
    "reclassify_ticket": Scenario(reclassify, a_ticket),
    "add_comment": Scenario(
        lambda w, t: uc(w, "add_comment").execute(w.user, AddComment(t.id, "شكرًا")), a_ticket
    ),
    "list_comments": Scenario(
        lambda w, t: uc(w, "list_comments").execute(w.user, ListComments(t.id)), a_ticket
    ),
    "ticket_audit": Scenario(
        lambda w, t: uc(w, "ticket_audit").execute(w.admin, TicketAudit(t.id)), a_ticket
    ),
    "classify_preview": Scenario(
        lambda w, _: uc(w, "classify_preview").execute(w.user, "الشبكة لا تعمل")
    ),
    "list_departments": Scenario(lambda w, _: uc(w, "list_departments").execute(w.user)),
    "get_department": Scenario(
        lambda w, _: uc(w, "get_department").execute(w.user, w.dept("finance"))
    ),
    "create_department": Scenario(
        lambda w, _: uc(w, "create_department").execute(
            w.admin, CreateDepartment("legal", "الشؤون القانونية")
        )
    ),
    "update_department": Scenario(
        lambda w, _: uc(w, "update_department").execute(
            w.admin, UpdateDepartment(w.dept("facilities"), is_active=False)
        ),
        a_suggested_ticket,
    ),
    "list_notifications": Scenario(
        lambda w, _: uc(w, "list_notifications").execute(w.user, ListNotifications())
    ),
    "unread_count": Scenario(lambda w, _: uc(w, "unread_count").execute(w.user)),
    "mark_read": Scenario(lambda w, n: uc(w, "mark_read").execute(w.user, n.id), a_notification),
    "mark_all_read": Scenario(lambda w, _: uc(w, "mark_all_read").execute(w.user), a_ticket),
    "list_quick_actions": Scenario(lambda w, _: uc(w, "list_quick_actions").execute(w.user)),
    "create_quick_action": Scenario(
        lambda w, _: uc(w, "create_quick_action").execute(
            w.admin, NewQuickAction("اختبار", "طلب اختبار", "وصف طلب الاختبار هنا")
        )
    ),
    "update_quick_action": Scenario(
        lambda w, a: uc(w, "update_quick_action").execute(
            w.admin, a.id, QuickActionPatch(position=99)
        ),
        a_quick_action,
    ),
    "delete_quick_action": Scenario(
        lambda w, a: uc(w, "delete_quick_action").execute(w.admin, a.id), a_quick_action
    ),
    "reseed_quick_actions": Scenario(lambda w, _: uc(w, "reseed_quick_actions").execute(w.admin)),
    "routing_modes_report": Scenario(
        lambda w, _: uc(w, "routing_modes_report").execute(w.admin, PERIOD)
    ),
    "confidence_histogram_report": Scenario(
        lambda w, _: uc(w, "confidence_histogram_report").execute(w.admin, PERIOD, 10)
    ),
    "taxonomy_report": Scenario(lambda w, _: uc(w, "taxonomy_report").execute(w.admin, PERIOD)),
    "override_rate_report": Scenario(
        lambda w, _: uc(w, "override_rate_report").execute(w.admin, PERIOD)
    ),
    "sla_report": Scenario(lambda w, _: uc(w, "sla_report").execute(w.admin, PERIOD), a_ticket),
    "agent_workload_report": Scenario(lambda w, _: uc(w, "agent_workload_report").execute(w.admin)),
    "routing_quality_report": Scenario(
        lambda w, _: uc(w, "routing_quality_report").execute(w.admin, PERIOD)
    ),
    "compute_routing_thresholds": Scenario(
        lambda w, _: uc(w, "compute_routing_thresholds").execute(
            w.admin, ComputeThresholds(0.9, apply=True)
        ),
        a_ticket,
    ),
    "human_labelled_tickets": Scenario(
        lambda w, _: uc(w, "human_labelled_tickets").execute(w.admin), a_ticket
    ),
    "list_admin_actions": Scenario(
        lambda w, _: uc(w, "list_admin_actions").execute(
            w.admin, ListAdminActions(AdminAuditFilter())
        )
    ),
    "delete_tickets": Scenario(lambda w, _: uc(w, "delete_tickets").execute(w.admin), a_ticket),
    "delete_notifications": Scenario(
        lambda w, _: uc(w, "delete_notifications").execute(w.admin), a_ticket
    ),
    "create_user": Scenario(
        lambda w, _: uc(w, "create_user").execute(
            w.admin,
            CreateUser("new@example.com", "جديد", Role.AGENT, w.dept("finance"), "p" * 10),
        )
    ),
    "list_users": Scenario(lambda w, _: uc(w, "list_users").execute(w.admin, ListUsers())),
    "update_user": Scenario(  # moving an agent releases their tickets, in the same transaction
        lambda w, _: uc(w, "update_user").execute(
            w.admin,
            UpdateUser(w.agents["it-support"][0].id, ProfilePatch(department_id=w.dept("finance"))),
        ),
        a_ticket,
    ),
    "deactivate_user": Scenario(
        lambda w, _: uc(w, "deactivate_user").execute(w.admin, w.agents["it-support"][0].id),
        a_ticket,
    ),
    "take_message": Scenario(lambda w, _: uc(w, "take_message").execute(a_mail())),
    "take_message (a reply)": Scenario(
        lambda w, ticket: uc(w, "take_message").execute(a_mail(f"رد [#{ticket.number}]")),
        a_ticket,
    ),
    "take_message (held, answered)": Scenario(
        lambda w, _: uc(w, "take_message").execute(a_mail("Printer", "The printer is broken"))
    ),
    "update_own_preferences": Scenario(
        lambda w, _: uc(w, "update_own_preferences").execute(w.user, email_notifications=False)
    ),
    "list_attachments": Scenario(
        lambda w, ticket: uc(w, "list_attachments").execute(w.user, ticket.id), a_ticket
    ),
    "get_attachment (a file that is gone)": Scenario(gone_attachment, a_ticket),
    "list_held_mail": Scenario(lambda w, _: uc(w, "list_held_mail").execute(w.admin, ListHeld())),
    "mail_status": Scenario(lambda w, _: uc(w, "mail_status").execute(w.admin)),
    "login": Scenario(lambda w, _: uc(w, "login").execute("login@example.com", "x" * 12), a_login),
    "login (a wrong password)": Scenario(wrong_password, a_login),
    "list_sla_policies": Scenario(lambda w, _: uc(w, "list_sla_policies").execute(w.admin)),
    "create_sla_policy": Scenario(
        lambda w, _: uc(w, "create_sla_policy").execute(
            w.admin,
            NewSlaPolicy("الشبكة العاجلة", Priority.URGENT, 15, 120, category=Category.NETWORK),
        )
    ),
    "update_sla_policy": Scenario(
        lambda w, p: uc(w, "update_sla_policy").execute(
            w.admin, p.id, SlaPolicyPatch(warning_percent=70)
        ),
        a_policy,
    ),
    "delete_sla_policy": Scenario(
        lambda w, p: uc(w, "delete_sla_policy").execute(w.admin, p.id), a_policy
    ),
    "get_department_calendar": Scenario(
        lambda w, _: uc(w, "get_department_calendar").execute(w.user, w.dept("finance"))
    ),
    "set_department_calendar": Scenario(
        lambda w, _: uc(w, "set_department_calendar").execute(
            w.admin, w.dept("finance"), BusinessCalendar(holidays=(date(2026, 12, 25),))
        )
    ),
    # A pass acts on each due ticket in a transaction of its own: one ticket, one commit.
    "sla_pass": Scenario(lambda w, _: uc(w, "sla_pass").execute(), an_overdue_ticket),
}


def test_every_use_case_has_a_scenario() -> None:
    use_cases = {
        name
        for name, provider in Container.providers.items()
        if isinstance(provider, providers.Factory)
    }
    covered = {name.split(" ")[0] for name in SCENARIOS}
    assert use_cases - BATCHES - NOT_USE_CASES == covered


@pytest.mark.parametrize("name", sorted(SCENARIOS))
async def test_a_use_case_commits_at_most_once(name: str) -> None:
    storage = CountingStorage()
    world = await World.build(storage)
    scenario = SCENARIOS[name]
    prepared = await scenario.prepare(world) if scenario.prepare else None
    before = storage.commits
    await scenario.call(world, prepared)
    assert storage.commits - before <= 1, f"{name} committed {storage.commits - before} times"
