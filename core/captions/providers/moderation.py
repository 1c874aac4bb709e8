"""OpenAI's moderation endpoint as an extra safety signal, never a replacement.

Where OpenAI is in the caption chain (and `ai.moderation` is on), the request and each
networked provider's output are also sent to `POST /v1/moderations`; a
`sexual/minors` flag refuses the request or drops the option, on top of the offline
rules of `core.captions.safety`, which always apply first.

An outage (timeout, connection error, 4xx/5xx, malformed answer, missing key) must not
block captions: the check then answers "allowed" and logs a warning, because the
offline rules alone already refuse every case in the specification. The call is bounded
by `min(ai.timeout, 10 s)`. Options the offline writer produced are not sent: they come
from our own phrase lists.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from core.captions.safety import ALLOWED, Verdict
from core.captions.types import DraftOption
from core.settings import AIProvider, AISettings

if TYPE_CHECKING:  # the SDK is imported on first use, never on the start path
    import openai

log = logging.getLogger(__name__)

MODEL = "omni-moderation-latest"
MAX_WAIT = 10.0  # seconds
FLAGGED = Verdict(False, "minors", "moderation: sexual/minors")


class Moderation:
    """`enabled=False` is the no-op used when OpenAI is not configured."""

    def __init__(
        self, *, enabled: bool, base_url: str | None = None, api_key: str | None = None,
        timeout: float = MAX_WAIT, model: str = MODEL,
    ) -> None:
        self.enabled = enabled
        self._base_url = base_url
        self._api_key = api_key
        self._timeout = min(timeout, MAX_WAIT)
        self._model = model
        self._client: openai.AsyncOpenAI | None = None

    async def check(self, text: str) -> Verdict:
        """The request's verdict: refused only on a `sexual/minors` flag."""
        flags = await self._flags([text]) if self.enabled else None
        return FLAGGED if flags and flags[0] else ALLOWED

    async def screen(
        self, drafts: Sequence[DraftOption], provider: str
    ) -> tuple[list[DraftOption], list[str]]:
        """`drafts` minus the flagged ones, and one category per dropped option."""
        if not self.enabled or provider == "offline" or not drafts:
            return list(drafts), []
        flags = await self._flags([_text(d) for d in drafts])
        if flags is None:
            return list(drafts), []
        kept = [d for d, flagged in zip(drafts, flags, strict=True) if not flagged]
        return kept, [FLAGGED.category or "minors"] * (len(drafts) - len(kept))

    async def _flags(self, texts: list[str]) -> list[bool] | None:
        """One flag per text, or None when the endpoint could not answer."""
        try:
            client = self._get_client()
            response = await client.moderations.create(
                input=texts, model=self._model, timeout=self._timeout)
            flags = [bool(r.categories.sexual_minors) for r in response.results]
        except Exception as exc:  # any failure: the offline rules still hold
            log.warning("moderation unavailable (%s); offline safety rules only",
                        type(exc).__name__)
            return None
        if len(flags) != len(texts):
            log.warning("moderation answered %d results for %d inputs; ignored",
                        len(flags), len(texts))
            return None
        return flags

    def _get_client(self) -> openai.AsyncOpenAI:
        if self._client is None:
            import openai

            self._client = openai.AsyncOpenAI(
                api_key=self._api_key, base_url=self._base_url, timeout=self._timeout,
                max_retries=0,
            )
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None


def _text(draft: DraftOption) -> str:
    return " ".join(filter(None, (draft.title, draft.body, *draft.hashtags)))


def build_moderation(ai: AISettings) -> Moderation:
    """On when OpenAI is the provider or a fallback and `ai.moderation` is set; it uses
    OpenAI's endpoint settings (its own `ai.endpoints.openai`, else the top-level ones
    when OpenAI is the primary)."""
    in_chain = AIProvider.OPENAI in (ai.provider, *ai.fallback)
    if not (in_chain and ai.moderation):
        return Moderation(enabled=False)
    own = ai.endpoints.get(AIProvider.OPENAI)
    primary = ai.provider is AIProvider.OPENAI
    base_url = (own.base_url if own else None) or (ai.base_url if primary else None)
    secret = (own.api_key if own else None) or (ai.api_key if primary else None)
    key = secret.get_secret_value() if secret is not None else None
    return Moderation(enabled=True, base_url=base_url, api_key=key, timeout=ai.timeout)
