"""The composition root: one declarative container; settings pick the adapters.

Nothing is built at import time. What holds connections (the database engine, HTTP clients,
the JWKS cache, Redis) is a `Resource`: an async generator that opens it and closes it again.
`open_resources` initialises the ones a process needs (the app's lifespan: all of them; a CLI
command: the ones it uses) and `close_resources` shuts down exactly those, in reverse order.
Tests build a container with their own settings and override providers
(`container.classifier.override(providers.Object(fake))`) instead of patching modules.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

from dependency_injector import containers, providers

from helpdesk.adapters.system import RandomIds, SystemClock
from helpdesk.application.admin_audit import ListAdminActionsUseCase
from helpdesk.application.classify_preview import ClassifyPreviewUseCase
from helpdesk.application.demo import FileDemoTicketsUseCase, SeedDemoUseCase
from helpdesk.application.departments import (
    CreateDepartmentUseCase,
    GetDepartmentUseCase,
    ListDepartmentsUseCase,
    UpdateDepartmentUseCase,
)
from helpdesk.application.dev_utilities import (
    DeleteNotificationsUseCase,
    DeleteTicketsUseCase,
    ReseedTicketsUseCase,
)
from helpdesk.application.health import CheckHealthUseCase
from helpdesk.application.mail.inbound import (
    FetchMailUseCase,
    InboundPolicy,
    TakeMessageUseCase,
)
from helpdesk.application.mail.jobs import FetchMailJob, SendPendingJob
from helpdesk.application.mail.outbound import SendPendingUseCase
from helpdesk.application.mail.status import (
    GetAttachmentUseCase,
    ListAttachmentsUseCase,
    ListHeldMailUseCase,
    MailStatusUseCase,
)
from helpdesk.application.notifications import (
    ListNotificationsUseCase,
    MarkAllReadUseCase,
    MarkReadUseCase,
    UnreadCountUseCase,
)
from helpdesk.application.periodic import PeriodicRunner
from helpdesk.application.quick_actions import (
    CreateQuickActionUseCase,
    DeleteQuickActionUseCase,
    ListQuickActionsUseCase,
    ReseedQuickActionsUseCase,
    UpdateQuickActionUseCase,
)
from helpdesk.application.routing_evidence import (
    ComputeRoutingThresholdsUseCase,
    HumanLabelledTicketsUseCase,
    RoutingThresholdCache,
)
from helpdesk.application.sla_admin import (
    CreateSlaPolicyUseCase,
    DeleteSlaPolicyUseCase,
    GetCalendarUseCase,
    ListSlaPoliciesUseCase,
    SetCalendarUseCase,
    UpdateSlaPolicyUseCase,
)
from helpdesk.application.sla_pass import SlaPassUseCase
from helpdesk.application.stats import (
    AgentWorkloadReport,
    ConfidenceHistogramReport,
    OverrideRateReport,
    RoutingModesReport,
    RoutingQualityReport,
    SlaReport,
    TaxonomyReport,
)
from helpdesk.application.tickets.comments import AddCommentUseCase, ListCommentsUseCase
from helpdesk.application.tickets.create import CreateTicketUseCase
from helpdesk.application.tickets.override import OverrideRoutingUseCase
from helpdesk.application.tickets.queries import (
    GetTicketUseCase,
    ListTicketsUseCase,
    TicketAuditUseCase,
)
from helpdesk.application.tickets.reclassify import ReclassifyTicketUseCase
from helpdesk.application.tickets.update import UpdateTicketUseCase
from helpdesk.application.users.create import CreateUserUseCase
from helpdesk.application.users.identify import (
    CurrentProfileUseCase,
    IdentifyCallerUseCase,
    UpdateOwnPreferencesUseCase,
)
from helpdesk.application.users.login import LoginUseCase
from helpdesk.application.users.manage import (
    DeactivateUserUseCase,
    ListUsersUseCase,
    ProfileChanges,
    UpdateUserUseCase,
)
from helpdesk.settings import Settings, SettingsError

# --- resources: adapters are imported where they are built, so that a deployment pays only for
# the ones its settings select (the embedded model, asyncpg, …) -----------------------------


async def _storage(settings: Settings) -> AsyncIterator[Any]:
    if settings.storage_kind == "memory":
        from helpdesk.adapters.storage.memory.unit_of_work import MemoryStorage

        yield MemoryStorage()
        return
    from helpdesk.adapters.storage.sql.unit_of_work import SqlStorage

    storage = SqlStorage(
        settings.database_url,
        pooler=settings.database_pooler,
        connections=settings.database_connections,
        show_parameters=settings.log_level == "debug",
        profile_cache_seconds=settings.profile_cache_seconds,
    )
    try:
        yield storage
    finally:
        await storage.dispose()


def _embedded_classifier(settings: Settings, clock: SystemClock) -> Any:
    """The shipped model, or HELPDESK_CLASSIFIER_MODEL's folder; a bad folder is one line."""
    from pathlib import Path

    from helpdesk.adapters.classifier.embedded import load_embedded_classifier
    from helpdesk.adapters.classifier.embedded.model_folder import ModelFolderError

    folder = Path(settings.classifier_model) if settings.classifier_model else None
    try:
        return load_embedded_classifier(clock, folder)
    except ModelFolderError as e:
        raise SettingsError(f"HELPDESK_CLASSIFIER_MODEL: {e}") from None


async def _classifier(settings: Settings, clock: SystemClock) -> AsyncIterator[Any]:
    if settings.classifier_url is None:
        yield _embedded_classifier(settings, clock)
        return
    from helpdesk.adapters.classifier.http_client import HttpClassifier

    classifier = HttpClassifier(
        settings.classifier_url, timeout=settings.classifier_timeout, clock=clock
    )
    try:
        yield classifier
    finally:
        await classifier.aclose()


async def _jwks(settings: Settings, clock: SystemClock) -> AsyncIterator[Any]:
    """The JWKS key set, fetched once at start (a failed fetch is retried on demand)."""
    if not settings.jwks_url:
        yield None
        return
    import httpx

    from helpdesk.adapters.tokens.jwks import JwksKeySet

    jwks = JwksKeySet(settings.jwks_url, http_client=httpx.AsyncClient(timeout=5.0), clock=clock)
    await jwks.load()
    try:
        yield jwks
    finally:
        await jwks.aclose()


async def _identity(settings: Settings) -> AsyncIterator[Any]:
    """The external identity provider (Supabase Auth), or None for local logins."""
    if not settings.uses_supabase_identity:
        yield None
        return
    from helpdesk.adapters.identity.supabase import SupabaseIdentityProvider

    assert settings.supabase_url and settings.supabase_service_role_key
    identity = SupabaseIdentityProvider(settings.supabase_url, settings.supabase_service_role_key)
    try:
        yield identity
    finally:
        await identity.aclose()


async def _redis(settings: Settings) -> AsyncIterator[Any]:
    """A Redis client for shared rate-limit counters, or None (each worker counts alone)."""
    if not settings.redis_url:
        yield None
        return
    from redis.asyncio import Redis

    client = Redis.from_url(settings.redis_url)
    try:
        yield client
    finally:
        await client.aclose()


async def _mailbox(settings: Settings) -> AsyncIterator[Any]:
    """The IMAP mailbox tickets are taken from, or None when HELPDESK_MAIL_IMAP_URL is unset."""
    if not settings.mail_imap_url:
        yield None
        return
    from helpdesk.adapters.mail.endpoints import parse_imap_url
    from helpdesk.adapters.mail.imap import ImapMailbox

    mailbox = ImapMailbox(
        parse_imap_url(settings.mail_imap_url), done_folder=settings.mail_done_folder
    )
    try:
        yield mailbox
    finally:
        await mailbox.close()


def _mail_sender(settings: Settings, clock: SystemClock) -> Any:
    """The SMTP sender, or None when HELPDESK_MAIL_SMTP_URL or HELPDESK_MAIL_FROM is unset."""
    if not settings.mail_smtp_url or not settings.mail_from:
        return None
    from helpdesk.adapters.mail.endpoints import parse_smtp_url
    from helpdesk.adapters.mail.smtp import SmtpSender

    return SmtpSender(
        parse_smtp_url(settings.mail_smtp_url), mail_from=settings.mail_from, clock=clock
    )


def _message_reader() -> Any:
    from helpdesk.adapters.mail.reader import ThreadedMessageReader

    return ThreadedMessageReader()


def _attachment_store(settings: Settings) -> Any:
    from helpdesk.adapters.mail.attachment_store import FilesystemAttachmentStore

    return FilesystemAttachmentStore(settings.mail_attachments_dir)


def _mail_domain(settings: Settings) -> str | None:
    from helpdesk.domain.mail.threads import mail_domain

    return mail_domain(settings.mail_from) if settings.mail_from else None


def _inbound_policy(settings: Settings) -> InboundPolicy:
    return InboundPolicy(
        domain=_mail_domain(settings),
        own_addresses=(settings.mail_from,) if settings.mail_from else (),
        unknown_senders=settings.mail_unknown_senders,
    )


def _metered_classifier(settings: Settings, classifier: Any) -> Any:
    """The classifier the use cases call: timed for `/metrics` when metrics are on."""
    if not settings.metrics_enabled:
        return classifier
    from helpdesk.adapters.metrics import MeteredClassifier

    return MeteredClassifier(classifier)


def _profile_cache(storage: Any) -> Any:
    """The storage's cache of callers' profiles, if it keeps one (SQL storage)."""
    return getattr(storage, "profile_cache", None)


def _mail_fetch_job(settings: Settings, fetch_mail: Any) -> FetchMailJob | None:
    """Every HELPDESK_MAIL_POLL_INTERVAL seconds; None without a mailbox."""
    if not settings.mail_imap_url:
        return None
    return FetchMailJob(fetch_mail, interval=settings.mail_poll_interval)


def _mail_send_job(settings: Settings, send_pending: Any) -> SendPendingJob | None:
    """None without an SMTP server and a sender address."""
    if not settings.mail_smtp_url or not settings.mail_from:
        return None
    return SendPendingJob(send_pending)


def _token_verifier(settings: Settings, jwks: Any) -> Any:
    from helpdesk.adapters.tokens.jwt_verifier import JwtVerifier

    return JwtVerifier(
        settings.jwt_secret, jwks, audience=settings.jwt_audience, issuer=settings.jwt_issuer
    )


def _token_issuer(settings: Settings, clock: SystemClock) -> Any:
    from helpdesk.adapters.tokens.issuer import Hs256TokenIssuer

    if not settings.jwt_secret:
        return None
    return Hs256TokenIssuer(
        settings.jwt_secret, clock, audience=settings.jwt_audience, issuer=settings.jwt_issuer
    )


def _password_hasher() -> Any:
    from helpdesk.adapters.identity.local import Argon2PasswordHasher

    return Argon2PasswordHasher()


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)

    clock = providers.Singleton(SystemClock)
    ids = providers.Singleton(RandomIds)
    storage = providers.Resource(_storage, settings)
    classifier = providers.Resource(_classifier, settings, clock)
    # A Callable, not a Factory: Factories are the use cases (registered as dependencies).
    metered_classifier = providers.Callable(_metered_classifier, settings, classifier)
    jwks = providers.Resource(_jwks, settings, clock)
    identity = providers.Resource(_identity, settings)
    redis = providers.Resource(_redis, settings)
    token_verifier = providers.Singleton(_token_verifier, settings, jwks)
    token_issuer = providers.Singleton(_token_issuer, settings, clock)
    password_hasher = providers.Singleton(_password_hasher)
    mailbox = providers.Resource(_mailbox, settings)
    mail_sender = providers.Singleton(_mail_sender, settings, clock)
    message_reader = providers.Singleton(_message_reader)
    attachment_store = providers.Singleton(_attachment_store, settings)
    inbound_policy = providers.Singleton(_inbound_policy, settings)
    mail_domain = providers.Singleton(_mail_domain, settings)

    uow = storage.provided.unit_of_work
    thresholds = settings.provided.thresholds
    text_policy = settings.provided.text_policy
    routing_cache = providers.Singleton(RoutingThresholdCache, clock)

    check_health = providers.Factory(CheckHealthUseCase, storage, metered_classifier)
    profile_cache = providers.Callable(_profile_cache, storage)
    identify_caller = providers.Factory(IdentifyCallerUseCase, uow, profile_cache)
    current_profile = providers.Factory(CurrentProfileUseCase, uow, clock)
    update_own_preferences = providers.Factory(UpdateOwnPreferencesUseCase, uow, clock)
    create_ticket = providers.Factory(
        CreateTicketUseCase,
        uow,
        metered_classifier,
        clock,
        ids,
        thresholds=thresholds,
        text_policy=text_policy,
        routing_cache=routing_cache,
    )
    get_ticket = providers.Factory(GetTicketUseCase, uow)
    list_tickets = providers.Factory(ListTicketsUseCase, uow, clock)
    update_ticket = providers.Factory(UpdateTicketUseCase, uow, clock, ids)
    override_routing = providers.Factory(OverrideRoutingUseCase, uow, clock, ids)
    reclassify_ticket = providers.Factory(
        ReclassifyTicketUseCase,
        uow,
        metered_classifier,
        clock,
        ids,
        thresholds=thresholds,
        routing_cache=routing_cache,
    )
    add_comment = providers.Factory(AddCommentUseCase, uow, clock, ids)
    list_comments = providers.Factory(ListCommentsUseCase, uow)
    ticket_audit = providers.Factory(TicketAuditUseCase, uow)
    classify_preview = providers.Factory(
        ClassifyPreviewUseCase,
        uow,
        metered_classifier,
        thresholds=thresholds,
        text_policy=text_policy,
        routing_cache=routing_cache,
    )
    list_departments = providers.Factory(ListDepartmentsUseCase, uow)
    get_department = providers.Factory(GetDepartmentUseCase, uow)
    create_department = providers.Factory(CreateDepartmentUseCase, uow, clock, ids)
    update_department = providers.Factory(UpdateDepartmentUseCase, uow, clock, ids)
    list_notifications = providers.Factory(ListNotificationsUseCase, uow)
    unread_count = providers.Factory(UnreadCountUseCase, uow)
    mark_read = providers.Factory(MarkReadUseCase, uow, clock)
    mark_all_read = providers.Factory(MarkAllReadUseCase, uow, clock)
    list_quick_actions = providers.Factory(ListQuickActionsUseCase, uow)
    create_quick_action = providers.Factory(
        CreateQuickActionUseCase, uow, clock, ids, text_policy=text_policy
    )
    update_quick_action = providers.Factory(
        UpdateQuickActionUseCase, uow, clock, ids, text_policy=text_policy
    )
    delete_quick_action = providers.Factory(
        DeleteQuickActionUseCase, uow, clock, ids, text_policy=text_policy
    )
    reseed_quick_actions = providers.Factory(ReseedQuickActionsUseCase, uow, ids)
    routing_modes_report = providers.Factory(RoutingModesReport, uow)
    confidence_histogram_report = providers.Factory(ConfidenceHistogramReport, uow)
    taxonomy_report = providers.Factory(TaxonomyReport, uow)
    override_rate_report = providers.Factory(OverrideRateReport, uow)
    agent_workload_report = providers.Factory(AgentWorkloadReport, uow)
    sla_report = providers.Factory(SlaReport, uow, clock)
    routing_quality_report = providers.Factory(RoutingQualityReport, uow)
    compute_routing_thresholds = providers.Factory(
        ComputeRoutingThresholdsUseCase,
        uow,
        clock,
        ids,
        thresholds=thresholds,
        routing_cache=routing_cache,
    )
    human_labelled_tickets = providers.Factory(HumanLabelledTicketsUseCase, uow)
    list_admin_actions = providers.Factory(ListAdminActionsUseCase, uow)
    delete_tickets = providers.Factory(DeleteTicketsUseCase, uow)
    delete_notifications = providers.Factory(DeleteNotificationsUseCase, uow)
    file_demo_tickets = providers.Factory(FileDemoTicketsUseCase, uow, create_ticket)
    reseed_tickets = providers.Factory(ReseedTicketsUseCase, delete_tickets, file_demo_tickets)
    create_user = providers.Factory(CreateUserUseCase, uow, clock, ids, password_hasher, identity)
    list_users = providers.Factory(ListUsersUseCase, uow)
    profile_changes = providers.Factory(ProfileChanges, clock, ids)
    update_user = providers.Factory(UpdateUserUseCase, uow, profile_changes)
    deactivate_user = providers.Factory(DeactivateUserUseCase, uow, profile_changes, identity)
    login = providers.Factory(LoginUseCase, uow, password_hasher, token_issuer, clock, ids)
    take_message = providers.Factory(
        TakeMessageUseCase,
        uow,
        create_ticket,
        add_comment,
        attachment_store,
        clock,
        ids,
        policy=inbound_policy,
    )
    fetch_mail = providers.Factory(
        FetchMailUseCase, uow, mailbox, message_reader, take_message, clock
    )
    send_pending = providers.Factory(
        SendPendingUseCase, uow, mail_sender, clock, domain=mail_domain
    )
    mail_status = providers.Factory(MailStatusUseCase, uow)
    list_attachments = providers.Factory(ListAttachmentsUseCase, uow)
    list_held_mail = providers.Factory(ListHeldMailUseCase, uow)
    get_attachment = providers.Factory(GetAttachmentUseCase, uow, attachment_store)
    # The periodic work of the mail channel, for the worker's runner (`run_once()` each).
    mail_fetch_job = providers.Singleton(_mail_fetch_job, settings, fetch_mail.provider)
    mail_send_job = providers.Singleton(_mail_send_job, settings, send_pending.provider)
    seed_demo = providers.Factory(
        SeedDemoUseCase, uow, clock, ids, create_user, reseed_quick_actions
    )

    list_sla_policies = providers.Factory(ListSlaPoliciesUseCase, uow)
    create_sla_policy = providers.Factory(CreateSlaPolicyUseCase, uow, clock, ids)
    update_sla_policy = providers.Factory(UpdateSlaPolicyUseCase, uow, clock, ids)
    delete_sla_policy = providers.Factory(DeleteSlaPolicyUseCase, uow, clock, ids)
    get_department_calendar = providers.Factory(GetCalendarUseCase, uow)
    set_department_calendar = providers.Factory(SetCalendarUseCase, uow, clock, ids)
    sla_pass = providers.Factory(
        SlaPassUseCase, uow, clock, ids, interval=settings.provided.sla_interval
    )
    # The periodic work of `helpdesk worker` (and of `serve` when HELPDESK_SCHEDULER=inline):
    # one entry per job, each a provider of an object with `name`, `interval` (seconds) and
    # `async run_once()` (application/ports/jobs.py); a provider may give None when its feature
    # is not configured. The storage holds the per-job locks (one process at a time).
    periodic_jobs = providers.List(
        sla_pass,
        mail_fetch_job,
        mail_send_job,
    )
    periodic_runner = providers.Singleton(PeriodicRunner, periodic_jobs, storage, clock)


# Opened in this order, closed in the reverse one.
RESOURCES = ("storage", "classifier", "identity", "jwks", "redis", "mailbox")


def build_container(settings: Settings) -> Container:
    return Container(settings=settings)


async def open_resources(container: Container, names: Sequence[str] = RESOURCES) -> None:
    """Initialise these resources (those a test overrode are already built). Once open, each
    behaves as a plain singleton, so use cases are built synchronously."""
    for name in names:
        provider = getattr(container, name)
        if provider.overridden or provider.initialized:
            continue
        await provider.init()
        provider.disable_async_mode()


async def close_resources(container: Container) -> None:
    """Shut down every resource that was opened, the last opened first; errors propagate."""
    for name in reversed(RESOURCES):
        provider = getattr(container, name)
        if provider.initialized:
            await provider.shutdown()
