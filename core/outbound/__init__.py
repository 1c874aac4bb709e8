"""Outbound message limits that hold across every process of a deployment.

Telegram allows a bot about 30 messages a second, about one a second in one chat and
20 a minute in a group; Discord asks for about 5 per 5 s in one channel (a worker's
notices and the chat's DM replies count against the same window). A send first
takes a place in each window that applies to it (`OutboundLimiter.acquire`): when one
is full it WAITS (on the injected clock, capped by `outbound.max_wait_seconds`) until
the window has room, so a reply is delayed, never dropped. A 429 with a retry-after
pauses the chat's windows for every sender, then the send is tried again
(`OutboundLimiter.send`). The windows live in Redis when `[redis] url` is set (one
budget for all processes), else in this process's memory.
"""

from core.outbound.limiter import OutboundLimiter, build_limiter
from core.outbound.rules import Window, discord_windows, telegram_windows

__all__ = ["OutboundLimiter", "Window", "build_limiter", "discord_windows", "telegram_windows"]
