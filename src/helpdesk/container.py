"""The composition root: one declarative container; selectors pick adapters from settings.

Nothing is built at import time. Tests build a container with their own settings and override
providers (`container.classifier.override(providers.Object(fake))`) instead of patching modules.
"""

from __future__ import annotations

from typing import Any

from dependency_injector import containers, providers

from helpdesk.adapters.system import RandomIds, SystemClock
from helpdesk.application.admin_audit import ListAdminActionsUseCase
from helpdesk.application.classify_preview import ClassifyPreviewUseCase
from helpdesk.application.context import Context, Policies
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
from helpdesk.application.notifications import (
    ListNotificationsUseCase,
    MarkAllReadUseCase,
    MarkReadUseCase,
    UnreadCountUseCase,
)
from helpdesk.application.quick_actions import (
    CreateQuickActionUseCase,
    DeleteQuickActionUseCase,
    ListQuickActionsUseCase,
    ReseedQuickActionsUseCase,
    UpdateQuickActionUseCase,
)
from helpdesk.application.stats import (
    AgentWorkloadReport,
    ConfidenceHistogramReport,
    OverrideRateReport,
    RoutingModesReport,
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
from helpdesk.application.users.identify import CurrentProfileUseCase, IdentifyCallerUseCase
from helpdesk.application.users.login import LoginUseCase
from helpdesk.application.users.manage import (
    DeactivateUserUseCase,
    ListUsersUseCase,
    UpdateUserUseCase,
)
from helpdesk.settings import Settings, SettingsError


# Adapters are imported where they are built, so that a deployment pays only for the ones
# its settings select (the embedded model, asyncpg, …).
def _memory_storage() -> Any:
    from helpdesk.adapters.storage.memory.unit_of_work import MemoryStorage

    return MemoryStorage()


def _sql_storage(settings: Settings) -> Any:
    from helpdesk.adapters.storage.sql.storage import SqlStorage

    return SqlStorage(settings.database_url, pooler=settings.database_pooler)


def _embedded_classifier(settings: Settings, clock: SystemClock) -> Any:
    from pathlib import Path

    from helpdesk.adapters.classifier.embedded import load_embedded_classifier
    from helpdesk.adapters.classifier.embedded.model_folder import ModelFolderError

    folder = Path(settings.classifier_model) if settings.classifier_model else None
    try:
        return load_embedded_classifier(clock, folder)
    except ModelFolderError as e:
        raise SettingsError(f"HELPDESK_CLASSIFIER_MODEL: {e}") from None


def _http_classifier(settings: Settings, clock: SystemClock) -> Any:
    from helpdesk.adapters.classifier.http_client import HttpClassifier

    assert settings.classifier_url is not None
    return HttpClassifier(settings.classifier_url, timeout=settings.classifier_timeout, clock=clock)


def _token_verifier(settings: Settings, clock: SystemClock) -> Any:
    from helpdesk.adapters.tokens.jwks import JwksKeySet
    from helpdesk.adapters.tokens.jwt_verifier import JwtVerifier

    jwks = None
    if settings.jwks_url:
        import httpx

        jwks = JwksKeySet(
            settings.jwks_url, http_client=httpx.AsyncClient(timeout=5.0), clock=clock
        )
    return JwtVerifier(
        settings.jwt_secret,
        jwks,
        audience=settings.jwt_audience,
        issuer=settings.jwt_issuer,
    )


def _token_issuer(settings: Settings, clock: SystemClock) -> Any:
    from helpdesk.adapters.tokens.issuer import Hs256TokenIssuer

    if not settings.jwt_secret:
        return None
    return Hs256TokenIssuer(
        settings.jwt_secret, clock, audience=settings.jwt_audience, issuer=settings.jwt_issuer
    )


def _local_identity(storage: Any, ids: RandomIds) -> Any:
    from helpdesk.adapters.identity.local import LocalIdentityProvider

    return LocalIdentityProvider(storage.unit_of_work, ids)


def _supabase_identity(settings: Settings) -> Any:
    from helpdesk.adapters.identity.supabase import SupabaseIdentityProvider

    assert settings.supabase_url and settings.supabase_service_role_key
    return SupabaseIdentityProvider(settings.supabase_url, settings.supabase_service_role_key)


def _policies(settings: Settings) -> Policies:
    return Policies(thresholds=settings.thresholds, text_policy=settings.text_policy)


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)

    clock = providers.Singleton(SystemClock)
    ids = providers.Singleton(RandomIds)

    storage = providers.Selector(
        providers.Callable(lambda s: "memory" if s.storage_kind == "memory" else "sql", settings),
        memory=providers.Singleton(_memory_storage),
        sql=providers.Singleton(_sql_storage, settings),
    )
    classifier = providers.Selector(
        providers.Callable(lambda s: "http" if s.classifier_url else "embedded", settings),
        embedded=providers.Singleton(_embedded_classifier, settings, clock),
        http=providers.Singleton(_http_classifier, settings, clock),
    )
    token_verifier = providers.Singleton(_token_verifier, settings, clock)
    token_issuer = providers.Singleton(_token_issuer, settings, clock)

    context = providers.Singleton(
        Context,
        uow=storage.provided.unit_of_work,
        classifier=classifier,
        clock=clock,
        ids=ids,
        policies=providers.Callable(_policies, settings),
    )

    identify_caller = providers.Factory(IdentifyCallerUseCase, context)
    current_profile = providers.Factory(CurrentProfileUseCase, context)
    create_ticket = providers.Factory(CreateTicketUseCase, context)
    get_ticket = providers.Factory(GetTicketUseCase, context)
    list_tickets = providers.Factory(ListTicketsUseCase, context)
    update_ticket = providers.Factory(UpdateTicketUseCase, context)
    override_routing = providers.Factory(OverrideRoutingUseCase, context)
    reclassify_ticket = providers.Factory(ReclassifyTicketUseCase, context)
    add_comment = providers.Factory(AddCommentUseCase, context)
    list_comments = providers.Factory(ListCommentsUseCase, context)
    ticket_audit = providers.Factory(TicketAuditUseCase, context)
    classify_preview = providers.Factory(ClassifyPreviewUseCase, context)
    list_departments = providers.Factory(ListDepartmentsUseCase, context)
    get_department = providers.Factory(GetDepartmentUseCase, context)
    create_department = providers.Factory(CreateDepartmentUseCase, context)
    update_department = providers.Factory(UpdateDepartmentUseCase, context)
    list_notifications = providers.Factory(ListNotificationsUseCase, context)
    unread_count = providers.Factory(UnreadCountUseCase, context)
    mark_read = providers.Factory(MarkReadUseCase, context)
    mark_all_read = providers.Factory(MarkAllReadUseCase, context)
    list_quick_actions = providers.Factory(ListQuickActionsUseCase, context)
    create_quick_action = providers.Factory(CreateQuickActionUseCase, context)
    update_quick_action = providers.Factory(UpdateQuickActionUseCase, context)
    delete_quick_action = providers.Factory(DeleteQuickActionUseCase, context)
    reseed_quick_actions = providers.Factory(ReseedQuickActionsUseCase, context)
    routing_modes_report = providers.Factory(RoutingModesReport, context)
    confidence_histogram_report = providers.Factory(ConfidenceHistogramReport, context)
    taxonomy_report = providers.Factory(TaxonomyReport, context)
    override_rate_report = providers.Factory(OverrideRateReport, context)
    agent_workload_report = providers.Factory(AgentWorkloadReport, context)
    list_admin_actions = providers.Factory(ListAdminActionsUseCase, context)
    delete_tickets = providers.Factory(DeleteTicketsUseCase, context)
    delete_notifications = providers.Factory(DeleteNotificationsUseCase, context)
    file_demo_tickets = providers.Factory(FileDemoTicketsUseCase, context, create_ticket)
    reseed_tickets = providers.Factory(
        ReseedTicketsUseCase, context, delete_tickets, file_demo_tickets
    )
    identity = providers.Selector(
        providers.Callable(lambda s: "supabase" if s.uses_supabase_identity else "local", settings),
        local=providers.Singleton(_local_identity, storage, ids),
        supabase=providers.Singleton(_supabase_identity, settings),
    )
    create_user = providers.Factory(CreateUserUseCase, context, identity)
    list_users = providers.Factory(ListUsersUseCase, context)
    update_user = providers.Factory(UpdateUserUseCase, context)
    deactivate_user = providers.Factory(DeactivateUserUseCase, context, update_user, identity)
    login = providers.Factory(LoginUseCase, context, identity, token_issuer)
    seed_demo = providers.Factory(SeedDemoUseCase, context, create_user, reseed_quick_actions)


def build_container(settings: Settings) -> Container:
    container = Container(settings=settings)
    return container
