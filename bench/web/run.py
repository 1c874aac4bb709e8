"""The web companion on a phone: Lighthouse scores, page weight, and latency under load.

Starts a real `thottopilot serve` on a temporary data dir (so it also migrates), signs
a bench user in by creating a session in that same database, then prints, from one run:

- Lighthouse 12.2.3 (mobile preset, Debian's Chromium) on the landing page, settings
  (signed in: the session cookie goes in --extra-headers) and the queue: the category
  scores, FCP and LCP, and the audits that cost points;
- the gzipped JS + CSS each page loads, against the 50 KB budget;
- p50/p99 and requests per second of `/api/me` (signed in: cookie lookup + a read) and
  `/healthz`, next to a bare aiohttp hello-world started in the same run, and the ratio.

Goals: Lighthouse mobile 100 for performance and accessibility, >= 95 for the rest;
API p50 within 2x of the bare floor. Nothing here asserts: it prints numbers.

    .venv/bin/python bench/web/run.py [--requests 5000] [--concurrency 16] [--lighthouse-runs 3]
        [--no-lighthouse] [--no-load] [--database-url postgresql+asyncpg://...]

Lighthouse is installed on first use with `npm ci` from bench/web/package-lock.json
(Node 20). Rate limiting is switched off for the run (one client IP would hit it).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import budget  # noqa: E402
import lighthouse  # noqa: E402
import load  # noqa: E402

SCRIPT = Path(sys.executable).with_name("thottopilot")
CLI = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "bot.cli"]
PAGES = (("landing", "/", False), ("settings", "/settings", True), ("queue", "/queue", True))
COOKIE = "tp_session"
# Signed-in HTML pages loaded next to the bare HTML page (the session check and the
# page's own reads: one read transaction each, like /api/me).
SIGNED_IN_PAGES = ("/settings", "/usage", "/queue")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(port: int, proc: subprocess.Popen[bytes], ceiling: float = 120.0) -> None:
    deadline = time.monotonic() + ceiling
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("server did not become healthy")
        time.sleep(0.05)


def serve_env(data_dir: str, port: int, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THOTTOPILOT_")}
    env.update(THOTTOPILOT_APP__DATA_DIR=data_dir, THOTTOPILOT_WEB__PORT=str(port),
               THOTTOPILOT_APP__LOG_LEVEL="WARNING",
               THOTTOPILOT_SECURITY__SECRET_KEY=secrets.token_urlsafe(32),
               THOTTOPILOT_RATELIMIT__ENABLED="false")
    if database_url:
        env["THOTTOPILOT_DATABASE__URL"] = database_url
    return env


@contextlib.contextmanager
def fresh_postgres(url: str | None) -> Iterator[str | None]:
    """A new, empty PostgreSQL database for the run (dropped after), or SQLite."""
    if not url:
        yield None
        return
    import asyncpg
    from sqlalchemy.engine import make_url

    name = f"tp_bench_web_{uuid.uuid4().hex[:8]}"
    admin = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)

    async def sql(statement: str) -> None:
        conn = await asyncpg.connect(admin)
        try:
            await conn.execute(statement)
        finally:
            await conn.close()

    asyncio.run(sql(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def signed_in_cookie(env: dict[str, str]) -> str:
    """A web session for a bench user, created in the server's own database."""
    os.environ.update({k: v for k, v in env.items() if k.startswith("THOTTOPILOT_")})
    from core.bootstrap import open_core
    from core.settings import load_settings
    from core.users import Who

    async with (open_core(load_settings(), run_migrations=False) as core,
                core.db.session() as session):
        user, _ = await core.users.get_or_create(
            session, Who("telegram", "1000001", display_name="Bench", username="bench"))
        new = await core.auth.sessions.create(session, user, "magic_link")
    return new.token


def lighthouse_section(base: str, token: str, out_dir: Path, runs: int, floor: str) -> None:
    lighthouse.install()
    print(f"{'lighthouse':<10}{'perf':>6}{'a11y':>6}{'best':>6}{'seo':>6}{'pwa':>6}"
          f"{'FCP ms':>9}{'LCP ms':>9}   perf per run   goal: 100 100 >=95 >=95")
    reports = []
    targets = [(name, base + path, private) for name, path, private in PAGES]
    for name, url, private in [*targets, ("floor", floor, False)]:
        cookie = f"{COOKIE}={token}" if private else None
        r = lighthouse.median_run(name, url, out_dir, cookie, runs)
        s = r.scores
        pwa = str(s["pwa"]) if "pwa" in s else "-"
        print(f"{name:<10}{s['performance']:>6}{s['accessibility']:>6}"
              f"{s['best-practices']:>6}{s['seo']:>6}{pwa:>6}{r.fcp_ms:>9.0f}{r.lcp_ms:>9.0f}"
              f"   {' '.join(map(str, r.performance_runs))}", flush=True)
        reports.append(r)
    for r in reports:
        for line in r.failing:
            print(f"  {r.page}: {line}")
    index = statistics.median(r.benchmark_index for r in reports)
    print(f"(mobile preset, median of {runs} runs by performance; floor: a bare HTML page "
          f"from plain aiohttp; benchmarkIndex {index:.0f}; JSON in bench/web/reports/)")


def budget_section(base: str, token: str) -> None:
    print(f"\n{'JS+CSS gzipped':<28}{'bytes':>8}{'budget':>8}")
    for name, path, private in PAGES:
        weight = budget.page_weight(base, path, f"{COOKIE}={token}" if private else None)
        verdict = "ok" if weight <= budget.BUDGET_BYTES else "OVER"
        print(f"{name:<28}{weight:>8}{budget.BUDGET_BYTES:>8}   {verdict}")


@contextlib.contextmanager
def bare_server() -> Iterator[int]:
    """The floor: plain aiohttp in its own process; its port."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", load.BARE_SERVER, str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_healthy(port, proc)
        yield port
    finally:
        proc.terminate()
        proc.wait()


def load_section(port: int, bare_port: int, token: str, args: argparse.Namespace) -> None:
    n, c = args.requests, args.concurrency
    site, bare = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{bare_port}"
    rows = [
        ("/api/me (signed in)",
         *load.side_by_side(f"{site}/api/me", f"{bare}/json", n, c, {COOKIE: token})),
        *((f"{path} (signed in)",
           *load.side_by_side(f"{site}{path}", f"{bare}/page", n, c, {COOKIE: token}))
          for path in SIGNED_IN_PAGES),
        ("/healthz", *load.side_by_side(f"{site}/healthz", f"{bare}/healthz", n, c)),
    ]
    print(f"\n{f'load: {n} requests, {c} clients':<32}{'ours':>10}{'floor':>10}{'ratio':>8}"
          "   goal: p50 <= 2x")
    for name, ours, floor in rows:
        for label, a, b in (("p50 ms", ours.p50_ms, floor.p50_ms),
                            ("p99 ms", ours.p99_ms, floor.p99_ms),
                            ("requests/s", ours.rps, floor.rps)):
            print(f"{name + ' ' + label:<32}{a:>10.2f}{b:>10.2f}{a / b:>8.2f}")
        if ours.errors or floor.errors:
            print(f"  {name}: {ours.errors} non-200 answers (floor {floor.errors})")
    print(f"(floor: bare aiohttp hello-world JSON, or its bare HTML page for the HTML "
          f"pages, in alternating rounds; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--lighthouse-runs", type=int, default=3)
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--no-load", action="store_true")
    parser.add_argument("--database-url", help="PostgreSQL (postgresql+asyncpg://...) to "
                        "run serve on, in a fresh database; SQLite when not given")
    args = parser.parse_args()
    with (tempfile.TemporaryDirectory() as tmp, fresh_postgres(args.database_url) as db_url,
          bare_server() as bare_port):
        port = free_port()
        env = serve_env(tmp, port, db_url)
        print(f"database: {'PostgreSQL' if db_url else 'SQLite'}\n")
        proc = subprocess.Popen([*CLI, "serve"], env=env, cwd=tmp,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_healthy(port, proc)
            token = asyncio.run(signed_in_cookie(env))
            base = f"http://127.0.0.1:{port}"
            if not args.no_lighthouse:
                lighthouse_section(base, token, Path(tmp), args.lighthouse_runs,
                                   f"http://127.0.0.1:{bare_port}/page")
                out = Path(__file__).resolve().parent / "reports"
                out.mkdir(exist_ok=True)
                for old in out.glob("lighthouse-*.json"):
                    old.unlink()
                for report in Path(tmp).glob("lighthouse-*.json"):
                    report.replace(out / report.name)
            budget_section(base, token)
            if not args.no_load:
                load_section(port, bare_port, token, args)
        finally:
            proc.terminate()
            proc.wait(timeout=120)


if __name__ == "__main__":
    main()
