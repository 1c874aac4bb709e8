"""The pre-launch checks behind `thottopilot check` (and, later, the web admin).

Each check is a probe returning one `Result`: a status, a one-line detail, and on
anything short of a pass a hint saying what to do. Every probe runs under
`[ops] check_timeout_seconds`; one that takes longer, or raises, is a failure with
its check's usual fix. The probes run together and are reported in a fixed order.
A warning is worth reading but does not fail the run; a failure does.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.settings import Settings


class Status(StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"
    SKIP = "skip"  # not configured, and that is a valid choice


MARKS = {Status.OK: "✓", Status.WARN: "!", Status.FAIL: "✗", Status.SKIP: "–"}


@dataclass(frozen=True)
class Result:
    status: Status
    detail: str
    hint: str = ""
    name: str = ""

    @property
    def line(self) -> str:
        return f"{MARKS[self.status]} {self.name}: {self.detail}"


def ok(detail: str) -> Result:
    return Result(Status.OK, detail)


def warn(detail: str, hint: str) -> Result:
    return Result(Status.WARN, detail, hint)


def fail(detail: str, hint: str) -> Result:
    return Result(Status.FAIL, detail, hint)


def skip(detail: str) -> Result:
    return Result(Status.SKIP, detail)


@dataclass(frozen=True)
class Context:
    settings: Settings
    now: datetime

    @property
    def timeout(self) -> float:
        return self.settings.ops.check_timeout_seconds


Probe = Callable[[Context], Awaitable[Result]]


@dataclass(frozen=True)
class Check:
    name: str
    probe: Probe
    hint: str  # the usual fix, for a probe that times out or breaks


def all_checks() -> list[Check]:
    import core.ops.probes_local as local
    import core.ops.probes_remote as remote

    return [
        Check("database", local.database,
              "is the database running, and is database.url right?"),
        Check("Redis", local.redis, "is Redis running, and is [redis] url right?"),
        Check("Stripe", remote.stripe, "check stripe.api_base and the network"),
        Check("AI providers", remote.ai_providers,
              "check the [ai] base URLs and the network"),
        Check("data directory", local.data_dir, "check app.data_dir"),
        Check("rate limiter", local.rate_limiter, "is Redis running ([redis] url)?"),
        Check("public URL", remote.public_url,
              "check web.public_url and that its host answers on the network"),
        Check("backups", local.backups, "check [ops] backup_dir"),
        Check("monitoring", remote.monitoring,
              "check webhooks.internal_url (where the web process listens)"),
    ]


async def run_checks(settings: Settings, now: datetime,
                     checks: list[Check] | None = None) -> list[Result]:
    context = Context(settings, now)
    chosen = all_checks() if checks is None else checks
    results = await asyncio.gather(*(_run(check, context) for check in chosen))
    return list(results)


async def _run(check: Check, context: Context) -> Result:
    try:
        result = await asyncio.wait_for(check.probe(context), context.timeout)
    except TimeoutError:
        result = fail(f"no answer within {context.timeout:g} s", check.hint)
    except Exception as exc:  # a probe's own bug must not hide the other checks
        first = (str(exc).splitlines() or [""])[0][:200]
        result = fail(f"the check itself failed: {type(exc).__name__}: {first}", check.hint)
    return Result(result.status, result.detail, result.hint, check.name)


def failed(results: list[Result]) -> bool:
    return any(r.status is Status.FAIL for r in results)
