"""Calls other processes make to the web process, signed with the installation key.

Every process of a deployment shares `security.secret_key` (or the data directory the
generated one lives in), so internal calls need no secret of their own: they are
signed with the key derived from it for the purpose "internal-call".

`PLAN_CHANGED`: a process other than the web one (the CLI's refunds and replays, a
worker) changed a user's tier; the web process forgets the tier it cached for the
rate limiter, so the new request budget applies at once instead of within
`ratelimit.tier_cache_seconds`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.clock import Clock
from core.signing import derive_key
from core.webhooks.sender import WebhookSender

if TYPE_CHECKING:
    from core.settings import Settings

NOTIFY_PATH = "/internal/notify"
PURPOSE = "internal-call"
PLAN_CHANGED = "plan_changed"
EVENTS = frozenset({PLAN_CHANGED})


def internal_key(secret_key: bytes) -> bytes:
    return derive_key(secret_key, PURPOSE)


def notify_url(settings: Settings) -> str:
    base = settings.webhooks.internal_url or f"http://{settings.web.host}:{settings.web.port}"
    return base.rstrip("/") + NOTIFY_PATH


async def notify_plan_changed(settings: Settings, secret_key: bytes, clock: Clock,
                              user_id: int) -> None:
    """Tell the web process `user_id`'s tier changed (raises `WebhookFailed`)."""
    sender = WebhookSender(internal_key(secret_key), clock)
    await sender.post(notify_url(settings), {"event": PLAN_CHANGED, "user_id": user_id})
