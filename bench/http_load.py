"""HTTP load benchmark: the product's create and reads against bare baselines, in one run.

Run: python bench/http_load.py [--duration 8] [--warmup 2] [--skip-django] [--json FILE]
(from the project's virtualenv; needs `wrk` and the local PostgreSQL; creates and drops its own
databases `helpdesk_load_*`; django-helpdesk is installed once into a virtualenv under
~/.cache/helpdesk-bench).

One after another, each on a fresh database and with the same wrk load (-t2 -c32 POSTs, after a
short warm-up):
- the product: `helpdesk serve --workers 2` on PostgreSQL, embedded classifier, rate limiting
  off, 5 departments × 3 agents, an end user's token, Arabic ticket bodies that the classifier
  routes automatically to different departments;
- the baseline: bench/baseline_app.py under the same server and worker count, the create's
  statements in one transaction with the same per-department lock, and no logic; then the same
  statements through SQLAlchemy Core (the product's storage stack) in the same app;
- django-helpdesk from PyPI: its REST API create, gunicorn with 2 workers, token auth.
Then the reads (one worker, -c16): an agent's unread-count and queue on the product against a
bare endpoint with one indexed SELECT, on PostgreSQL and on SQLite — and the same SELECT through
SQLAlchemy Core's async engine in the bare app, the ceiling of the product's storage stack.

Absolute figures drift between runs and machines; the ratios measured in the same run travel.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx

BENCH = Path(__file__).resolve().parent
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "helpdesk-bench"
DJANGO_HELPDESK = "django-helpdesk[teams]==2.6.1"
END_USER = "employee@helpdesk.local"
AGENT = "agent1.it-support@helpdesk.local"
PRIORITIES = ("medium", "high", "low", "medium", "urgent")
PORT = 8217


# --- processes and databases --------------------------------------------------------------


def helpdesk_cli() -> str:
    beside = Path(sys.executable).parent / "helpdesk"
    found = str(beside) if beside.exists() else shutil.which("helpdesk")
    if found is None:
        sys.exit("the `helpdesk` command is not installed in this environment")
    return found


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without any HELPDESK_* setting of the caller's, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HELPDESK_")}
    return env | extra


async def _admin(statement: str) -> None:
    conn = await asyncpg.connect(PG_ADMIN)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


@contextlib.contextmanager
def database(prefix: str) -> Iterator[str]:
    """A fresh UTF-8 PostgreSQL database, dropped afterwards; yields its name."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    asyncio.run(
        _admin(
            f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' "
            "LC_CTYPE 'C.UTF-8' TEMPLATE template0"
        )
    )
    try:
        yield name
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _fetch(dsn: str, query: str, *args: Any) -> list[Any]:
    conn = await asyncpg.connect(dsn)
    try:
        return list(await conn.fetch(query, *args))
    finally:
        await conn.close()


def fetch(dsn: str, query: str, *args: Any) -> list[Any]:
    return asyncio.run(_fetch(dsn, query, *args))


def run(cmd: list[str], env: dict[str, str], cwd: Path) -> str:
    done = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{done.stdout}\n{done.stderr}")
    return done.stdout


def largest_rss_mb(group: int) -> float:
    """The largest resident memory among the processes of a process group (a server's
    workers), in MB."""
    largest = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == group:  # the fifth field of stat: the process group
                status = (stat.parent / "status").read_text()
                kb = next(x for x in status.splitlines() if x.startswith("VmRSS:")).split()[1]
                largest = max(largest, int(kb) / 1024)
    return largest


@contextlib.contextmanager
def served(cmd: list[str], env: dict[str, str], cwd: Path, ready: str, log: Path) -> Iterator[None]:
    """Run a server in its own process group until the block ends; wait until `ready`
    answers below 500."""
    with log.open("w") as out:
        proc = subprocess.Popen(
            cmd, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                sys.exit(f"server exited ({proc.returncode}): {' '.join(cmd)}\n{log.read_text()}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(ready, timeout=2).status_code < 500:
                    break
            if time.monotonic() > deadline:
                sys.exit(f"server not ready after 60 s: {' '.join(cmd)}\n{log.read_text()}")
            time.sleep(0.3)
        yield proc.pid
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


# --- wrk ----------------------------------------------------------------------------------


@dataclass
class Load:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


LUA = """
local bodies = {%(bodies)s}
local headers = {%(headers)s}
local method = "%(method)s"
local counter = 0
local threads = 0

function setup(thread)
  thread:set("offset", threads)
  threads = threads + 1
end

request = function()
  counter = counter + 1
  if #bodies == 0 then
    return wrk.format(method, nil, headers)
  end
  return wrk.format(method, nil, headers, bodies[(counter + offset * 7) %% #bodies + 1])
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRKJSON {\\"requests\\": %%d, \\"us\\": %%d, \\"p50\\": %%d, \\"p99\\": %%d, " ..
    "\\"status\\": %%d, \\"socket\\": %%d}\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def _lua_string(text: str) -> str:
    return "[==[" + text + "]==]"


def wrk(
    url: str,
    *,
    method: str = "GET",
    headers: dict[str, str],
    bodies: tuple[str, ...] = (),
    connections: int,
    seconds: int,
    workdir: Path,
) -> Load:
    script = workdir / f"wrk_{uuid.uuid4().hex[:6]}.lua"
    script.write_text(
        LUA
        % {
            "bodies": ", ".join(_lua_string(b) for b in bodies),
            "headers": ", ".join(f'["{k}"] = {_lua_string(v)}' for k, v in headers.items()),
            "method": method,
        }
    )
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s"]
    done = subprocess.run([*cmd, str(script), url], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"wrk failed: {done.stderr}{done.stdout}")
    out = done.stdout
    line = next((x for x in out.splitlines() if x.startswith("WRKJSON ")), None)
    if line is None:
        sys.exit(f"wrk printed no summary:\n{out}")
    data = json.loads(line.removeprefix("WRKJSON "))
    return Load(
        requests=data["requests"],
        seconds=data["us"] / 1e6,
        p50_ms=data["p50"] / 1e3,
        p99_ms=data["p99"] / 1e3,
        non_2xx=data["status"],
        socket_errors=data["socket"],
    )


def load(url: str, args: argparse.Namespace, work: Path, **kwargs: Any) -> Load:
    """A warm-up, then the measured run."""
    if args.warmup > 0:
        wrk(url, seconds=args.warmup, workdir=work, **kwargs)
    return wrk(url, seconds=args.duration, workdir=work, **kwargs)


# --- the workload -------------------------------------------------------------------------


def auto_routed_tickets() -> list[tuple[str, str, str]]:
    """(title, description, department slug) of the sample tickets that the embedded
    classifier routes automatically, decided by the product's own router."""
    from helpdesk.container import build_container, open_resources
    from helpdesk.domain.defaults import DEFAULT_DEPARTMENTS, SAMPLE_TICKETS
    from helpdesk.domain.departments import DepartmentDirectory
    from helpdesk.domain.routing import decide
    from helpdesk.domain.taxonomy import RoutingMode
    from helpdesk.settings import load_settings

    slugs = {uuid.uuid5(uuid.NAMESPACE_URL, slug): slug for slug, *_ in DEFAULT_DEPARTMENTS}
    directory = DepartmentDirectory(
        by_category={
            category: uuid.uuid5(uuid.NAMESPACE_URL, slug)
            for slug, _name, _description, categories in DEFAULT_DEPARTMENTS
            for category in categories
        },
        active_ids=frozenset(slugs),
    )
    settings = load_settings({"database_url": "memory://"})
    container = build_container(settings)

    async def classify_all() -> list[Any]:
        await open_resources(container, ["classifier"])
        classifier = container.classifier()
        return [await classifier.classify(f"{t}\n{d}") for t, d in SAMPLE_TICKETS]

    chosen = []
    for (title, description), classification in zip(
        SAMPLE_TICKETS, asyncio.run(classify_all()), strict=True
    ):
        decision = decide(classification, directory, settings.thresholds)
        if decision.mode is RoutingMode.AUTO and decision.department_id is not None:
            chosen.append((title, description, slugs[decision.department_id]))
    if len({slug for *_, slug in chosen}) < 4:
        sys.exit("the sample tickets no longer reach four departments automatically")
    return chosen


def product_bodies(tickets: list[tuple[str, str, str]]) -> tuple[str, ...]:
    return tuple(
        json.dumps(
            {"title": t, "description": d, "priority": PRIORITIES[i % len(PRIORITIES)]},
            ensure_ascii=False,
        )
        for i, (t, d, _) in enumerate(tickets)
    )


def seed_product(url: str, tickets: int, work: Path, secret: str) -> dict[str, str]:
    """Seed departments, 3 agents each, an admin and an end user; return the environment
    the product runs with."""
    env = clean_env(HELPDESK_DATABASE_URL=url, HELPDESK_JWT_SECRET=secret, HELPDESK_RATE_LIMIT="0")
    run([helpdesk_cli(), "seed", "--tickets", str(tickets)], env, work)
    return env


def token(env: dict[str, str], email: str, work: Path) -> str:
    return run([helpdesk_cli(), "token", "--email", email, "--ttl", "7200"], env, work).strip()


def serve_product(env: dict[str, str], workers: int, work: Path, log: str) -> Any:
    cmd = [helpdesk_cli(), "serve", "--port", str(PORT)]
    if workers > 1:
        cmd += ["--workers", str(workers)]
    return served(cmd, env, work, f"http://127.0.0.1:{PORT}/health/ready", work / log)


def serve_baseline(env: dict[str, str], workers: int, work: Path, log: str) -> Any:
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "baseline_app:create_app",
        "--factory",
        "--app-dir",
        str(BENCH),
        "--port",
        str(PORT),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]
    return served(
        cmd, env, work, f"http://127.0.0.1:{PORT}/count?user={uuid.UUID(int=0)}", work / log
    )


# --- the three create runs ----------------------------------------------------------------


def bench_product_create(args: argparse.Namespace, work: Path, tickets: Any) -> dict[str, Any]:
    with database("helpdesk_load_product") as db:
        url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{db}"
        env = seed_product(url, 0, work, secrets.token_hex(32))
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {token(env, END_USER, work)}",
        }
        with serve_product(env, 2, work, "product-create.log") as group:
            result = load(
                f"http://127.0.0.1:{PORT}/api/v1/tickets",
                args,
                work,
                method="POST",
                headers=headers,
                bodies=product_bodies(tickets),
                connections=32,
            )
            rss = largest_rss_mb(group)
        dsn = f"postgresql://postgres@127.0.0.1:5432/{db}"
        stored = fetch(dsn, "SELECT count(*) AS n FROM tickets")[0]["n"]
        spreads = fetch(
            dsn,
            "SELECT max(n) - min(n) AS spread FROM (SELECT p.department_id, count(t.id) AS n"
            " FROM profiles p LEFT JOIN tickets t ON t.assigned_agent_id = p.id"
            " WHERE p.role = 'agent' GROUP BY p.id, p.department_id) s GROUP BY department_id",
        )
    return {
        "load": result,
        "stored": stored,
        "max_spread": max(r["spread"] for r in spreads),
        "worker_rss_mb": rss,
    }


def bench_baseline_create(
    args: argparse.Namespace, work: Path, tickets: Any, path: str = "/api/v1/tickets"
) -> Load:
    """The bare create (`path`: through asyncpg, or `/api/v1/tickets-core` through SQLAlchemy
    Core), each on a fresh database."""
    with database("helpdesk_load_baseline") as db:
        url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{db}"
        seed_product(url, 0, work, secrets.token_hex(32))  # the same schema, departments, agents
        dsn = f"postgresql://postgres@127.0.0.1:5432/{db}"
        ids = {r["slug"]: str(r["id"]) for r in fetch(dsn, "SELECT slug, id FROM departments")}
        env = clean_env(
            BASELINE_DATABASE=dsn,
            BASELINE_ROUTES=json.dumps({t: ids[slug] for t, _, slug in tickets}),
        )
        with serve_baseline(env, 2, work, "baseline-create.log"):
            return load(
                f"http://127.0.0.1:{PORT}{path}",
                args,
                work,
                method="POST",
                headers={"Content-Type": "application/json"},
                bodies=product_bodies(tickets),
                connections=32,
            )


def django_python() -> Path:
    """django-helpdesk's own virtualenv (made once, kept in the cache folder)."""
    venv = CACHE / "django-helpdesk-venv"
    python = venv / "bin" / "python"
    marker = venv / ".installed"
    if not marker.exists() or marker.read_text() != DJANGO_HELPDESK:
        print(f"installing {DJANGO_HELPDESK} into {venv} …", flush=True)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "-q",
                DJANGO_HELPDESK,
                "gunicorn",
                "psycopg[binary]",
            ],
            check=True,
        )
        marker.write_text(DJANGO_HELPDESK)
    return python


def bench_django_create(args: argparse.Namespace, work: Path, tickets: Any) -> Load:
    python = django_python()
    site = BENCH / "django_site"
    with database("helpdesk_load_django") as db:
        env = clean_env(
            BENCH_DJANGO_DB=db, DJANGO_SETTINGS_MODULE="bench_settings", PYTHONPATH=str(site)
        )
        slugs = sorted({slug for *_, slug in tickets})
        setup = json.loads(run([str(python), str(site / "bench_setup.py"), *slugs], env, work))
        queue = dict(zip(slugs, setup["queues"], strict=True))
        bodies = tuple(
            json.dumps(
                {
                    "queue": queue[slug],
                    "title": t,
                    "description": d,
                    "submitter_email": END_USER,
                    "priority": 3,
                },
                ensure_ascii=False,
            )
            for t, d, slug in tickets
        )
        gunicorn = [
            str(python.parent / "gunicorn"),
            "--chdir",
            str(site),
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{PORT}",
            "bench_wsgi:application",
        ]
        with served(
            gunicorn, env, work, f"http://127.0.0.1:{PORT}/helpdesk/api/", work / "django.log"
        ):
            return load(
                f"http://127.0.0.1:{PORT}/helpdesk/api/tickets/",
                args,
                work,
                method="POST",
                headers={
                    "Content-Type": "application/json",
                    "Authorization": f"Token {setup['token']}",
                },
                bodies=bodies,
                connections=32,
            )


# --- reads --------------------------------------------------------------------------------


def bench_reads(args: argparse.Namespace, work: Path, engine: str) -> dict[str, Load]:
    with contextlib.ExitStack() as stack:
        if engine == "postgresql":
            db = stack.enter_context(database("helpdesk_load_reads"))
            url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{db}"
            baseline_target = f"postgresql://postgres@127.0.0.1:5432/{db}"
        else:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(dir=work)))
            url = f"sqlite+aiosqlite:///{folder}/reads.db"
            baseline_target = str(folder / "reads.db")
        env = seed_product(url, args.read_tickets, work, secrets.token_hex(32))
        agent_token = token(env, AGENT, work)
        headers = {"Authorization": f"Bearer {agent_token}"}
        base = f"http://127.0.0.1:{PORT}"
        results = {}
        with serve_product(env, 1, work, f"product-reads-{engine}.log"):
            me = httpx.get(f"{base}/api/v1/users/me", headers=headers).json()
            product_count = httpx.get(
                f"{base}/api/v1/notifications/unread-count", headers=headers
            ).json()["count"]
            for name, path in (
                ("unread-count", "/api/v1/notifications/unread-count"),
                ("queue=mine", "/api/v1/tickets?queue=mine&limit=20"),
            ):
                results[name] = load(base + path, args, work, headers=headers, connections=16)
        with serve_baseline(
            clean_env(BASELINE_DATABASE=baseline_target), 1, work, f"baseline-reads-{engine}.log"
        ):
            # The bare endpoint must count what the product counts, or the ratio means nothing.
            bare = httpx.get(f"{base}/count?user={me['id']}").json()["count"]
            if bare != product_count or bare == 0:
                sys.exit(f"bare count {bare} differs from the product's {product_count}")
            results["bare SELECT"] = load(
                f"{base}/count?user={me['id']}", args, work, headers={}, connections=16
            )
            core = httpx.get(f"{base}/count-core?user={me['id']}").json()["count"]
            if core != bare:
                sys.exit(f"the SQLAlchemy Core count {core} differs from the bare one {bare}")
            results["bare Core SELECT"] = load(
                f"{base}/count-core?user={me['id']}", args, work, headers={}, connections=16
            )
    return results


# --- report -------------------------------------------------------------------------------


def row(name: str, result: Load) -> str:
    return (
        f"  {name:<28} {result.rps:8.0f} req/s   p50 {result.p50_ms:7.1f} ms   "
        f"p99 {result.p99_ms:7.1f} ms   non-2xx {result.non_2xx:4d}   "
        f"socket errors {result.socket_errors}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=8, help="seconds per measured run")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per run")
    parser.add_argument("--skip-django", action="store_true")
    parser.add_argument("--only", choices=["create", "reads"], help="one half of the benchmark")
    parser.add_argument("--read-tickets", type=int, default=60, help="tickets seeded for reads")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="helpdesk-load-") as tmp:
        work = Path(tmp)
        if args.only in (None, "create"):
            tickets = auto_routed_tickets()
            print(
                f"create: {len(tickets)} Arabic tickets over "
                f"{len({s for *_, s in tickets})} departments, wrk -t2 -c32 "
                f"{args.duration:g} s after {args.warmup:g} s warm-up",
                flush=True,
            )
            product = bench_product_create(args, work, tickets)
            print(row("product (2 workers)", product["load"]), flush=True)
            baseline = bench_baseline_create(args, work, tickets)
            print(row("baseline (2 workers)", baseline), flush=True)
            core = bench_baseline_create(args, work, tickets, "/api/v1/tickets-core")
            print(row("baseline, SQLAlchemy Core", core), flush=True)
            django = None if args.skip_django else bench_django_create(args, work, tickets)
            if django is not None:
                print(row("django-helpdesk (2 workers)", django), flush=True)
            p = product["load"].rps
            print(f"  product / baseline        {p / baseline.rps:6.2f}x")
            print(f"  Core baseline / baseline  {core.rps / baseline.rps:6.2f}x")
            if django is not None:
                print(f"  product / django-helpdesk {p / django.rps:6.2f}x")
            print(
                f"  product stored {product['stored']} tickets; largest active-load spread "
                f"between agents of one department: {product['max_spread']}; largest "
                f"worker RSS after the load {product['worker_rss_mb']:.0f} MB"
            )
            figures["create"] = {
                "product": asdict(product["load"]),
                "baseline": asdict(baseline),
                "baseline_core": asdict(core),
                "django_helpdesk": asdict(django) if django else None,
                "stored": product["stored"],
                "max_spread": product["max_spread"],
                "worker_rss_mb": product["worker_rss_mb"],
            }
        if args.only in (None, "reads"):
            for engine in ("postgresql", "sqlite"):
                print(
                    f"reads on {engine} (one worker, wrk -t2 -c16, "
                    f"{args.read_tickets} seeded tickets)",
                    flush=True,
                )
                reads = bench_reads(args, work, engine)
                for name, result in reads.items():
                    print(row(name, result), flush=True)
                bare = reads["bare SELECT"].rps
                for name in ("unread-count", "queue=mine", "bare Core SELECT"):
                    print(f"  {name} / bare SELECT {reads[name].rps / bare:10.2f}x")
                figures[f"reads_{engine}"] = {k: asdict(v) for k, v in reads.items()}
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
