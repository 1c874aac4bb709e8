"""The AI providers check: each networked provider of the caption chain lists its
models (a cheap authenticated call) with its own SDK, against its configured base URL.
The offline provider needs nothing and ends the chain, as in captions' factory."""

from __future__ import annotations

from core.captions.providers.factory import _endpoint
from core.ops.checks import Result, fail, ok, warn
from core.settings import AIProvider, AISettings

KEY_HINT = "set ai.api_key (or ai.endpoints.{kind}.api_key)"


def providers_in_chain(ai: AISettings) -> list[AIProvider]:
    kinds = list(dict.fromkeys([ai.provider, *ai.fallback]))
    if AIProvider.OFFLINE in kinds:
        kinds = kinds[: kinds.index(AIProvider.OFFLINE)]
    return kinds


async def probe_provider(ai: AISettings, kind: AIProvider, wait: float) -> Result:
    base_url, key, model = _endpoint(ai, kind)
    if kind is AIProvider.OPENAI_COMPATIBLE:
        key = key or "not-needed"  # self-hosted servers often need none
    if not key:
        return fail(f"{kind}: no API key", KEY_HINT.format(kind=kind.value))
    try:
        models = await (_anthropic_models(base_url, key, wait)
                        if kind is AIProvider.ANTHROPIC
                        else _openai_models(base_url, key, wait))
    except Exception as exc:
        return _failure(kind, base_url, exc)
    if model and models and model not in models:
        return warn(f"{kind}: answers, but does not offer the model {model}",
                    f"pick one it lists, e.g. {sorted(models)[0]}")
    return ok(f"{kind} answers ({len(models)} models)")


async def _openai_models(base_url: str | None, key: str, wait: float) -> set[str]:
    import openai

    async with openai.AsyncOpenAI(api_key=key, base_url=base_url, timeout=wait,
                                  max_retries=0) as client:
        return {m.id async for m in client.models.list()}


async def _anthropic_models(base_url: str | None, key: str, wait: float) -> set[str]:
    import anthropic

    async with anthropic.AsyncAnthropic(api_key=key, base_url=base_url, timeout=wait,
                                        max_retries=0) as client:
        page = await client.models.list(limit=100)
        return {m.id for m in page.data}


def _failure(kind: AIProvider, base_url: str | None, exc: Exception) -> Result:
    status = getattr(exc, "status_code", None)
    where = base_url or "its default URL"
    if status in (401, 403):
        return fail(f"{kind}: the API key was refused ({status})",
                    KEY_HINT.format(kind=kind.value) + " to a valid key")
    if status is not None:
        return fail(f"{kind}: {where} answered {status}",
                    "check the provider's status page and the base URL")
    return fail(f"{kind}: cannot reach {where} ({type(exc).__name__})",
                "check ai.base_url (or ai.endpoints) and the network")
