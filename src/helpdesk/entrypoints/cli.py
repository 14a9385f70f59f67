"""The `helpdesk` command line."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import os
import shutil
import socket
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any
from uuid import UUID

import msgspec

from helpdesk.container import Container, build_container, close_resources, open_resources
from helpdesk.domain.errors import DependencyUnavailable, DomainError
from helpdesk.domain.routing_quality import MIN_EVIDENCE, MIN_SUPPORT
from helpdesk.entrypoints.logs import configure_logging
from helpdesk.settings import (
    Settings,
    SettingsError,
    environment_of,
    load_settings,
    with_development_secret,
)
from helpdesk.settings.flags import add_setting_flags, flag_overrides

DEMO_TOKEN_TTL = 7 * 24 * 3600
# What seeding uses: the demo users go through the identity, the tickets through the classifier.
SEEDING = ("storage", "classifier", "identity")


class CliError(Exception):
    """A one-line message for the user; exit status 2."""


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(flag_overrides(args))


def _print_json(value: Any) -> None:
    print(msgspec.json.format(msgspec.json.encode(value), indent=2).decode())


# --- serve ----------------------------------------------------------------------------------


def _migrate(settings: Settings) -> Any:
    """Bring an SQL database to the newest schema; what it did (None for memory://)."""
    if settings.storage_kind == "memory":
        return None
    from helpdesk.adapters.storage.sql.migrate import MigrationError, upgrade_database

    try:
        return upgrade_database(settings.database_url)
    except MigrationError as e:  # a database this schema cannot use (ctype, encoding): say why
        raise CliError(f"HELPDESK_DATABASE_URL: {e}") from None


def _require_current_schema(settings: Settings) -> None:
    """Production never migrates on serve: refuse to start on a schema this code cannot use,
    rather than answer every request with a 503."""
    if settings.storage_kind == "memory":
        return
    from helpdesk.adapters.storage.sql.migrate import schema_revision

    revision = schema_revision(settings.database_url)
    if revision.current is None:
        raise CliError(
            "HELPDESK_DATABASE_URL: the database has no schema yet; "
            "run `helpdesk db upgrade` before `helpdesk serve`"
        )
    if not revision.is_current:
        raise CliError(
            f"HELPDESK_DATABASE_URL: the database schema is at revision {revision.current}, "
            f"this version needs {revision.head}; run `helpdesk db upgrade`"
        )


def _check_port_free(host: str, port: int) -> None:
    """Say in one line that the address is taken, before migrating, seeding or printing tokens
    (uvicorn would only log an errno after all of that)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as e:
        raise CliError(f"--host: cannot listen on {host}: {e.strerror}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        # uvicorn sets SO_REUSEADDR too: a port in TIME_WAIT is free for both.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                raise CliError(
                    f"--port: {host}:{port} is already in use; stop what listens there "
                    "or choose another --port"
                ) from None
            raise CliError(f"--host/--port: cannot listen on {host}:{port}: {e.strerror}") from None


async def _seed_demo(container: Container, tickets: int) -> Any:
    """Seed an empty database with people, quick actions and `tickets` sample tickets."""
    await open_resources(container, SEEDING)
    accounts = await container.seed_demo().execute()
    if accounts.seeded:
        await container.file_demo_tickets().execute(tickets)
        # Ask again: the agent next in line depends on the tickets just filed.
        accounts = replace(await container.seed_demo().execute(), seeded=True)
    return accounts


def _print_demo(container: Container, accounts: Any, host: str, port: int) -> None:
    from helpdesk.application.demo import DEMO_PASSWORD

    issuer = container.token_issuer()
    base = f"http://{host}:{port}"
    print(f"\nDemo accounts (password {DEMO_PASSWORD!r}; tokens valid 7 days):", flush=True)
    tokens = {}
    for label, profile in (
        ("admin", accounts.admin),
        ("agent", accounts.agent),
        ("end user", accounts.end_user),
    ):
        token = issuer.issue(profile.id, email=profile.email, ttl_seconds=DEMO_TOKEN_TTL)
        tokens[label] = token.access_token
        print(f"  {label:9} {profile.email}\n            {token.access_token}")
    print(
        "\nTry it:\n"
        f"  export USER_TOKEN={tokens['end user']}\n"
        f"  export AGENT_TOKEN={tokens['agent']}\n"
        f'  curl -s -X POST {base}/api/v1/tickets -H "Authorization: Bearer $USER_TOKEN" '
        "-H 'Content-Type: application/json' "
        '-d \'{"title": "الطابعة لا تعمل", "description": "الطابعة في الطابق الثاني لا تطبع أي مستند منذ الصباح"}\'\n'
        f"  curl -s '{base}/api/v1/tickets?queue=mine' -H \"Authorization: Bearer $AGENT_TOKEN\"\n"
        f"  curl -s -X POST {base}/api/v1/auth/token -H 'Content-Type: application/json' "
        f'-d \'{{"email": "{accounts.admin.email}", "password": "{DEMO_PASSWORD}"}}\'\n'
        f"  API documentation: {base}/schema\n",
        flush=True,
    )


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    settings = _settings(args)
    if args.demo and settings.env == "production":
        raise SettingsError(
            "HELPDESK_ENV: production refuses `serve --demo` (it seeds an admin whose password "
            "is published and prints admin tokens)"
        )
    settings = with_development_secret(settings)
    if settings.storage_kind == "memory" and args.workers > 1:
        raise CliError(
            "--workers: memory:// storage lives in one process; use SQLite or PostgreSQL"
        )
    _check_port_free(args.host, args.port)
    if settings.env == "production":
        _require_current_schema(settings)
    else:
        _migrate(settings)  # once, before any worker starts
    container = build_container(settings)
    if not settings.classifier_url:
        # A missing or corrupt model folder stops start-up here, before any worker starts.
        asyncio.run(_load_classifier_once(container))
    if args.demo and settings.storage_kind != "memory":
        try:
            accounts = asyncio.run(_seed_demo(container, tickets=len(_samples())))
        finally:
            asyncio.run(close_resources(container))
        _print_demo(container, accounts, args.host, args.port)
    # From here on the server writes the log (pre-flight refusals above are one line each).
    configure_logging(settings.log_level, settings.log_format)
    if args.workers > 1:
        # Workers re-read the settings from the environment: hand them ours, flags and the
        # generated secret included.
        os.environ.update(environment_of(settings))
        with _metrics_shared_by_workers(settings):
            uvicorn.run(
                "helpdesk.entrypoints.http:create_app",
                factory=True,
                host=args.host,
                port=args.port,
                workers=args.workers,
                # The supervisor kills a worker that misses a 5-second health check; a worker
                # still importing and loading the model on a busy machine misses it, and was
                # killed and restarted in a loop ("Child process died"). A hung worker is still
                # replaced.
                timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
                **server_options(settings),
            )
        return
    from helpdesk.entrypoints.http import create_app

    # A fresh container for the server's event loop: clients and pools that seeding opened
    # belong to the loop that ran it.
    app = create_app(container=build_container(settings))
    if args.demo and settings.storage_kind == "memory":
        # Memory storage lives in the server's process: seed it as the server starts.
        async def seed_on_startup() -> None:
            accounts = await _seed_demo(app.state.container, tickets=len(_samples()))
            _print_demo(app.state.container, accounts, args.host, args.port)

        app.on_startup.append(seed_on_startup)
    uvicorn.run(app, host=args.host, port=args.port, **server_options(settings))


WORKER_HEALTHCHECK_SECONDS = 60


@contextlib.contextmanager
def _metrics_shared_by_workers(settings: Settings) -> Iterator[None]:
    """Workers are processes: each writes its metrics into one fresh folder that `/metrics`
    adds up (prometheus-client's multi-process mode), removed when the server stops. A folder
    the operator set in PROMETHEUS_MULTIPROC_DIR is used as it is, and kept."""
    from helpdesk.entrypoints.http.metrics import MULTIPROCESS_DIR

    if not settings.metrics_enabled or MULTIPROCESS_DIR in os.environ:
        yield
        return
    folder = tempfile.mkdtemp(prefix="helpdesk-metrics-")
    os.environ[MULTIPROCESS_DIR] = folder
    try:
        yield
    finally:
        os.environ.pop(MULTIPROCESS_DIR, None)
        shutil.rmtree(folder, ignore_errors=True)


def server_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's options from the settings. Forwarded headers (X-Forwarded-For, …) rewrite the
    client's address only when they come from a trusted proxy (HELPDESK_TRUSTED_PROXIES; by
    default none): otherwise any client could pick the address the per-address limits see."""
    trusted = ",".join(settings.trusted_proxies)
    return {
        "log_level": settings.log_level,
        "log_config": None,  # ours (entrypoints/logs.py), in each worker too
        "proxy_headers": bool(trusted),
        "forwarded_allow_ips": trusted or "",
    }


async def _load_classifier_once(container: Container) -> None:
    try:
        await open_resources(container, ("classifier",))
    finally:
        await close_resources(container)


def _samples() -> tuple[tuple[str, str], ...]:
    from helpdesk.domain.defaults import SAMPLE_TICKETS

    return SAMPLE_TICKETS


# --- periodic work ----------------------------------------------------------------------------


def cmd_worker(args: argparse.Namespace) -> None:
    """Run every periodic job until SIGTERM or SIGINT (the turn under way finishes first)."""
    import signal

    settings = _periodic_settings(args, "a worker")
    configure_logging(settings.log_level, settings.log_format)  # the server's handler and format
    container = build_container(settings)

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        await open_resources(container)
        try:
            await container.periodic_runner().run(stop)
        finally:
            await close_resources(container)

    asyncio.run(run())


def _periodic_settings(args: argparse.Namespace, what: str) -> Settings:
    settings = with_development_secret(_settings(args))
    if settings.storage_kind == "memory":
        raise CliError(
            f"HELPDESK_DATABASE_URL: memory:// lives inside one `helpdesk serve`; {what} would "
            "see none of its tickets (use SQLite or PostgreSQL, or HELPDESK_SCHEDULER=inline)"
        )
    if settings.env == "production":
        _require_current_schema(settings)
    else:
        _migrate(settings)
    return settings


def cmd_sla_run_once(args: argparse.Namespace) -> None:
    """One SLA pass: act on every warning and breach that has come; print what it did."""
    container = build_container(_periodic_settings(args, "an SLA pass"))

    async def run() -> Any:
        await open_resources(container, ("storage",))
        try:
            return await container.sla_pass().execute()
        finally:
            await close_resources(container)

    _print_json(asyncio.run(run()).as_dict())


# --- data -----------------------------------------------------------------------------------


def cmd_db_upgrade(args: argparse.Namespace) -> None:
    settings = _settings(args)
    if settings.storage_kind == "memory":
        raise CliError("HELPDESK_DATABASE_URL: memory:// has no schema to migrate")
    upgrade = _migrate(settings)
    where = settings.masked()["database_url"]
    if upgrade.applied:
        before = "an empty database" if upgrade.before is None else f"revision {upgrade.before}"
        print(f"database at {where}: migrated from {before} to revision {upgrade.after}")
    else:
        print(f"database at {where}: already at revision {upgrade.after}, nothing to apply")


def cmd_seed(args: argparse.Namespace) -> None:
    from rich.progress import Progress

    settings = with_development_secret(_settings(args))
    if settings.storage_kind == "memory":
        raise CliError("HELPDESK_DATABASE_URL: memory:// forgets everything when seed exits")
    if settings.env != "production":
        _migrate(settings)
    container = build_container(settings)

    async def run() -> tuple[Any, int, int, int]:
        await open_resources(container, SEEDING)
        try:
            accounts = await container.seed_demo().execute(agents_per_department=3)
            with Progress() as progress:
                task = progress.add_task("filing demo tickets", total=args.tickets)
                filed = await container.file_demo_tickets().execute(
                    args.tickets, on_progress=lambda: progress.advance(task)
                )
            async with container.uow()() as uow:
                departments = await uow.departments.all()
                agents = sum([len(await uow.profiles.active_agents(d.id)) for d in departments])
            return accounts, filed, len(departments), agents
        finally:
            await close_resources(container)

    accounts, filed, departments, agents = asyncio.run(run())
    if accounts.seeded:
        print(
            f"seeded {departments} departments, {agents} agents, an admin "
            f"({accounts.admin.email}), an end user ({accounts.end_user.email}) and the "
            f"quick actions; filed {filed} demo ticket{'' if filed == 1 else 's'}"
        )
    else:
        print(
            f"the database already had its departments ({departments}) and people "
            f"({agents} agents): added none; filed {filed} demo ticket{'' if filed == 1 else 's'}"
        )


def cmd_users_create(args: argparse.Namespace) -> None:
    from helpdesk.application.users.create import SYSTEM_ACTOR, CreateUser
    from helpdesk.domain.taxonomy import Role
    from helpdesk.entrypoints.http.schemas.users import profile_out

    settings = with_development_secret(_settings(args))
    container = build_container(settings)

    async def run() -> Any:
        await open_resources(container, ("storage", "identity"))
        try:
            department_id = None
            if args.department:
                departments = await container.list_departments().execute(SYSTEM_ACTOR, 200)
                found = [d for d in departments.items if d.slug == args.department]
                if not found:
                    slugs = ", ".join(sorted(d.slug for d in departments.items))
                    known = (
                        f"one of {slugs}" if slugs else "none exist yet; `helpdesk seed` adds some"
                    )
                    raise CliError(
                        f"--department: no department with slug {args.department!r} ({known})"
                    )
                department_id = found[0].id
            return await container.create_user().execute(
                SYSTEM_ACTOR,
                CreateUser(
                    email=args.email,
                    full_name=args.name or args.email.split("@")[0],
                    role=Role(args.role),
                    department_id=department_id,
                    password=args.password,
                    user_id=args.id,
                ),
            )
        finally:
            await close_resources(container)

    _print_json(profile_out(asyncio.run(run())))


def cmd_token(args: argparse.Namespace) -> None:
    settings = with_development_secret(_settings(args))
    container = build_container(settings)
    issuer = container.token_issuer()

    async def find() -> tuple[UUID, str | None]:
        await open_resources(container, ("storage",))
        try:
            async with container.uow()() as uow:
                if args.user_id is not None:
                    profile = await uow.profiles.get(args.user_id)
                    return args.user_id, profile.email if profile else None
                profile = await uow.profiles.get_by_email(args.email.strip().lower())
        finally:
            await close_resources(container)
        if profile is None:
            raise CliError(f"--email: no user with email {args.email}")
        return profile.id, profile.email

    user_id, email = asyncio.run(find())
    print(issuer.issue(user_id, email=email, ttl_seconds=args.ttl).access_token)


def cmd_classify(args: argparse.Namespace) -> None:
    from helpdesk.domain.text_preparation import prepared_description
    from helpdesk.entrypoints.http.schemas.tickets import classification_out

    container = build_container(_settings(args))

    async def run() -> Any:
        await open_resources(container, ("classifier",))
        try:
            return await container.classifier().classify(prepared_description(args.text))
        finally:
            await close_resources(container)

    classification = asyncio.run(run())
    if classification is None:
        raise CliError("the classifier is unavailable")
    _print_json(classification_out(classification))


def _model(args: argparse.Namespace) -> Any:
    """The model of --model, else HELPDESK_CLASSIFIER_MODEL, else the shipped one."""
    from helpdesk.adapters.classifier.embedded import model_folder

    if args.model is not None:
        try:
            return model_folder.load(args.model)
        except model_folder.ModelFolderError as e:
            raise CliError(f"--model: {e}") from None
    settings = _settings(args)
    if settings.classifier_model:
        try:
            return model_folder.load(Path(settings.classifier_model))
        except model_folder.ModelFolderError as e:
            raise SettingsError(f"HELPDESK_CLASSIFIER_MODEL: {e}") from None
    return model_folder.load()


class _Stages:
    """A rich progress bar per training stage, fed by the trainer's progress callback."""

    def __init__(self, progress: Any) -> None:
        self._progress = progress
        self._tasks: dict[str, Any] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self._tasks:
            self._tasks[stage] = self._progress.add_task(stage, total=total)
        self._progress.update(self._tasks[stage], completed=done, total=total)


def _progress_bar() -> Any:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description:<18}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),  # stdout keeps only the report
    )


def cmd_classifier_eval(args: argparse.Namespace) -> None:
    from helpdesk.adapters.classifier.embedded import evaluation

    if args.data is not None:
        if not args.data.exists():
            raise CliError(f"--data: no file at {args.data}")
        model, metadata = _model(args)
        try:
            report = evaluation.evaluate_file(args.data, model)
        except ValueError as e:
            raise CliError(f"--data: {e}") from None
        print(evaluation.format_report(report, f"model {metadata['name']!r} on {args.data}"))
        return
    if args.model is not None:
        _, metadata = _model(args)
        _print_json({k: metadata[k] for k in ("name", "trained_at", "counts", "cross_validation")})
        return
    with _progress_bar() as bar:
        overall, per_style = evaluation.held_out_styles(progress=_Stages(bar))
    print(
        evaluation.format_report(
            overall,
            "the shipped data set, each writing style and a third of the issues held out at once",
        )
    )
    print("\nper held-out style")
    for style, report in per_style.items():
        coverage, precision = report.at[0.80]
        print(
            f"  {style:<14} tickets {report.n:>4}  accuracy {report.accuracy:.3f}  "
            f"ECE {report.ece:.3f}  ≥0.80: coverage {coverage:6.1%} precision {precision:.3f}"
        )


def _rows_from_database(args: argparse.Namespace) -> list[dict[str, str]]:
    """The tickets whose category a human gave (an override, or a move to a department that
    handles one category), oldest first."""
    from helpdesk.application.users.create import SYSTEM_ACTOR

    settings = _settings(args)
    if settings.storage_kind == "memory":
        raise CliError("HELPDESK_DATABASE_URL: memory:// holds no history to train on")
    _require_current_schema(settings)
    container = build_container(settings)

    async def run() -> Any:
        await open_resources(container, ("storage",))
        try:
            return await container.human_labelled_tickets().execute(SYSTEM_ACTOR)
        finally:
            await close_resources(container)

    labelled = asyncio.run(run())
    return [
        {"title": t.title, "description": t.description, "category": str(t.category)}
        for t in labelled
    ]


def cmd_classifier_train(args: argparse.Namespace) -> None:
    from helpdesk.adapters.classifier.embedded import evaluation, trainer

    if args.from_database:
        rows = _rows_from_database(args)
        source, where = "database", "--from-database"
        if not rows:
            raise CliError(
                "--from-database: no ticket has a human category yet (an override names one, "
                "or a move to a department that handles one category gives it)"
            )
    else:
        if not args.data.exists():
            raise CliError(f"--data: no file at {args.data}")
        try:
            rows = evaluation.read_labelled(args.data)
        except ValueError as e:
            raise CliError(f"--data: {e}") from None
        source, where = args.data.name, "--data"
    if len({r["category"] for r in rows}) < 2:
        raise CliError(f"{where}: training needs tickets of at least two categories")
    if args.out.exists() and any(args.out.iterdir()) and not args.force:
        raise CliError(f"--out: {args.out} is not empty (--force replaces the model in it)")
    with _progress_bar() as bar:
        trained, report = trainer.train_to_folder(
            rows,
            args.out,
            source=source,
            name=args.name or args.out.name,
            mix_shipped=not args.own_data_only,
            progress=_Stages(bar),
        )
    described = (
        f"{len(rows)} human-labelled tickets of the database" if args.from_database else source
    )
    print(
        evaluation.format_report(report, f"cross-validated on the training tickets ({described})")
    )
    print(
        f"\nsaved to {args.out} in {trained.seconds:.1f} s; use it with --model {args.out} "
        f"or HELPDESK_CLASSIFIER_MODEL={args.out}"
    )


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:6.1%}"


def cmd_routing_thresholds(args: argparse.Namespace) -> None:
    from helpdesk.application.routing_evidence import ComputeThresholds
    from helpdesk.application.users.create import SYSTEM_ACTOR

    settings = _settings(args)
    if settings.storage_kind == "memory":
        raise CliError("HELPDESK_DATABASE_URL: memory:// holds no history to learn from")
    _require_current_schema(settings)
    container = build_container(settings)
    command = ComputeThresholds(
        args.target_precision,
        apply=args.apply,
        min_evidence=args.min_evidence,
        min_support=args.min_support,
    )

    async def run() -> Any:
        await open_resources(container, ("storage",))
        try:
            return await container.compute_routing_thresholds().execute(SYSTEM_ACTOR, command)
        finally:
            await close_resources(container)

    result = asyncio.run(run())
    print(
        f"auto thresholds that would have reached precision {args.target_precision:.2f} on "
        f"history (judged tickets: finished where the router sent them, moved away, accepted "
        f"suggestions, human labels; never below the suggest threshold {result.floor:.2f})"
    )
    print(f"\n  {'category':<16}{'judged':>7}  {'threshold':>9}  {'precision':>9}  {'coverage':>8}")
    for t in result.thresholds:
        if not t.enough:
            note = f"fewer than {args.min_evidence} judged: keeps the global threshold"
            line = f"{'—':>9}  {'—':>9}  {'—':>8}  {note}"
        elif not t.reached:
            note = "no threshold reaches the target: automatic routing off"
            line = f"{'off':>9}  {'—':>9}  {'—':>8}  {note}"
        else:
            line = f"{t.threshold:>9.3f}  {t.precision:>9.3f}  {_share(t.coverage):>8}"
        print(f"  {t.category:<16}{t.evidence:>7}  {line}")
    if result.applied:
        print("\napplied: the router now uses these (audited as routing.thresholds_applied)")
    else:
        print("\nnothing stored; --apply stores them")


def cmd_classifier_serve(args: argparse.Namespace) -> None:
    from helpdesk.entrypoints.classifier_service import serve_classifier

    if args.model is not None:
        _model(args)  # a missing or corrupt folder stops start-up with one line
    serve_classifier(args.port, args.host, args.model)


# --- parser ---------------------------------------------------------------------------------


# --- mail -----------------------------------------------------------------------------------


def _mail_settings(args: argparse.Namespace, *needed: str) -> Settings:
    settings = with_development_secret(_settings(args))
    for variable in needed:
        if not getattr(settings, variable):
            raise CliError(f"HELPDESK_{variable.upper()} is not set")
    if settings.storage_kind == "memory":
        raise CliError("HELPDESK_DATABASE_URL: memory:// forgets everything when the command exits")
    _require_current_schema(settings)
    return settings


def cmd_mail_fetch(args: argparse.Namespace) -> None:
    """One inbound pass: {"taken", "tickets", "comments", "held", "refused", "ignored"}."""
    from helpdesk.application.ports.mail import MailboxUnavailable

    container = build_container(_mail_settings(args, "mail_imap_url"))

    async def run() -> dict[str, int]:
        await open_resources(container, ("storage", "classifier", "mailbox"))
        try:
            return (await container.fetch_mail().execute()).as_dict()
        except MailboxUnavailable as e:
            raise CliError(f"HELPDESK_MAIL_IMAP_URL: {e.reason}") from None
        finally:
            await close_resources(container)

    _print_json(asyncio.run(run()))


def cmd_mail_send_pending(args: argparse.Namespace) -> None:
    """One outbox pass: {"sent", "failed", "pending"}."""
    container = build_container(_mail_settings(args, "mail_smtp_url", "mail_from"))

    async def run() -> dict[str, int]:
        await open_resources(container, ("storage",))
        try:
            return (await container.send_pending().execute()).as_dict()
        finally:
            await close_resources(container)

    _print_json(asyncio.run(run()))


def _uuid(raw: str) -> UUID:
    try:
        return UUID(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a UUID: {raw}") from None


def _at_least(low: int) -> Any:
    def parse(raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {raw}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"must be {low} or more, not {value}")
        return value

    return parse


_positive = _at_least(1)


def _share_of_one(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {raw}") from None
    if not 0.0 < value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be within (0, 1], not {raw}")
    return value


def build_parser() -> argparse.ArgumentParser:
    # No abbreviations: `--data` of a subcommand must not be taken for `--database-url`.
    parser = argparse.ArgumentParser(
        prog="helpdesk", description="Arabic helpdesk backend", allow_abbrev=False
    )
    add_setting_flags(parser)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="migrate (outside production) and serve the API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=_positive, default=1)
    serve.add_argument("--demo", action="store_true", help="seed demo data and print tokens")
    serve.set_defaults(handler=cmd_serve)

    commands.add_parser(
        "worker", help="run the periodic work (SLA passes, mail) until stopped"
    ).set_defaults(handler=cmd_worker)
    sla = commands.add_parser("sla", help="service levels").add_subparsers(
        dest="sla", required=True
    )
    sla.add_parser("run-once", help="one SLA pass; prints what it did").set_defaults(
        handler=cmd_sla_run_once
    )

    db = commands.add_parser("db", help="database schema").add_subparsers(dest="db", required=True)
    db.add_parser("upgrade", help="apply migrations").set_defaults(handler=cmd_db_upgrade)

    seed = commands.add_parser("seed", help="departments, demo agents, quick actions, tickets")
    seed.add_argument(
        "--tickets", type=_at_least(0), default=50, help="demo tickets to file (default 50)"
    )
    seed.set_defaults(handler=cmd_seed)

    users = commands.add_parser("users", help="manage users").add_subparsers(
        dest="users", required=True
    )
    create = users.add_parser("create", help="create a user and print the profile")
    create.add_argument("--email", required=True)
    create.add_argument("--role", required=True, choices=["end_user", "agent", "admin"])
    create.add_argument("--name")
    create.add_argument("--department", help="department slug (agents need one)")
    create.add_argument("--id", type=_uuid)
    create.add_argument("--password")
    create.set_defaults(handler=cmd_users_create)

    token = commands.add_parser("token", help="print an HS256 token for a user")
    who = token.add_mutually_exclusive_group(required=True)
    who.add_argument("--email")
    who.add_argument("--user-id", type=_uuid)
    token.add_argument("--ttl", type=_positive, default=3600, help="seconds (default 3600)")
    token.set_defaults(handler=cmd_token)

    _add_classifier_commands(commands)
    _add_mail_commands(commands)
    _add_routing_commands(commands)
    return parser


def _add_classifier_commands(commands: Any) -> None:
    classify = commands.add_parser("classify", help="classify a text and print it as JSON")
    classify.add_argument("text")
    classify.set_defaults(handler=cmd_classify)
    classifier = commands.add_parser("classifier", help="the embedded model").add_subparsers(
        dest="classifier", required=True
    )
    evaluate = classifier.add_parser(
        "eval", help="per-category precision/recall/F1, macro-F1, ECE, confusion, coverage"
    )
    evaluate.add_argument("--data", type=Path, help="JSONL of title/description/category")
    evaluate.add_argument("--model", type=Path, help="a model folder (default: the shipped one)")
    evaluate.set_defaults(handler=cmd_classifier_eval)
    train = classifier.add_parser("train", help="train a model folder on labelled tickets")
    source = train.add_mutually_exclusive_group(required=True)
    source.add_argument("--data", type=Path, help="JSONL of title/description/category")
    source.add_argument(
        "--from-database",
        action="store_true",
        help="the tickets of HELPDESK_DATABASE_URL whose category a human gave",
    )
    train.add_argument("--out", type=Path, required=True, help="the model folder to write")
    train.add_argument("--name", help="the model's name (default: the folder's name)")
    train.add_argument(
        "--own-data-only",
        action="store_true",
        help="do not add the shipped data set's tickets of the same categories",
    )
    train.add_argument("--force", action="store_true", help="replace a model already in --out")
    train.set_defaults(handler=cmd_classifier_train)
    serve_model = classifier.add_parser("serve", help="serve the model over the classifier API")
    serve_model.add_argument("--host", default="127.0.0.1")
    serve_model.add_argument("--port", type=int, default=8100)
    serve_model.add_argument("--model", type=Path, help="a model folder (default: the shipped one)")
    serve_model.set_defaults(handler=cmd_classifier_serve)


def _add_mail_commands(commands: Any) -> None:
    mail = commands.add_parser("mail", help="the e-mail channel").add_subparsers(
        dest="mail", required=True
    )
    mail.add_parser("fetch", help="one inbound pass over the mailbox").set_defaults(
        handler=cmd_mail_fetch
    )
    mail.add_parser("send-pending", help="one pass over the outbox").set_defaults(
        handler=cmd_mail_send_pending
    )


def _add_routing_commands(commands: Any) -> None:
    routing = commands.add_parser("routing", help="routing policy").add_subparsers(
        dest="routing", required=True
    )
    thresholds = routing.add_parser(
        "thresholds", help="per-category auto thresholds that would have met a precision"
    )
    thresholds.add_argument(
        "--target-precision", type=_share_of_one, required=True, help="e.g. 0.9"
    )
    thresholds.add_argument(
        "--apply", action="store_true", help="store them: the router uses them from now on"
    )
    thresholds.add_argument(
        "--min-evidence",
        type=_positive,
        default=MIN_EVIDENCE,
        help=f"judged tickets a category needs for a threshold (default {MIN_EVIDENCE})",
    )
    thresholds.add_argument(
        "--min-support",
        type=_positive,
        default=MIN_SUPPORT,
        help=f"judged tickets a threshold must keep above it (default {MIN_SUPPORT})",
    )
    thresholds.set_defaults(handler=cmd_routing_thresholds)


def _unavailable(error: DependencyUnavailable) -> str:
    """One line for a dependency that cannot serve us; for the database, with the driver's own
    reason (a wrong role or database name, a refused address) instead of its traceback."""
    from helpdesk.adapters.storage.sql.errors import DatabaseUnavailable

    if isinstance(error, DatabaseUnavailable):
        return f"HELPDESK_DATABASE_URL: {error.detail} ({error.reason})"
    return str(error)


def main(argv: Sequence[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    try:
        args.handler(args)
    except DependencyUnavailable as e:
        print(f"helpdesk: {_unavailable(e)}", file=sys.stderr)
        sys.exit(2)
    except (SettingsError, CliError, DomainError) as e:
        print(f"helpdesk: {e}", file=sys.stderr)
        sys.exit(2)

    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
