"""The Telegram path end to end: updates/s and time from update to reply, in webhook mode
on PostgreSQL, with 1 and then 2 `thottopilot serve` processes, next to a floor.

The bench process is both Telegram sides: it POSTs real Update JSON (with the secret
token header) to one URL, the local balancer of `scripts/cluster` (scripts/cluster.py
starts the serve processes and the balancer, the same code path as `scripts/cluster
N`), whose round robin hands consecutive updates of one chat to different processes;
and it runs the local fake Bot API (tests/fakes/telegram.py) that the product's
python-telegram-bot sends its replies to. A reply is a sendMessage or editMessageText
call; latency is from the POST of an update to the first reply it caused arriving at
the fake (through the balancer, as behind a production load balancer).

Each simulated user (a private chat) goes: /start, presses SFW (the signed button the
product sent), /caption, describes the post, presses "Write captions" (the offline
provider), then /help and /cancel sent back to back without waiting. A calibration user
runs the script alone first; every other chat must get the same reply texts in the same
order ("order held"). Errors: a webhook answer other than 200, a chat that did not get
its replies within 60 s, or a reply that is the generic error or a "busy" line.

Load: `--users` users, `--concurrency` of them active at once (closed loop: a user
waits for each reply before the next step, except the burst); updates/s and p50/p99 are
at that load, so latency includes queueing. "unloaded" is one user at a time.

"cpu ms/upd" is the CPU (user + system) the serve processes, or the floor, used per
update during the loaded phase: with a machine's cores, it bounds updates/s. "machine
busy" is the share of all cores' time in use meanwhile, by every process (serve, the
balancer, PostgreSQL and this harness): near 100%, a second process has no core to run
on, and 2 processes / 1 process measures the machine, not the product.
`--by-step` then runs every user through each step in lockstep and prints the CPU per
update of each step (what to make cheaper, and whether a change did).

The floor, in the same run: a bare aiohttp webhook receiver that answers 200 and sends
one sendMessage per update to the same fake Bot API: the harness's own cost (posted to
directly, without the balancer). The cluster runs without Redis unless `--redis-url`
is given (the figures so far are without).

Each configuration gets a fresh PostgreSQL database (dropped afterwards).
Run: `.venv/bin/python bench/bot/run.py [--users 400] [--concurrency 32]
[--processes 1,2] [--database-url postgresql+asyncpg://postgres@127.0.0.1:5432/test]
[--redis-url redis://127.0.0.1:6379/0] [--by-step]`
(BENCH_DEBUG=1: replies per step and p50/p99 by step; BENCH_PROFILE=DIR: cProfile of
each serve process). Figures and where the time goes: bench/bot/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from core.texts import common as texts  # noqa: E402
from scripts.cluster import ClusterConfig, free_port, running, wait_listening  # noqa: E402
from tests.fakes.telegram import FakeTelegram  # noqa: E402

SECRET = "bench-webhook-secret"
PATH = "/telegram/webhook"
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
REPLIES = ("sendMessage", "editMessageText")
WAIT = 60.0  # seconds a chat may wait for a reply before it counts as an error
# (kind, value, wait): "text" sends a message, "press" the button whose label holds value;
# wait=False sends the next step at once (the burst that tests per-chat order)
STEPS: list[tuple[str, str, bool]] = [
    ("text", "/start", True),
    ("press", "SFW", True),
    ("text", "/caption", True),
    ("text", "sunny beach day with my dog", True),
    ("press", "Write captions", True),
    ("text", "/help", False),
    ("text", "/cancel", True),
]
UPDATE_IDS = itertools.count(1)
QUIET = 0.7  # calibration: a step is settled after a reply and this long without another
BAD = tuple(s[:40] for s in (texts.SOMETHING_WENT_WRONG, texts.BUSY))

FLOOR = """
import sys
from aiohttp import web, ClientSession
api = sys.argv[2]
async def start(app):
    app["tg"] = ClientSession()
async def stop(app):
    await app["tg"].close()
async def send(chat_id):
    async with app["tg"].post(api + "/sendMessage", data={"chat_id": chat_id, "text": "ok"}) as r:
        await r.read()
async def hook(request):
    update = await request.json()
    body = update.get("message") or update["callback_query"]["message"]
    request.app["tasks"].add(t := asyncio.create_task(send(body["chat"]["id"])))
    t.add_done_callback(request.app["tasks"].discard)
    return web.json_response({"ok": True})
import asyncio
app = web.Application()
app["tasks"] = set()
app.on_startup.append(start)
app.on_cleanup.append(stop)
app.router.add_post("/telegram/webhook", hook)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), access_log=None, print=None)
"""


@dataclass
class Reply:
    at: float
    method: str
    text: str
    message: dict[str, Any]
    buttons: list[tuple[str, str]]


@dataclass
class Chat:
    replies: list[Reply] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)


class Hub(FakeTelegram):
    """The fake Bot API, keeping each chat's replies with their arrival time."""

    def __init__(self) -> None:
        super().__init__()
        self.chats: dict[int, Chat] = {}

    def _result(self, method: str, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        result = super()._result(method, params, files)
        if method in REPLIES:
            markup = params.get("reply_markup") or {}
            buttons = [(b.get("text", ""), b.get("callback_data", ""))
                       for row in markup.get("inline_keyboard", []) for b in row]
            chat = self.chat(int(params["chat_id"]))
            chat.replies.append(Reply(time.perf_counter(), method, str(params.get("text", "")),
                                      result, buttons))
            chat.changed.set()
        return result

    def chat(self, chat_id: int) -> Chat:
        return self.chats.setdefault(chat_id, Chat())

    def forget(self) -> None:
        self.calls.clear()
        self.chats.clear()


@dataclass
class Result:
    name: str
    updates: int = 0
    elapsed: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    disordered: int = 0
    cpu: float = 0.0  # seconds of CPU the measured processes used (user + system)
    busy: float = 0.0  # share of the whole machine's CPU time in use (every process)
    by_step: dict[int, list[float]] = field(default_factory=dict)


class Driver:
    def __init__(self, hub: Hub, url: str, expected: list[int] | None,
                 floor: bool) -> None:
        self.hub, self.floor = hub, floor
        self.url = url + PATH  # the balancer's (or the floor's) base URL
        self.expected = expected  # replies per step (from the calibration user)
        self.update_ids = UPDATE_IDS  # unique across drivers: a repeated id is a redelivery
        self.message_ids = itertools.count(1)
        self.http: aiohttp.ClientSession | None = None

    def _update(self, user_id: int, kind: str, value: str, chat: Chat) -> dict[str, Any]:
        user = {"id": user_id, "is_bot": False, "first_name": "Bench", "language_code": "en"}
        update_id = next(self.update_ids)
        if kind == "press":
            found = [(r.message, data) for r in reversed(chat.replies)
                     for label, data in r.buttons if label == value or label.endswith(value)]
            message, data = found[0] if found else (
                {"message_id": 1, "date": 1_764_000_000, "chat": {"id": user_id,
                 "type": "private"}}, "floor")
            return {"update_id": update_id, "callback_query": {
                "id": f"q{update_id}", "from": user, "chat_instance": "ci",
                "data": data, "message": message}}
        msg: dict[str, Any] = {"message_id": next(self.message_ids), "date": 1_764_000_000,
                               "text": value, "from": user,
                               "chat": {"id": user_id, "type": "private", "first_name": "Bench"}}
        if value.startswith("/"):
            msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(value)}]
        return {"update_id": update_id, "message": msg}

    async def post(self, update: dict[str, Any], result: Result) -> float:
        assert self.http is not None
        started = time.perf_counter()
        async with self.http.post(self.url, json=update, headers=HEADERS) as resp:
            await resp.read()
            if resp.status != 200:
                result.errors.append(f"webhook answered {resp.status}")
        return started

    async def user(self, user_id: int, result: Result) -> list[int]:
        """Run the script for one chat; returns the number of replies after each step."""
        chat = self.hub.chat(user_id)
        counts: list[int] = []
        sent: list[tuple[float, int]] = []  # (posted at, replies before it)
        pending = 0
        for i, (kind, value, wait) in enumerate(STEPS):
            before = len(chat.replies)
            if self.expected is not None:
                before = sum(self.expected[:i])
            sent.append((await self.post(self._update(user_id, kind, value, chat), result),
                         before))
            pending += 1
            if not wait and self.expected is not None:  # calibration settles every step
                continue
            target = sum(self.expected[:i + 1]) if self.expected is not None else None
            if not await self._settle(chat, target, before):
                result.errors.append(f"chat {user_id}: no reply to step {i} within {WAIT} s")
                return counts
            counts.extend([len(chat.replies)] * pending)
            pending = 0
        for i, (posted, before) in enumerate(sent):
            if len(chat.replies) > before:
                result.latencies.append(chat.replies[before].at - posted)
                result.by_step.setdefault(i, []).append(chat.replies[before].at - posted)
        result.updates += len(sent)
        for reply in chat.replies:
            if reply.text.startswith(BAD):
                result.errors.append(f"chat {user_id}: {reply.text[:60]!r}")
        return counts

    async def lockstep(self, first_id: int, users: int, concurrency: int,
                       cpu: Any) -> list[float]:
        """Every user takes step i before any takes step i + 1, each reply awaited: the
        CPU (`cpu()`, seconds) spent on each step, per update, in ms."""
        assert self.expected is not None
        result = Result("by step")
        gate = asyncio.Semaphore(concurrency)
        per_step: list[float] = []

        async def one(uid: int, i: int) -> None:
            kind, value, _ = STEPS[i]
            chat = self.hub.chat(uid)
            async with gate:
                await self.post(self._update(uid, kind, value, chat), result)
                target = sum(self.expected[:i + 1])  # type: ignore[index]
                if not await self._settle(chat, target, len(chat.replies)):
                    result.errors.append(f"chat {uid}: no reply to step {i}")

        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector) as self.http:
            for i in range(len(STEPS)):
                before = cpu()
                await asyncio.gather(*(one(first_id + u, i) for u in range(users)))
                per_step.append((cpu() - before) * 1000 / users)
        if result.errors:
            raise SystemExit(f"by step: {result.errors[:3]}")
        return per_step

    async def _settle(self, chat: Chat, target: int | None, before: int) -> bool:
        """Wait for `target` replies; without one (calibration), for a new reply and
        then QUIET seconds without another."""
        deadline = time.perf_counter() + WAIT
        while True:
            if target is not None and len(chat.replies) >= target:
                return True
            chat.changed.clear()
            left = deadline - time.perf_counter()
            if left <= 0:
                return False
            try:
                # a progress line ("Writing…") is edited into the result later
                quiet = target is None and len(chat.replies) > before \
                    and not chat.replies[-1].text.endswith("…")
                await asyncio.wait_for(chat.changed.wait(), QUIET if quiet else left)
            except TimeoutError:
                if target is None and len(chat.replies) > before:
                    return True  # only after QUIET: the deadline is WAIT

    async def run(self, name: str, first_id: int, users: int, concurrency: int,
                  reference: list[str] | None) -> Result:
        result = Result(name)
        gate = asyncio.Semaphore(concurrency)

        async def one(uid: int) -> None:
            async with gate:
                await self.user(uid, result)

        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector) as self.http:
            started = time.perf_counter()
            await asyncio.gather(*(one(first_id + i) for i in range(users)))
            result.elapsed = time.perf_counter() - started
        if reference is not None:
            for uid in range(first_id, first_id + users):
                got = [shape(r.text) for r in self.hub.chat(uid).replies]
                if got != reference:
                    result.disordered += 1
        return result


def shape(text: str) -> str:
    return text[:24]


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return sorted(values)[min(len(values) - 1, int(q * len(values)))] * 1000


async def pg(url: str, sql: str) -> None:
    import asyncpg  # the driver the product uses; the maintenance database to (re)create
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    conn = await asyncpg.connect(user=parsed.username, password=parsed.password,
                                 host=parsed.host, port=parsed.port, database="postgres")
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def cluster_config(n: int, hub: Hub, url: str, data: Path,
                   redis_url: str | None) -> ClusterConfig:
    """`scripts/cluster n` as the bench runs it: the fake Bot API, quiet."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("THOTTOPILOT_")}
    return ClusterConfig(
        processes=n, database_url=url, redis_url=redis_url, telegram_token=hub.token,
        telegram_api_base_url=hub.base_url, telegram_file_base_url=hub.file_base_url,
        webhook_secret=SECRET, data_dir=data, env=env, quiet=True,
        # BENCH_PROFILE=DIR: each process writes a cProfile of its run to DIR/serve<i>.prof
        profile_dir=os.environ.get("BENCH_PROFILE"),
        settings={
            "THOTTOPILOT_APP__LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "WARNING"),
            "THOTTOPILOT_AI__PROVIDER": "offline",
            # Telegram's own limits (30 messages/s per bot, ~1/s per chat) are honoured
            # by core.outbound in production; the fake Bot API has none, and with them on
            # this would measure the limiter (30/s), not our path.
            "THOTTOPILOT_OUTBOUND__ENABLED": "false",
        })


async def stop(procs: list[Any]) -> None:
    for proc in procs:
        if proc.returncode is None:
            proc.terminate()
    for proc in procs:
        try:
            await asyncio.wait_for(proc.wait(), 10)
        except TimeoutError:
            proc.kill()
            await proc.wait()


def machine_ticks() -> tuple[int, int]:
    """(busy, all) CPU ticks of the whole machine so far, every core (/proc/stat):
    whether the cores were all in use, by whom ever (harness, PostgreSQL, serve)."""
    try:
        ticks = [int(t) for t in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return 0, 0
    idle = ticks[3] + ticks[4]  # idle + iowait
    return sum(ticks[:8]) - idle, sum(ticks[:8])


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of these processes so far (Linux /proc; 0 elsewhere)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        total += int(fields[11]) + int(fields[12])  # utime, stime (clock ticks)
    return total / os.sysconf("SC_CLK_TCK")


async def measure(name: str, hub: Hub, url: str, args: argparse.Namespace,
                  floor: bool, pids: list[int]) -> tuple[Result, Result]:
    hub.forget()
    counts = per_step(await calibrate(hub, url, floor))
    reference = None if floor else [shape(r.text) for r in hub.chat(1).replies]
    if floor:
        counts = [1] * len(STEPS)
    if os.environ.get("BENCH_DEBUG"):
        print("replies per step:", counts, file=sys.stderr)
        for r in hub.chat(1).replies:
            print(f"  {r.method} {r.text[:50]!r} {[b for b, _ in r.buttons]}", file=sys.stderr)
    driver = Driver(hub, url, counts, floor)
    unloaded = await driver.run(f"{name} unloaded", 1000, args.unloaded, 1, reference)
    cpu, (busy, ticks) = cpu_seconds(pids), machine_ticks()
    loaded = await driver.run(name, 100_000, args.users, args.concurrency, reference)
    loaded.cpu = cpu_seconds(pids) - cpu
    busy_after, ticks_after = machine_ticks()
    loaded.busy = (busy_after - busy) / max(ticks_after - ticks, 1)
    if args.by_step and not floor:
        steps = await driver.lockstep(200_000, args.users, args.concurrency,
                                      lambda: cpu_seconds(pids))
        print(f"{name}, CPU ms per update by step ({args.users} users in lockstep): "
              + ", ".join(f"{STEPS[i][1][:14]} {ms:.1f}" for i, ms in enumerate(steps)))
    return unloaded, loaded


async def calibrate(hub: Hub, url: str, floor: bool) -> list[int]:
    """Replies after each step for one user alone, each step settled."""
    driver = Driver(hub, url, None, floor)
    result = Result("calibration")
    async with aiohttp.ClientSession() as driver.http:
        counts = await driver.user(1, result)
    if result.errors or len(counts) != len(STEPS):
        raise SystemExit(f"calibration failed: {result.errors}")
    return counts


def per_step(cumulative: list[int]) -> list[int]:
    return [b - a for a, b in zip([0, *cumulative], cumulative, strict=False)]


def report(rows: list[Result]) -> None:
    print(f"{'':<28}{'updates':>8}{'upd/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
          f"{'errors':>8}{'order':>8}{'cpu ms/upd':>12}{'machine busy':>14}")
    for r in rows:
        rate = r.updates / r.elapsed if r.elapsed else 0.0
        order = "-" if r.name.startswith("floor") else (
            "held" if not r.disordered else f"{r.disordered} bad")
        print(f"{r.name:<28}{r.updates:>8}{rate:>9.1f}{pct(r.latencies, .5):>9.1f}"
              f"{pct(r.latencies, .99):>9.1f}{len(r.errors):>8}{order:>8}"
              + (f"{r.cpu * 1000 / r.updates:>12.1f}{r.busy:>13.0%}"
                 if r.cpu and r.updates else ""))
        for error in r.errors[:3]:
            print(f"    {error}")
        if os.environ.get("BENCH_DEBUG"):
            print("    p50/p99 ms by step: " + ", ".join(
                f"{STEPS[i][1][:8]} {pct(v, .5):.0f}/{pct(v, .99):.0f}"
                for i, v in sorted(r.by_step.items())))


async def main(args: argparse.Namespace) -> None:
    hub = Hub()
    await hub.start()
    rows: list[Result] = []
    base = args.database_url.rsplit("/", 1)[0]
    try:
        floor_port = free_port()
        floor = await asyncio.create_subprocess_exec(
            sys.executable, "-c", FLOOR, str(floor_port), f"{hub.base_url}{hub.token}")
        try:
            await wait_listening(floor_port, floor)
            rows.extend(await measure("floor (bare aiohttp)", hub,
                                      f"http://127.0.0.1:{floor_port}", args, True,
                                      [floor.pid]))
        finally:
            await stop([floor])
        template = f"bench_bot_{os.getpid()}_template"
        await pg(args.database_url, f"CREATE DATABASE {template}")
        try:
            await migrated(f"{base}/{template}")
            for n in args.processes:
                rows.extend(await run_serve(n, hub, args, base, template))
        finally:
            await pg(args.database_url, f"DROP DATABASE IF EXISTS {template}")
    finally:
        await hub.close()
    print(f"{args.users} users, {len(STEPS)} updates each, {args.concurrency} active at once; "
          f"unloaded: {args.unloaded} users one at a time; {os.cpu_count()} CPUs")
    report(rows)
    loaded = {r.name: r.updates / r.elapsed for r in rows if r.elapsed}
    one, two = loaded.get("serve x1 (PostgreSQL)"), loaded.get("serve x2 (PostgreSQL)")
    if one and two:
        print(f"2 processes / 1 process: {two / one:.2f}x (goal >= 1.7x)")


async def migrated(url: str) -> None:
    """Migrate the template once; each configuration's fresh database is a copy of it."""
    from core.db.database import Database
    from core.db.migrate import upgrade

    db = Database(url)
    try:
        await upgrade(db)
    finally:
        await db.dispose()


async def run_serve(n: int, hub: Hub, args: argparse.Namespace, base: str,
                    template: str) -> tuple[Result, Result]:
    name = f"bench_bot_{os.getpid()}_{n}"
    await pg(args.database_url, f"CREATE DATABASE {name} TEMPLATE {template}")
    try:
        with tempfile.TemporaryDirectory(prefix="bench-bot-") as tmp:
            config = cluster_config(n, hub, f"{base}/{name}", Path(tmp), args.redis_url)
            async with running(config) as cluster:
                # the webhook is registered once per deploy (by whichever process claims it)
                await hub.wait_for("setWebhook", within=120)
                return await measure(f"serve x{n} (PostgreSQL)", hub, cluster.url, args,
                                     False, cluster.pids)
    finally:
        await pg(args.database_url, f"DROP DATABASE IF EXISTS {name}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--unloaded", type=int, default=20)
    parser.add_argument("--processes", default="1,2",
                        type=lambda s: [int(x) for x in s.split(",")])
    parser.add_argument("--database-url", default=os.environ.get(
        "THOTTOPILOT_TEST_POSTGRES_URL", DEFAULT_PG))
    parser.add_argument("--by-step", action="store_true",
                        help="also: CPU per update for each step, all users in lockstep")
    parser.add_argument("--redis-url", default=None,
                        help="Redis for the serve processes (default: none)")
    asyncio.run(main(parser.parse_args()))
