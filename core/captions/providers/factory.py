"""Build the provider chain from `settings.ai` (at run time, never at import).

The primary provider reads `ai.base_url`/`ai.api_key`/`ai.model`; every provider may
be given its own endpoint under `ai.endpoints.<provider>`, which is how a fallback
provider gets credentials different from the primary's.
"""

from __future__ import annotations

import logging
import random

from core.captions.providers.anthropic_messages import AnthropicProvider
from core.captions.providers.base import Provider
from core.captions.providers.chain import ProviderChain
from core.captions.providers.openai_chat import OpenAIChatProvider
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


def build_provider(ai: AISettings, kind: AIProvider) -> Provider | None:
    if kind is AIProvider.OFFLINE:
        return None
    base_url, key, model = _endpoint(ai, kind)
    if kind is AIProvider.ANTHROPIC:
        return AnthropicProvider(model=model, base_url=base_url, api_key=key, timeout=ai.timeout)
    if kind is AIProvider.OPENAI_COMPATIBLE:
        if not base_url:
            log.warning("openai_compatible in the caption chain has no base_url; skipped")
            return None
        # Self-hosted servers often need no key, but the client insists on one.
        return OpenAIChatProvider(
            "openai_compatible", model=model, base_url=base_url,
            api_key=key or "not-needed", timeout=ai.timeout, nsfw_capable=True,
        )
    return OpenAIChatProvider(
        "openai", model=model, base_url=base_url, api_key=key, timeout=ai.timeout
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
