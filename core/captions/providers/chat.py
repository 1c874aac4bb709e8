"""Shared logic of the networked providers: prompt, parse, re-ask once, give up.

Subclasses only know how to send a conversation to their API and map its errors.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from core.captions.providers.base import Job, ProviderBadOutput, ProviderRefused
from core.captions.providers.parse import looks_like_refusal, parse_options
from core.captions.providers.prompt import reask_message, user_message
from core.captions.types import DraftOption

log = logging.getLogger(__name__)

Turn = tuple[str, str]  # (role, text)


class ChatProvider(ABC):
    """What every chat-style API provider shares: prompt, parse, re-ask, refusal check.
    Subclasses only send the conversation and return the model's text."""

    name = "chat"
    nsfw_capable = False

    @abstractmethod
    async def _complete(self, turns: list[Turn], job: Job, time_limit: float) -> str:
        """Send `turns` to the API; the model's reply text."""

    async def generate(self, job: Job, time_limit: float) -> list[DraftOption]:
        turns: list[Turn] = [("user", user_message(job))]
        text = await self._complete(turns, job, time_limit)
        options = parse_options(text)
        if not options and looks_like_refusal(text):
            raise ProviderRefused(f"{self.name} declined")
        if len(options) < job.count:
            log.info("%s: %d/%d usable options, re-asking", self.name, len(options), job.count)
            turns += [("assistant", text[:4000]), ("user", reask_message(job.count, len(options)))]
            again = parse_options(await self._complete(turns, job, time_limit))
            seen = {o.title.lower() for o in options}
            options += [o for o in again if o.title.lower() not in seen]
        if not options:
            raise ProviderBadOutput(f"{self.name} returned nothing usable")
        return options[: job.count]

    async def aclose(self) -> None:
        return None


def retry_after_seconds(headers: object) -> float | None:
    """Read `retry-after-ms` / `retry-after` (seconds or an HTTP date)."""
    get = getattr(headers, "get", None)
    if get is None:
        return None
    millis = get("retry-after-ms")
    if millis:
        try:
            return max(float(millis) / 1000, 0.0)
        except ValueError:
            pass
    value = get("retry-after")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max((when - datetime.now(UTC)).total_seconds(), 0.0)


def is_policy_rejection(message: str) -> bool:
    """Some APIs answer a disallowed prompt with a 400 instead of a refusal text."""
    lowered = message.lower()
    return any(k in lowered for k in ("content_policy", "content policy", "safety", "moderation"))
