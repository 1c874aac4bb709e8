"""OpenAI and any OpenAI-compatible endpoint (OpenRouter, xAI, Ollama, vLLM, ...)
through the official `openai` client. Its own retries are off: the chain retries."""

from __future__ import annotations

import base64
from typing import Any

import openai

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


class OpenAIChatProvider(ChatProvider):
    def __init__(
        self,
        name: str,
        *,
        model: str | None,
        base_url: str | None,
        api_key: str | None,
        timeout: float,
        nsfw_capable: bool = False,
    ) -> None:
        self.name = name
        # openai_compatible endpoints are the NSFW-capable route and speak the classic
        # parameters; api.openai.com wants max_completion_tokens and its own sampling.
        self.nsfw_capable = nsfw_capable
        self._model = model
        self._base_url = base_url
        self._api_key = api_key
        self._timeout = timeout
        self._client: openai.AsyncOpenAI | None = None

    def _get_client(self) -> openai.AsyncOpenAI:
        """Built on first use (never at import), so a missing key only disables this link."""
        if self._client is None:
            if not self._model:
                raise ProviderUnavailable(f"{self.name}: no model configured")
            try:
                self._client = openai.AsyncOpenAI(
                    api_key=self._api_key,
                    base_url=self._base_url,
                    timeout=self._timeout,
                    max_retries=0,
                )
            except openai.OpenAIError as exc:
                raise ProviderUnavailable(f"{self.name}: {exc}") from exc
        return self._client

    def _messages(self, turns: list[Turn], job: Job) -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = [{"role": "system", "content": SYSTEM}]
        for index, (role, text) in enumerate(turns):
            if index == 0 and job.image_jpeg:
                data = base64.b64encode(job.image_jpeg).decode()
                content: Any = [
                    {"type": "text", "text": text},
                    {"type": "image_url", "image_url": {"url": f"data:image/jpeg;base64,{data}"}},
                ]
            else:
                content = text
            messages.append({"role": role, "content": content})
        return messages

    def _sampling(self) -> dict[str, Any]:
        if self.nsfw_capable:
            return {"temperature": 0.9, "max_tokens": MAX_TOKENS}
        return {"max_completion_tokens": MAX_TOKENS}

    async def _complete(self, turns: list[Turn], job: Job, time_limit: float) -> str:
        client = self._get_client()
        try:
            response = await client.chat.completions.create(
                model=self._model or "",
                messages=self._messages(turns, job),  # type: ignore[arg-type]
                timeout=time_limit,
                **self._sampling(),
            )
        except openai.APITimeoutError as exc:
            raise ProviderTimeout(f"{self.name}: timed out") from exc
        except openai.RateLimitError as exc:
            wait = retry_after_seconds(exc.response.headers)
            raise ProviderRateLimited(f"{self.name}: 429", retry_after=wait) from exc
        except openai.InternalServerError as exc:
            raise ProviderServerError(f"{self.name}: {exc.status_code}") from exc
        except openai.APIConnectionError as exc:
            raise ProviderServerError(f"{self.name}: connection failed") from exc
        except openai.APIStatusError as exc:
            if exc.status_code in (408, 409):
                raise ProviderServerError(f"{self.name}: {exc.status_code}") from exc
            if exc.status_code == 400 and is_policy_rejection(str(exc)):
                raise ProviderRefused(f"{self.name}: policy") from exc
            raise ProviderUnavailable(f"{self.name}: {exc.status_code}") from exc
        except openai.OpenAIError as exc:
            raise ProviderUnavailable(f"{self.name}: {exc}") from exc
        if not response.choices:
            return ""
        choice = response.choices[0]
        if getattr(choice.message, "refusal", None) or choice.finish_reason == "content_filter":
            raise ProviderRefused(f"{self.name}: refused")
        return choice.message.content or ""

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None
