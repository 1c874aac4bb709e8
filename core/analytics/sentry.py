"""Optional forwarding of tracked errors to Sentry, only where a DSN is configured.

sentry-sdk is imported only then. Its default integrations stay off: errors reach
Sentry from our central handlers (through `ErrorTracker.forward`), once each, with our
fingerprint, instead of from logging hooks that would send every `log.exception` too.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.bootstrap import Core

FLUSH_SECONDS = 1.0  # of the ~2 s a stop may take


async def _nothing() -> None:
    return None


def install_sentry(core: Core) -> Callable[[], Awaitable[None]]:
    """Start forwarding `core`'s tracked errors; returns what sends the last ones and
    closes the client at stop (off the event loop: the SDK's transport blocks)."""
    dsn = core.settings.monitoring.sentry_dsn
    if dsn is None:
        return _nothing
    import sentry_sdk

    sentry_sdk.init(
        dsn=dsn.get_secret_value(), release=f"thottopilot@{core.version}",
        environment=core.settings.monitoring.environment, default_integrations=False,
        auto_enabling_integrations=False,
    )

    def forward(exc: BaseException, context: dict[str, Any]) -> None:
        with sentry_sdk.new_scope() as scope:
            for key, value in context.items():
                scope.set_tag(key, str(value))
            scope.fingerprint = [str(context.get("fingerprint", "{{ default }}"))]
            sentry_sdk.capture_exception(exc)

    core.analytics.errors.forward = forward

    async def close() -> None:
        core.analytics.errors.forward = None
        client = sentry_sdk.get_client()
        await asyncio.to_thread(client.close, timeout=FLUSH_SECONDS)

    return close
