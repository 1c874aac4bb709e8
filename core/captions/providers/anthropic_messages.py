"""Anthropic's Messages API through the official `anthropic` client (retries off)."""

from __future__ import annotations

import base64
from typing import Any

import anthropic

from core.captions.providers.base import (
    Job,
    ProviderRateLimited,
    ProviderRefused,
    ProviderServerError,
    ProviderTimeout,
    ProviderUnavailable,
)
from core.captions.providers.chat import (
    ChatProvider,
    Turn,
    is_policy_rejection,
    retry_after_seconds,
)
from core.captions.providers.prompt import SYSTEM

MAX_TOKENS = 900


class AnthropicProvider(ChatProvider):
    def __init__(
        self, *, model: str | None, base_url: str | None, api_key: str | None, timeout: float
    ) -> None:
        self.name = "anthropic"
        self.nsfw_capable = False
        self._model = model
        self._base_url = base_url
        self._api_key = api_key
        self._timeout = timeout
        self._client: anthropic.AsyncAnthropic | None = None

    def _get_client(self) -> anthropic.AsyncAnthropic:
        if self._client is None:
            if not self._model:
                raise ProviderUnavailable("anthropic: no model configured")
            try:
                self._client = anthropic.AsyncAnthropic(
                    api_key=self._api_key,
                    base_url=self._base_url,
                    timeout=self._timeout,
                    max_retries=0,
                )
            except anthropic.AnthropicError as exc:
                raise ProviderUnavailable(f"anthropic: {exc}") from exc
        return self._client

    def _messages(self, turns: list[Turn], job: Job) -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = []
        for index, (role, text) in enumerate(turns):
            content: Any = text
            if index == 0 and job.image_jpeg:
                data = base64.b64encode(job.image_jpeg).decode()
                content = [
                    {
                        "type": "image",
                        "source": {"type": "base64", "media_type": "image/jpeg", "data": data},
                    },
                    {"type": "text", "text": text},
                ]
            messages.append({"role": role, "content": content})
        return messages

    async def _complete(self, turns: list[Turn], job: Job, time_limit: float) -> str:
        client = self._get_client()
        try:
            response = await client.messages.create(
                model=self._model or "",
                system=SYSTEM,
                messages=self._messages(turns, job),  # type: ignore[arg-type]
                max_tokens=MAX_TOKENS,
                timeout=time_limit,
            )
        except anthropic.APITimeoutError as exc:
            raise ProviderTimeout("anthropic: timed out") from exc
        except anthropic.RateLimitError as exc:
            wait = retry_after_seconds(exc.response.headers)
            raise ProviderRateLimited("anthropic: 429", retry_after=wait) from exc
        except anthropic.InternalServerError as exc:
            raise ProviderServerError(f"anthropic: {exc.status_code}") from exc
        except anthropic.APIConnectionError as exc:
            raise ProviderServerError("anthropic: connection failed") from exc
        except anthropic.APIStatusError as exc:
            if exc.status_code in (408, 409):
                raise ProviderServerError(f"anthropic: {exc.status_code}") from exc
            if exc.status_code == 400 and is_policy_rejection(str(exc)):
                raise ProviderRefused("anthropic: policy") from exc
            raise ProviderUnavailable(f"anthropic: {exc.status_code}") from exc
        except anthropic.AnthropicError as exc:
            raise ProviderUnavailable(f"anthropic: {exc}") from exc
        if response.stop_reason == "refusal":
            raise ProviderRefused("anthropic: refused")
        return "".join(getattr(block, "text", "") for block in response.content)

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None
