"""A fake LLM server speaking both the OpenAI chat-completions and the Anthropic
messages wire formats, on 127.0.0.1 with an ephemeral port.

Tests script what the next requests get (`queue("500", "ok")`): a normal answer,
a slow one, server errors, 429 with Retry-After, refusals or malformed output. When the
script runs out, every request gets `default`.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Behaviour:
    kind: str = "ok"  # ok|slow|500|503|429|refusal|refusal_field|malformed|few|fenced|prose|401
    delay: float = 0.0
    retry_after: float | None = None


@dataclass
class Seen:
    api: str  # "openai" | "anthropic"
    path: str
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def user_text(self) -> str:
        """The text of the first user message (content may be a list of parts)."""
        for message in self.body.get("messages", []):
            if message.get("role") != "user":
                continue
            content = message.get("content")
            if isinstance(content, str):
                return content
            return " ".join(p.get("text", "") for p in content if isinstance(p, dict))
        return ""

    @property
    def has_image(self) -> bool:
        content = next(
            (m.get("content") for m in self.body.get("messages", []) if m.get("role") == "user"),
            "",
        )
        return isinstance(content, list) and any(
            p.get("type") in ("image", "image_url") for p in content
        )


class FakeLLM:
    def __init__(self) -> None:
        self.script: list[Behaviour] = []
        self.default = Behaviour("ok")
        self.requests: list[Seen] = []
        # When set, every request waits for it: a test can hold the provider "mid-call".
        self.hold: asyncio.Event | None = None
        self.received = asyncio.Event()  # set once the first request has arrived
        self._counter = itertools.count(1)
        # POST /v1/moderations: inputs containing any of `moderation_flags` (any case) are
        # flagged sexual/minors; `moderation_status` != 200 plays an outage.
        self.moderations: list[Seen] = []
        self.moderation_flags: tuple[str, ...] = ()
        self.moderation_status = 200
        # GET /v1/models (both APIs): the model ids listed; a request whose key is not
        # `models_key` (when set) is refused with 401, as a wrong API key is.
        self.models = ["fake-model", "gpt-4o-mini", "claude-3-5-haiku-latest"]
        self.models_key: str | None = None
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- scripting -------------------------------------------------------------------
    def queue(self, *items: str | Behaviour) -> None:
        self.script.extend(i if isinstance(i, Behaviour) else Behaviour(i) for i in items)

    def _next(self) -> Behaviour:
        return self.script.pop(0) if self.script else self.default

    # -- lifecycle -------------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._openai)
        app.router.add_post("/v1/messages", self._anthropic)
        app.router.add_post("/v1/moderations", self._moderations)
        app.router.add_get("/v1/models", self._models)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def openai_base_url(self) -> str:
        return f"{self.url}/v1"

    # -- content ---------------------------------------------------------------------
    def _titles(self, request: Seen) -> list[str]:
        match = re.search(r"Write (\d+) options", request.user_text)
        count = int(match.group(1)) if match else 3
        return [f"Golden light and a little mischief, take {next(self._counter)}"
                for _ in range(count)]

    def _text(self, behaviour: Behaviour, request: Seen) -> str:
        titles = self._titles(request)
        options = [{"title": t, "body": None, "hashtags": ["sunset"]} for t in titles]
        if behaviour.kind == "refusal":
            return "I'm sorry, but I can't help with that request."
        if behaviour.kind == "malformed":
            return '{"options": [{"title": "Half a thought", "body": '
        if behaviour.kind == "few":
            return json.dumps({"options": options[:1]})
        if behaviour.kind == "fenced":
            return "Sure! Here are your captions:\n```json\n" + json.dumps(options) + "\n```"
        if behaviour.kind == "prose":
            lines = (f"{i}. {t}" for i, t in enumerate(titles, 1))
            return "Here are some ideas:\n" + "\n".join(lines)
        return json.dumps({"options": options})

    async def _prepare(self, request: web.Request, api: str) -> tuple[Behaviour, Seen]:
        body = await request.json()
        seen = Seen(api, request.path, body, dict(request.headers))
        self.requests.append(seen)
        self.received.set()
        behaviour = self._next()
        if self.hold is not None:
            await self.hold.wait()
        if behaviour.delay or behaviour.kind == "slow":
            await asyncio.sleep(behaviour.delay or 2.0)
        return behaviour, seen

    def _error(self, behaviour: Behaviour, api: str) -> web.Response | None:
        status = {"500": 500, "503": 503, "429": 429, "401": 401}.get(behaviour.kind)
        if status is None:
            return None
        headers = {}
        if behaviour.retry_after is not None:
            headers["retry-after"] = str(behaviour.retry_after)
        if api == "openai":
            payload: dict[str, Any] = {"error": {"message": f"fake {status}", "type": "fake"}}
        else:
            payload = {"type": "error", "error": {"type": "api_error", "message": f"fake {status}"}}
        return web.json_response(payload, status=status, headers=headers)

    async def _openai(self, request: web.Request) -> web.Response:
        behaviour, seen = await self._prepare(request, "openai")
        if (error := self._error(behaviour, "openai")) is not None:
            return error
        refusal = "I can't help with that." if behaviour.kind == "refusal_field" else None
        message = {"role": "assistant", "content": None if refusal else self._text(behaviour, seen),
                   "refusal": refusal}
        return web.json_response({
            "id": "chatcmpl-fake", "object": "chat.completion", "created": 0,
            "model": seen.body.get("model", "fake"),
            "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        })

    async def _anthropic(self, request: web.Request) -> web.Response:
        behaviour, seen = await self._prepare(request, "anthropic")
        if (error := self._error(behaviour, "anthropic")) is not None:
            return error
        stop = "refusal" if behaviour.kind == "refusal_field" else "end_turn"
        text = "" if stop == "refusal" else self._text(behaviour, seen)
        return web.json_response({
            "id": "msg_fake", "type": "message", "role": "assistant",
            "model": seen.body.get("model", "fake"),
            "content": [{"type": "text", "text": text}],
            "stop_reason": stop, "stop_sequence": None,
            "usage": {"input_tokens": 1, "output_tokens": 1},
        })

    async def _models(self, request: web.Request) -> web.Response:
        key = request.headers.get("x-api-key") or \
            request.headers.get("Authorization", "").removeprefix("Bearer ")
        if self.models_key is not None and key != self.models_key:
            error = {"type": "authentication_error", "message": "invalid x-api-key"}
            return web.json_response({"type": "error", "error": error}, status=401)
        if "x-api-key" in request.headers:  # Anthropic's shape
            data = [{"type": "model", "id": m, "display_name": m,
                     "created_at": "2025-01-01T00:00:00Z"} for m in self.models]
            return web.json_response({"data": data, "has_more": False,
                                      "first_id": data[0]["id"] if data else None,
                                      "last_id": data[-1]["id"] if data else None})
        data = [{"id": m, "object": "model", "created": 0, "owned_by": "fake"}
                for m in self.models]
        return web.json_response({"object": "list", "data": data})

    async def _moderations(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.moderations.append(Seen("openai", request.path, body, dict(request.headers)))
        if self.moderation_status != 200:
            error = {"error": {"message": "fake moderation outage", "type": "fake"}}
            return web.json_response(error, status=self.moderation_status)
        inputs = body.get("input", [])
        texts = [inputs] if isinstance(inputs, str) else list(inputs)
        return web.json_response({
            "id": "modr-fake", "model": body.get("model", "omni-moderation-latest"),
            "results": [self._moderation(str(text)) for text in texts],
        })

    def _moderation(self, text: str) -> dict[str, Any]:
        minors = any(flag.lower() in text.lower() for flag in self.moderation_flags)
        names = ("harassment", "harassment/threatening", "hate", "hate/threatening",
                 "illicit", "illicit/violent", "self-harm", "self-harm/instructions",
                 "self-harm/intent", "sexual", "sexual/minors", "violence", "violence/graphic")
        flags = {name: minors and name in ("sexual", "sexual/minors") for name in names}
        return {
            "flagged": minors, "categories": flags,
            "category_scores": {name: 0.99 if flag else 0.01 for name, flag in flags.items()},
            "category_applied_input_types": {name: ["text"] for name in names},
        }


class ScriptedLLM(FakeLLM):
    """The fake LLM server, answering with the titles a test chose."""

    def __init__(self, titles: list[str]) -> None:
        super().__init__()
        self.titles = titles

    def _titles(self, request: Seen) -> list[str]:
        count = len(super()._titles(request))
        return [self.titles[i % len(self.titles)] for i in range(count)]
