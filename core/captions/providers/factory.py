"""Build the provider chain from `settings.ai` (at run time, never at import).

The primary provider reads `ai.base_url`/`ai.api_key`/`ai.model`; every provider may
be given its own endpoint under `ai.endpoints.<provider>`, which is how a fallback
provider gets credentials different from the primary's.

Each provider's module, and with it its SDK (openai, anthropic: together about a
second of import time), is imported only when that provider is in the chain, so the
default offline set-up starts without them.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from functools import partial

from core.captions.providers.base import Job, Provider
from core.captions.providers.chain import ProviderChain
from core.captions.types import DraftOption
from core.clock import Clock
from core.settings import AIProvider, AISettings

log = logging.getLogger(__name__)

DEFAULT_MODELS = {
    AIProvider.OPENAI: "gpt-4o-mini",
    AIProvider.ANTHROPIC: "claude-3-5-haiku-latest",
}


def _endpoint(ai: AISettings, kind: AIProvider) -> tuple[str | None, str | None, str | None]:
    own = ai.endpoints.get(kind)
    primary = kind is ai.provider
    base_url = (own.base_url if own else None) or (ai.base_url if primary else None)
    secret = (own.api_key if own else None) or (ai.api_key if primary else None)
    model = (own.model if own else None) or (ai.model if primary else None)
    key = secret.get_secret_value() if secret is not None else None
    return base_url, key, model or DEFAULT_MODELS.get(kind)


class DeferredProvider:
    """A configured provider whose SDK is imported, and client built, on first use.

    The chain needs only `name` and `nsfw_capable` to order itself; the openai or
    anthropic package is loaded when a caption is actually asked of this provider,
    so starting the bot (or answering `/healthz`) never pays for it.
    """

    def __init__(self, name: str, nsfw_capable: bool, build: Callable[[], Provider]) -> None:
        self.name = name
        self.nsfw_capable = nsfw_capable
        self._build = build
        self._provider: Provider | None = None

    @property
    def loaded(self) -> bool:
        return self._provider is not None

    async def generate(self, job: Job, time_limit: float) -> list[DraftOption]:
        if self._provider is None:
            self._provider = self._build()
        return await self._provider.generate(job, time_limit)

    async def aclose(self) -> None:
        if self._provider is not None:
            await self._provider.aclose()


def _anthropic(model: str | None, base_url: str | None, key: str | None,
               timeout: float) -> Provider:
    from core.captions.providers.anthropic_messages import AnthropicProvider

    return AnthropicProvider(model=model, base_url=base_url, api_key=key, timeout=timeout)


def _openai(name: str, model: str | None, base_url: str | None, key: str | None,
            timeout: float, nsfw_capable: bool) -> Provider:
    from core.captions.providers.openai_chat import OpenAIChatProvider

    return OpenAIChatProvider(name, model=model, base_url=base_url, api_key=key,
                              timeout=timeout, nsfw_capable=nsfw_capable)


def build_provider(ai: AISettings, kind: AIProvider) -> Provider | None:
    if kind is AIProvider.OFFLINE:
        return None
    base_url, key, model = _endpoint(ai, kind)
    if kind is AIProvider.ANTHROPIC:
        return DeferredProvider(
            "anthropic", False, partial(_anthropic, model, base_url, key, ai.timeout)
        )
    if kind is AIProvider.OPENAI_COMPATIBLE:
        if not base_url:
            log.warning("openai_compatible in the caption chain has no base_url; skipped")
            return None
        # Self-hosted servers often need no key, but the client insists on one.
        return DeferredProvider("openai_compatible", True, partial(
            _openai, "openai_compatible", model, base_url, key or "not-needed", ai.timeout, True
        ))
    return DeferredProvider(
        "openai", False, partial(_openai, "openai", model, base_url, key, ai.timeout, False)
    )


def build_chain(
    ai: AISettings,
    *,
    clock: Clock | None = None,
    rng: random.Random | None = None,
) -> ProviderChain:
    kinds = list(dict.fromkeys([ai.provider, *ai.fallback]))
    if AIProvider.OFFLINE in kinds:  # offline ends the chain whatever its position
        kinds = kinds[: kinds.index(AIProvider.OFFLINE)]
    providers = [p for p in (build_provider(ai, k) for k in kinds) if p is not None]
    return ProviderChain(
        providers,
        timeout=ai.timeout,
        max_retries=ai.max_retries,
        total_budget=ai.total_budget,
        clock=clock,
        rng=rng,
    )
