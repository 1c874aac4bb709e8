"""Lighthouse 12.2.3 (npm, installed under bench/web) against Debian's Chromium.

Mobile preset (Lighthouse's default: a mid-range phone, simulated slow 4G). One run
per page; the JSON report is kept next to the bench so a failing audit can be read.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BINARY = HERE / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo", "pwa")
ATTEMPTS = 3
CHROME_FLAGS = "--headless=new --no-sandbox --disable-dev-shm-usage --disable-gpu"


@dataclass
class Report:
    page: str
    scores: dict[str, int]  # category -> 0..100
    fcp_ms: float
    lcp_ms: float
    benchmark_index: float  # Lighthouse's measure of this machine's speed (higher: faster)
    failing: list[str] = field(default_factory=list)  # "category: audit-id (score)"
    performance_runs: list[int] = field(default_factory=list)


def median_run(page: str, url: str, out_dir: Path, cookie: str | None, runs: int) -> Report:
    """Lighthouse's own advice against run-to-run variance: several runs, keep the one
    with the median performance score (all runs' scores are kept for the printout)."""
    reports = sorted((run(page, url, out_dir, cookie, n) for n in range(runs)),
                     key=lambda r: r.scores["performance"])
    chosen = reports[len(reports) // 2]
    chosen.performance_runs = [r.scores["performance"] for r in reports]
    return chosen


def install() -> None:
    """`npm ci` from the committed lock file, once."""
    if BINARY.exists():
        return
    if shutil.which("npm") is None:
        raise SystemExit("npm is missing: apt-get install nodejs npm (Node 20)")
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True)


def run(page: str, url: str, out_dir: Path, cookie: str | None = None, n: int = 0) -> Report:
    out = out_dir / f"lighthouse-{page}-{n}.json"
    argv = [str(BINARY), url, "--output=json", f"--output-path={out}", "--quiet",
            f"--chrome-flags={CHROME_FLAGS}", "--max-wait-for-load=60000"]
    if cookie:
        argv.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    for attempt in range(1, ATTEMPTS + 1):
        # Headless Chromium now and then loses the trace (NO_NAVSTART): run again.
        done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True)
        if done.returncode == 0:
            return parse(page, json.loads(out.read_text()))
        print(f"  ({page}: Lighthouse run {attempt} failed: "
              f"{done.stderr.strip().splitlines()[-1:]})", flush=True)
    raise RuntimeError(f"Lighthouse failed {ATTEMPTS} times on {url}")


def parse(page: str, lhr: dict[str, Any]) -> Report:
    categories = lhr["categories"]
    audits = lhr["audits"]
    scores = {c: round((categories[c]["score"] or 0) * 100) for c in CATEGORIES
              if c in categories}
    failing = []
    for cid in scores:
        for ref in categories[cid]["auditRefs"]:
            audit = audits[ref["id"]]
            score = audit.get("score")
            if ref.get("weight", 0) > 0 and score is not None and score < 1:
                failing.append(f"{cid}: {ref['id']} ({score:.2f})")
    return Report(page, scores, audits["first-contentful-paint"]["numericValue"],
                  audits["largest-contentful-paint"]["numericValue"],
                  lhr["environment"].get("benchmarkIndex", 0.0), failing)
