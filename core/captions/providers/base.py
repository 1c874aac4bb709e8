"""One interface for every caption provider, and the errors the chain reacts to.

A provider turns a `Job` into draft options or raises a `ProviderError` saying what
went wrong; the chain decides whether to retry, move on, or fall back to offline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from core.captions.fitting import TitleRules
from core.captions.types import CaptionBrief, DraftOption, Voice


@dataclass(frozen=True)
class Job:
    """What a provider needs to write one batch."""

    brief: CaptionBrief
    count: int
    seed: int
    avoid: frozenset[str] = frozenset()  # fingerprints of recent captions
    recent_titles: tuple[str, ...] = ()  # a few, so an LLM can steer away from them
    voice: Voice = field(default_factory=Voice)
    rules: TitleRules = field(default_factory=TitleRules)
    image_jpeg: bytes | None = None  # small re-encoded photo for vision models


class Provider(Protocol):
    name: str
    # True for routes that accept adult content (any OpenAI-compatible endpoint the
    # operator chose); NSFW jobs try these first.
    nsfw_capable: bool

    async def generate(self, job: Job, time_limit: float) -> list[DraftOption]: ...

    async def aclose(self) -> None: ...


class ProviderError(Exception):
    retryable = False
    reason = "error"

    def __init__(self, message: str = "", retry_after: float | None = None) -> None:
        super().__init__(message or self.reason)
        self.retry_after = retry_after


class ProviderTimeout(ProviderError):
    retryable = True
    reason = "timeout"


class ProviderRateLimited(ProviderError):
    retryable = True
    reason = "rate_limited"


class ProviderServerError(ProviderError):
    retryable = True
    reason = "server_error"


class ProviderRefused(ProviderError):
    """The model declined. Asking the same model again rarely helps, so the chain moves
    straight to the next provider (typically the operator's NSFW-capable route)."""

    reason = "refused"


class ProviderBadOutput(ProviderError):
    """Output could not be repaired even after one re-ask."""

    reason = "bad_output"


class ProviderUnavailable(ProviderError):
    """Misconfigured or rejected (missing key, 401/403/404, unknown model)."""

    reason = "unavailable"
