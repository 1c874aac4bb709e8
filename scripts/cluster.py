"""`scripts/cluster N`: a deployment on one machine, to try it (and for bench/bot).

N `thottopilot serve` processes on one PostgreSQL (and Redis, unless `--no-redis`),
each on its own port with its own data directory, behind the local balancer
(scripts/balancer.py) on one port. Everything that must be equal on every process is
set once here (bot/shared_state.py warns about each at start otherwise): the secret key
and the VAPID key (kept in the cluster's data directory, so a restart signs and
decrypts as before), one shared `posting.media_dir`, `[redis] url`, and for Telegram in
webhook mode one public URL (the balancer's) and one webhook secret.

`running(config)` is the one way to start it, for the command line
(scripts/cluster_cli.py) and the benchmark alike; stopping stops the balancer first,
then every process.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
import sys
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
CEILING = 300.0  # seconds a process may take to listen on a loaded machine
STOP_GRACE = 30.0  # seconds a process may take to stop after SIGTERM before it is killed
WEB_ROLES = ("web", "all")


@dataclass
class ClusterConfig:
    processes: int = 2
    database_url: str = DEFAULT_DATABASE
    redis_url: str | None = DEFAULT_REDIS
    host: str = "127.0.0.1"
    port: int = 0  # the balancer's; 0: any free port
    public_url: str | None = None  # web.public_url of every process; default the balancer's
    roles: Sequence[str] = ("all",)  # one for all processes, or one per process
    telegram_token: str | None = None  # set: Telegram in webhook mode behind the balancer
    telegram_api_base_url: str | None = None  # e.g. a fake Bot API
    telegram_file_base_url: str | None = None
    webhook_secret: str | None = None  # default: generated once into data_dir
    data_dir: Path = ROOT / "data" / "cluster"
    settings: Mapping[str, str] = field(default_factory=dict)  # more THOTTOPILOT_* vars
    env: Mapping[str, str] | None = None  # the processes' base environment (os.environ)
    quiet: bool = False  # serve output: stdout dropped, stderr as is (else both, prefixed)
    profile_dir: str | None = None  # each process writes a cProfile to <dir>/serve<i>.prof

    def role_of(self, i: int) -> str:
        if len(self.roles) not in (1, self.processes):
            raise ValueError(f"give one role or {self.processes}, not {len(self.roles)}")
        return self.roles[0] if len(self.roles) == 1 else self.roles[i]


@dataclass
class Member:
    index: int
    role: str
    port: int | None  # None: this role opens no port (bot, worker)
    proc: asyncio.subprocess.Process


@dataclass
class Cluster:
    url: str  # the balancer: http://host:port
    members: list[Member]
    balancer: asyncio.subprocess.Process
    relays: list[asyncio.Task[None]] = field(default_factory=list)

    @property
    def pids(self) -> list[int]:
        return [m.proc.pid for m in self.members]

    @property
    def ports(self) -> list[int]:
        return [m.port for m in self.members if m.port is not None]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def kept_secret(path: Path, make: str) -> str:
    """The value in `path`, or `make` written there (0600) by the first caller."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(make)
    return make


def vapid_key() -> str:
    """A fresh P-256 private key, raw and base64url (what push.vapid_private_key takes)."""
    import base64

    from cryptography.hazmat.primitives.asymmetric import ec

    value = ec.generate_private_key(ec.SECP256R1()).private_numbers().private_value
    return base64.urlsafe_b64encode(value.to_bytes(32, "big")).rstrip(b"=").decode()


def shared_settings(config: ClusterConfig, public_url: str) -> dict[str, str]:
    """The THOTTOPILOT_* variables every process gets, equal everywhere."""
    data = config.data_dir
    shared = {
        "THOTTOPILOT_DATABASE__URL": config.database_url,
        "THOTTOPILOT_SECURITY__SECRET_KEY": kept_secret(
            data / "secret_key", secrets.token_urlsafe(48)),
        "THOTTOPILOT_PUSH__VAPID_PRIVATE_KEY": kept_secret(
            data / "vapid_private_key", vapid_key()),
        "THOTTOPILOT_POSTING__MEDIA_DIR": str(data / "media"),
        "THOTTOPILOT_WEB__PUBLIC_URL": public_url,
        # the balancer is the peer of every request: its X-Forwarded-For names the client
        # (web/ratelimit/client.py trusts that header only from these addresses)
        "THOTTOPILOT_RATELIMIT__TRUSTED_PROXIES": '["127.0.0.1"]',
    }
    if config.redis_url:
        shared["THOTTOPILOT_REDIS__URL"] = config.redis_url
    if config.telegram_token:
        shared.update({
            "THOTTOPILOT_TELEGRAM__TOKEN": config.telegram_token,
            "THOTTOPILOT_TELEGRAM__MODE": "webhook",
            "THOTTOPILOT_TELEGRAM__WEBHOOK_SECRET": config.webhook_secret or kept_secret(
                data / "webhook_secret", secrets.token_urlsafe(32)),
        })
        if config.telegram_api_base_url:
            shared["THOTTOPILOT_TELEGRAM__API_BASE_URL"] = config.telegram_api_base_url
        if config.telegram_file_base_url:
            shared["THOTTOPILOT_TELEGRAM__FILE_BASE_URL"] = config.telegram_file_base_url
    return shared


def _environment(config: ClusterConfig, extra: Mapping[str, str]) -> dict[str, str]:
    env = dict(os.environ if config.env is None else config.env)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    env.update(extra)
    return env


async def _spawn(config: ClusterConfig, cmd: list[str], env: dict[str, str],
                 label: str, relays: list[asyncio.Task[None]]) -> asyncio.subprocess.Process:
    pipe = asyncio.subprocess.PIPE
    proc = await asyncio.create_subprocess_exec(
        *cmd, env=env, cwd=ROOT, stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL if config.quiet else pipe,
        stderr=None if config.quiet else pipe)
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            relays.append(asyncio.create_task(_relay(stream, label, sys.stderr)))
    return proc


async def _relay(stream: asyncio.StreamReader, label: str, out: IO[str]) -> None:
    """A process's output, each line prefixed with which process said it."""
    async for line in stream:
        out.write(f"[{label}] {line.decode(errors='replace')}")
        out.flush()


async def wait_listening(port: int, proc: asyncio.subprocess.Process,
                         ceiling: float = CEILING) -> None:
    """Until something accepts on `port`; fails at once if `proc` exits first."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + ceiling
    while loop.time() < deadline:
        if proc.returncode is not None:
            raise RuntimeError(f"the process for port {port} exited with {proc.returncode}")
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.05)
            continue
        writer.close()
        return
    raise RuntimeError(f"nothing listens on {port} after {ceiling:.0f} s")


async def start(config: ClusterConfig) -> Cluster:
    """Start every process and the balancer; returns once all of them listen."""
    port = config.port or free_port()
    url = f"http://{config.host}:{port}"
    shared = shared_settings(config, config.public_url or url)
    members: list[Member] = []
    relays: list[asyncio.Task[None]] = []
    try:
        for i in range(config.processes):
            role = config.role_of(i)
            own = {"THOTTOPILOT_APP__DATA_DIR": str(config.data_dir / f"p{i}")}
            listens = free_port() if role in WEB_ROLES else None
            if listens is not None:
                own.update({"THOTTOPILOT_WEB__HOST": "127.0.0.1",
                            "THOTTOPILOT_WEB__PORT": str(listens)})
            env = _environment(config, {**shared, **own, **config.settings})
            cli = (["-m", "cProfile", "-o", f"{config.profile_dir}/serve{i}.prof"]
                   if config.profile_dir else [])
            cmd = [sys.executable, *cli, "-m", "bot.cli", "serve", "--role", role]
            members.append(Member(i, role, listens,
                                  await _spawn(config, cmd, env, f"serve {i}", relays)))
        for m in members:
            if m.port is not None:
                await wait_listening(m.port, m.proc)
        backends = [f"http://127.0.0.1:{m.port}" for m in members if m.port is not None]
        if not backends:
            raise ValueError("no process runs the web role: nothing to balance")
        cmd = [sys.executable, "-m", "scripts.balancer", "--host", config.host,
               "--port", str(port), *backends]
        balancer = await _spawn(config, cmd, _environment(config, {}), "balancer", relays)
    except BaseException:
        await _stop_all([m.proc for m in members])
        raise
    cluster = Cluster(url, members, balancer, relays)
    try:
        await wait_listening(port, balancer)
    except BaseException:
        await stop(cluster)
        raise
    return cluster


async def _stop_all(procs: Sequence[asyncio.subprocess.Process]) -> None:
    for proc in procs:
        if proc.returncode is None:
            proc.terminate()
    for proc in procs:
        try:
            await asyncio.wait_for(proc.wait(), STOP_GRACE)
        except TimeoutError:
            proc.kill()
            await proc.wait()


async def stop(cluster: Cluster) -> None:
    """The balancer first (no new requests), then every process, each within its grace."""
    await _stop_all([cluster.balancer])
    await _stop_all([m.proc for m in cluster.members])
    await asyncio.gather(*cluster.relays, return_exceptions=True)


@asynccontextmanager
async def running(config: ClusterConfig) -> AsyncIterator[Cluster]:
    cluster = await start(config)
    try:
        yield cluster
    finally:
        await stop(cluster)
