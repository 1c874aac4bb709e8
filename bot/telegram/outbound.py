"""Every Bot API call that sends or edits a message goes through core.outbound.

python-telegram-bot lets one object see each request of an `ExtBot` before it is made
(`BaseRateLimiter`); this one takes a place in the bot's, the chat's and (for groups)
the group's window, shared by all processes through Redis when configured, and on a
429 pauses the chat for every sender, waits the retry-after and tries again. PTB's own
`AIORateLimiter` is not used: its counters live in one process, so N processes would
send N times the allowed rate. Because the hook sits under the bot object, the
conversation channel, notice delivery, support delivery and anything added later are
all covered without each remembering to ask. Other calls (answering button presses,
inline queries, downloads, polling) are not messages and pass straight through.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from core.outbound import OutboundLimiter, telegram_windows
from core.settings import OutboundSettings

if TYPE_CHECKING:
    from telegram import Bot

    from core.bootstrap import Core

T = TypeVar("T")

SENDS = frozenset({
    "sendMessage", "sendPhoto", "sendDocument", "sendVideo", "sendAnimation", "sendAudio",
    "sendVoice", "sendVideoNote", "sendMediaGroup", "sendPaidMedia", "sendLocation",
    "sendVenue", "sendContact", "sendPoll", "sendDice", "sendSticker", "sendInvoice",
    "sendGame", "copyMessage", "copyMessages", "forwardMessage", "forwardMessages",
    "editMessageText", "editMessageCaption", "editMessageMedia", "editMessageReplyMarkup",
    "editMessageLiveLocation", "stopMessageLiveLocation", "stopPoll",
})
Result = bool | dict[str, Any] | list[dict[str, Any]]


def retry_after(error: Exception) -> float | None:
    """Seconds a `RetryAfter` (HTTP 429) asks for; None for any other error."""
    if not isinstance(error, RetryAfter):
        return None
    wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


class OutboundRateLimiter(BaseRateLimiter[None]):
    def __init__(self, limiter: OutboundLimiter, settings: OutboundSettings, token: str
                 ) -> None:
        self._limiter = limiter
        self._settings = settings
        self._bot_id = token.split(":", 1)[0]  # the public bot id, never the secret

    async def initialize(self) -> None:
        """Nothing to open: the limiter belongs to Core."""

    async def shutdown(self) -> None:
        """Nothing to close: Core closes the limiter."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> Result:
        chat_id = data.get("chat_id")
        if endpoint not in SENDS or not isinstance(chat_id, int | str):
            return await callback(*args, **kwargs)
        windows = telegram_windows(self._settings, self._bot_id, chat_id)
        return await self._limiter.send(windows, lambda: callback(*args, **kwargs),
                                        retry_after)


async def limited(core: Core, bot: Bot, chat_id: int | str,
                  call: Callable[[], Awaitable[T]]) -> T:
    """`call()` (one message to `chat_id` through `bot`) within the global limits.

    For senders handed a bot from elsewhere (notice delivery in a worker-only process
    gets a bare `telegram.Bot`): a bot that already has our rate limiter is trusted to
    apply it (counting the message twice would halve the pace), any other is limited
    here."""
    if isinstance(getattr(bot, "rate_limiter", None), OutboundRateLimiter):
        return await call()
    windows = telegram_windows(core.settings.outbound, bot.token.split(":", 1)[0], chat_id)
    return await core.outbound.send(windows, call, retry_after)
