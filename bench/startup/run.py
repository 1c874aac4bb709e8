"""How fast `thottopilot` starts, answers `/healthz`, idles and stops, next to floors.

Prints, side by side from one run on this machine (medians of --runs):

- `python -c pass` (the interpreter floor) and `thottopilot --help`;
- `thottopilot serve` (fresh temporary data dir, so it also migrates) until `/healthz`
  answers 200, and from SIGTERM until the process has exited;
- server CPU per `/healthz` request (the process's own user+system time over
  --requests sequential keep-alive requests) next to a bare aiohttp handler started
  the same way, and `/healthz` latency percentiles with --concurrency clients;
- idle resident memory of `serve` next to the bare aiohttp server.

Goals (idle 2-core machine): --help < 0.3 s, healthy serve < 1 s, stop < 2 s.
Run: `.venv/bin/python bench/startup/run.py [--runs 3] [--requests 2000]`.
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(sys.executable).with_name("thottopilot")
CLI = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "bot.cli"]
TICK = os.sysconf("SC_CLK_TCK")
BARE_SERVER = """
import sys
from aiohttp import web
async def healthz(request):
    return web.json_response({"status": "ok"})
app = web.Application()
app.router.add_get("/healthz", healthz)
print("ready", flush=True)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), access_log=None, print=None)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def timed(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=True)
    return time.perf_counter() - started


def healthz_status(port: int) -> int | None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", "/healthz")
        return conn.getresponse().status
    except OSError:
        return None
    finally:
        conn.close()


def wait_healthy(port: int, proc: subprocess.Popen[bytes], ceiling: float = 120.0) -> None:
    deadline = time.monotonic() + ceiling
    while healthz_status(port) != 200:
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("server did not become healthy")
        time.sleep(0.005)


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_per_request(port: int, pid: int, requests: int) -> float:
    """Server CPU milliseconds per sequential keep-alive GET /healthz."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    before = cpu_seconds(pid)
    for _ in range(requests):
        conn.request("GET", "/healthz")
        conn.getresponse().read()
    used = cpu_seconds(pid) - before
    conn.close()
    return used / requests * 1000


def latency_percentiles(port: int, concurrency: int, per_client: int) -> tuple[float, float]:
    """p50 and p99 latency (ms) of /healthz with `concurrency` keep-alive clients."""
    samples: list[float] = []
    lock = threading.Lock()

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        for _ in range(per_client):
            started = time.perf_counter()
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            mine.append((time.perf_counter() - started) * 1000)
        conn.close()
        with lock:
            samples.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1]


def serve_env(data_dir: str, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THOTTOPILOT_")}
    env.update(THOTTOPILOT_APP__DATA_DIR=data_dir, THOTTOPILOT_WEB__PORT=str(port),
               THOTTOPILOT_APP__LOG_LEVEL="WARNING")
    return env


def run_serve(args: argparse.Namespace, measure: bool, tmp: str) -> dict[str, float]:
    """One `serve` in data dir `tmp`: a fresh dir migrates, a used one finds it current."""
    port = free_port()
    started = time.perf_counter()
    proc = subprocess.Popen([*CLI, "serve"], env=serve_env(tmp, port), cwd=tmp,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_healthy(port, proc)
        out = {"healthy": time.perf_counter() - started}
        if measure:
            time.sleep(0.5)  # let start-up work settle before reading memory
            out["rss"] = rss_mib(proc.pid)
            out["cpu"] = cpu_per_request(port, proc.pid, args.requests)
            out["p50"], out["p99"] = latency_percentiles(
                port, args.concurrency, max(1, args.requests // args.concurrency))
        sigterm = time.perf_counter()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=120)
        out["stop"] = time.perf_counter() - sigterm
        return out
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def run_bare(args: argparse.Namespace) -> dict[str, float]:
    port = free_port()
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", BARE_SERVER, str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_healthy(port, proc)
        out = {"healthy": time.perf_counter() - started}
        time.sleep(0.5)
        out["rss"] = rss_mib(proc.pid)
        out["cpu"] = cpu_per_request(port, proc.pid, args.requests)
        out["p50"], out["p99"] = latency_percentiles(
            port, args.concurrency, max(1, args.requests // args.concurrency))
        return out
    finally:
        proc.terminate()
        proc.wait()


def median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=10)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith("THOTTOPILOT_")}

    def runs(once: Callable[[], float]) -> float:
        return median([once() for _ in range(args.runs)])

    floor = runs(lambda: timed([sys.executable, "-c", "pass"], env))
    helps = runs(lambda: timed([*CLI, "--help"], env))
    serves, warm = [], []
    for i in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            serves.append(run_serve(args, measure=i == 0, tmp=tmp))
            warm.append(run_serve(args, measure=False, tmp=tmp)["healthy"])
    bare = run_bare(args)
    healthy = median([s["healthy"] for s in serves])
    stop = median([s["stop"] for s in serves])
    first = serves[0]
    print(f"{'measure':<34}{'thottopilot':>14}{'floor':>14}   goal")
    print(f"{'start: --help (s)':<34}{helps:>14.3f}{floor:>14.3f}   < 0.3"
          "   (floor: python -c pass)")
    print(f"{'start: serve until /healthz (s)':<34}{median(warm):>14.3f}{bare['healthy']:>14.3f}"
          "   < 1.0   (existing data dir; floor: bare aiohttp until it answers)")
    print(f"{'start: first serve (s)':<34}{healthy:>14.3f}{bare['healthy']:>14.3f}"
          "           (fresh data dir: creates and migrates the database)")
    print(f"{'stop: SIGTERM to exit (s)':<34}{stop:>14.3f}{'':>14}   < 2.0")
    print(f"{'/healthz server CPU (ms/request)':<34}{first['cpu']:>14.3f}{bare['cpu']:>14.3f}"
          "   (floor: bare aiohttp handler)")
    print(f"{f'/healthz p50 @{args.concurrency} clients (ms)':<34}{first['p50']:>14.2f}"
          f"{bare['p50']:>14.2f}")
    print(f"{f'/healthz p99 @{args.concurrency} clients (ms)':<34}{first['p99']:>14.2f}"
          f"{bare['p99']:>14.2f}")
    print(f"{'idle RSS (MiB)':<34}{first['rss']:>14.1f}{bare['rss']:>14.1f}")
    print(f"(medians of {args.runs} runs; CPU over {args.requests} keep-alive requests; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f})")


if __name__ == "__main__":
    main()
