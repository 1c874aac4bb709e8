"""A local fake of Discord: the HTTP API and a minimal gateway websocket.

discord.py talks to it exactly as to discord.com: `Authorization: Bot <token>` REST
calls under /api/v10, the gateway URL from GET /gateway/bot, and on the websocket
HELLO -> IDENTIFY -> READY, heartbeats acknowledged, then dispatches. Tests play the
people (a slash command, a button, a select, a modal, a DM with a photo) by pushing
INTERACTION_CREATE / MESSAGE_CREATE through the socket, and read back what the bot
called. Like Discord, it refuses components past Discord's limits with a 400, and it
answers JSON with a Content-Type of exactly `application/json` (discord.py parses
nothing else).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yarl
from aiohttp import WSMsgType, web
from aiohttp.test_utils import TestServer

from tests.fakes.discord_payloads import (
    APP_ID,
    BOT_USER,
    GUILD_ID,
    component_problems,
    dm_channel,
    guild_channel,
    member,
    message,
    person,
    private_channel,
)

JSON = "application/json"


@dataclass
class Call:
    method: str
    path: str
    body: dict[str, Any] | list[Any] | None
    files: dict[str, bytes] = field(default_factory=dict)
    result: Any = None


def _json(data: Any, status: int = 200) -> web.Response:
    return web.Response(body=json.dumps(data).encode(), status=status,
                        headers={"Content-Type": JSON})


class FakeDiscord:
    def __init__(self, token: str = "fake-discord-token") -> None:
        self.token = token
        self.calls: list[Call] = []
        self.commands: list[dict[str, Any]] = []
        self.messages: dict[str, dict[str, Any]] = {}
        self.cdn: dict[str, bytes] = {}
        self.cdn_reads: list[str] = []
        # Like Discord's CDN, a file is served only through a signed URL (?ex=&is=&hm=)
        # whose expiry has not passed: `signed` maps each live signature to its file.
        # `expire_cdn_urls` ages every URL handed out so far (a day went by);
        # POST /attachments/refresh-urls signs a fresh one, unless `refreshable` is off.
        self.signed: dict[str, str] = {}
        self.cdn_refused: list[str] = []  # URLs the CDN answered 404 (expired, unknown)
        self.refreshable = True
        self.identified = asyncio.Event()
        # (method, path part, status): the next matching call is answered with that
        # error once, as an outage would (see `fail_next`); refused calls land in `refused`.
        self.failures: list[tuple[str, str, int]] = []
        self.refused: list[Call] = []
        self.server: TestServer | None = None
        self._ids = itertools.count(1_100_000_000_000_000_000)
        self._seq = itertools.count(2)
        self._sockets: set[web.WebSocketResponse] = set()
        self._changed = asyncio.Condition()

    # -- lifecycle -------------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application(client_max_size=100 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/cdn/{name}", self._cdn)
        app.router.add_route("*", "/api/v10/{path:.+}", self._api)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()

    async def close(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self.server is not None:
            await self.server.close()

    @property
    def origin(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.port}"

    @property
    def api_base_url(self) -> str:
        return f"{self.origin}/api/v10"

    # -- what people do --------------------------------------------------------------
    def snowflake(self) -> str:
        return str(next(self._ids))

    def store_attachment(self, data: bytes, filename: str = "photo.jpg",
                         content_type: str = "image/jpeg", expires_in: float = 86400.0
                         ) -> dict[str, Any]:
        """An uploaded file as Discord describes it (served from the fake CDN through a
        signed URL valid for `expires_in` seconds, a day as on Discord)."""
        att_id = self.snowflake()
        name = f"{att_id}-{filename}"
        self.cdn[name] = data
        url = self._signed_url(name, expires_in)
        return {"id": att_id, "filename": filename, "size": len(data), "url": url,
                "proxy_url": url, "content_type": content_type}

    async def slash(self, name: str, options: list[dict[str, Any]] | None = None, *,
                    user_id: int = 42, guild: bool = False, nsfw: bool = False,
                    admin: bool = False, attachments: list[dict[str, Any]] | None = None,
                    private: str | None = None) -> dict[str, Any]:
        """`/name` with `options` ([{"name", "type", "value"}]), in a DM or a guild channel,
        or (`private`: "group" or "dm") in a private channel the bot is not part of, as
        Discord delivers a user-installed app's command there (context 2)."""
        data: dict[str, Any] = {"id": self._command_id(name), "name": name, "type": 1,
                                "options": options or []}
        if attachments:
            data["resolved"] = {"attachments": {a["id"]: a for a in attachments}}
        return await self._interact(2, data, user_id, guild, nsfw, admin, private=private)

    async def press(self, msg: dict[str, Any], custom_id: str, *, user_id: int = 42,
                    guild: bool = False, nsfw: bool = False, private: str | None = None
                    ) -> dict[str, Any]:
        return await self._interact(3, {"custom_id": custom_id, "component_type": 2},
                                    user_id, guild, nsfw, message=msg, private=private)

    async def select(self, msg: dict[str, Any], custom_id: str, values: list[str], *,
                     user_id: int = 42, guild: bool = False, nsfw: bool = False
                     ) -> dict[str, Any]:
        return await self._interact(3, {"custom_id": custom_id, "component_type": 3,
                                        "values": values}, user_id, guild, nsfw, message=msg)

    async def submit_modal(self, custom_id: str, fields: dict[str, str], *,
                           user_id: int = 42, guild: bool = False, nsfw: bool = False
                           ) -> dict[str, Any]:
        rows = [{"type": 1, "components": [{"type": 4, "custom_id": k, "value": v}]}
                for k, v in fields.items()]
        return await self._interact(5, {"custom_id": custom_id, "components": rows},
                                    user_id, guild, nsfw)

    async def dm(self, text: str = "", *, user_id: int = 42,
                 attachments: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """A direct message from `user_id` to the bot."""
        channel = dm_channel(user_id)
        msg = message(self.snowflake(), channel["id"], person(user_id), text,
                      attachments=attachments or [])
        await self.dispatch("MESSAGE_CREATE", msg)
        return msg

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a gateway DISPATCH to every connected client."""
        await self.identified.wait()
        frame = {"op": 0, "t": event, "s": next(self._seq), "d": data}
        for ws in list(self._sockets):
            await ws.send_str(json.dumps(frame))

    def expire_cdn_urls(self) -> None:
        """Every CDN URL handed out so far stops working (as a day later on Discord)."""
        self.signed.clear()

    def fail_next(self, method: str, path_part: str, status: int = 503) -> None:
        """Answer the next `method` call whose path contains `path_part` with `status`."""
        self.failures.append((method, path_part, status))

    # -- what the bot did ------------------------------------------------------------
    def calls_to(self, method: str, path_part: str) -> list[Call]:
        return [c for c in self.calls if c.method == method and path_part in c.path]

    async def wait_until(self, check: Callable[[], bool], within: float = 60.0) -> None:
        """Wait until `check()` holds (a ceiling for a loaded machine, not a speed test)."""
        async with asyncio.timeout(within), self._changed:
            await self._changed.wait_for(check)

    async def wait_for(self, method: str, path_part: str, count: int = 1) -> list[Call]:
        await self.wait_until(lambda: len(self.calls_to(method, path_part)) >= count)
        return self.calls_to(method, path_part)

    def callbacks(self, interaction: dict[str, Any]) -> list[Call]:
        return self.calls_to("POST", f"/interactions/{interaction['id']}/")

    async def wait_until_callbacks(self, interaction: dict[str, Any], count: int = 1
                                   ) -> list[Call]:
        await self.wait_until(lambda: len(self.callbacks(interaction)) >= count)
        return self.callbacks(interaction)

    def followups(self, interaction: dict[str, Any]) -> list[Call]:
        return self.calls_to("POST", f"/webhooks/{APP_ID}/{interaction['token']}")

    async def wait_followups(self, interaction: dict[str, Any], count: int = 1) -> list[Call]:
        await self.wait_until(lambda: len(self.followups(interaction)) >= count)
        return self.followups(interaction)

    # -- protocol --------------------------------------------------------------------
    def _command_id(self, name: str) -> str:
        for command in self.commands:
            if command["name"] == name:
                return str(command["id"])
        return self.snowflake()

    async def _interact(self, kind: int, data: dict[str, Any], user_id: int, guild: bool,
                        nsfw: bool, admin: bool = False, message: dict[str, Any] | None = None,
                        private: str | None = None) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "id": self.snowflake(), "application_id": APP_ID, "type": kind,
            "token": f"itoken{self.snowflake()}", "version": 1, "data": data,
            "locale": "en-US", "app_permissions": "0", "attachment_size_limit": 10485760,
            "entitlements": [], "authorizing_integration_owners": {}, "context": 0 if guild else 1,
        }
        if private is not None:  # PRIVATE_CHANNEL, through the user's own install
            channel = private_channel(user_id, private)
            payload.update(channel_id=channel["id"], channel=channel, user=person(user_id),
                           context=2, authorizing_integration_owners={"1": str(user_id)})
        elif guild:
            channel = guild_channel(nsfw)
            payload.update(guild_id=GUILD_ID, channel_id=channel["id"], channel=channel,
                           member=member(user_id, admin), guild_locale="en-US")
        else:
            channel = dm_channel(user_id)
            payload.update(channel_id=channel["id"], channel=channel, user=person(user_id))
        if message is not None:
            payload["message"] = message
        await self.dispatch("INTERACTION_CREATE", payload)
        return payload

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.add(ws)
        try:
            await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}}))
            async for msg in ws:
                if msg.type is not WSMsgType.TEXT:
                    continue
                frame = json.loads(msg.data)
                if frame.get("op") == 1:  # heartbeat
                    await ws.send_str(json.dumps({"op": 11}))
                elif frame.get("op") == 2:  # identify
                    if frame["d"].get("token") != self.token:
                        await ws.close(code=4004, message=b"Authentication failed.")
                        break
                    ready = {"v": 10, "user": BOT_USER, "guilds": [], "session_id": "fake",
                             "resume_gateway_url": f"ws://127.0.0.1:{request.url.port}/gateway",
                             "application": {"id": APP_ID, "flags": 0}, "shard": [0, 1]}
                    await ws.send_str(json.dumps({"op": 0, "t": "READY", "s": 1, "d": ready}))
                    self.identified.set()
        finally:
            self._sockets.discard(ws)
        return ws

    def _signed_url(self, name: str, expires_in: float = 86400.0) -> str:
        signature = secrets.token_hex(16)
        self.signed[signature] = name
        now = int(time.time())
        return (f"{self.origin}/cdn/{name}?ex={int(now + expires_in):x}&is={now:x}"
                f"&hm={signature}&")

    async def _cdn(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        signature, ex = request.query.get("hm", ""), request.query.get("ex", "0")
        live = self.signed.get(signature) == name and int(ex, 16) > time.time()
        if name not in self.cdn or not live:
            self.cdn_refused.append(str(request.url))
            raise web.HTTPNotFound(text="This content is no longer available.")
        self.cdn_reads.append(name)
        return web.Response(body=self.cdn[name], content_type="application/octet-stream")

    async def _body(self, request: web.Request) -> tuple[Any, dict[str, bytes]]:
        if request.content_type == JSON:
            return await request.json(), {}
        if not request.content_type.startswith("multipart/"):
            return None, {}
        body: Any = None
        files: dict[str, bytes] = {}
        reader = await request.multipart()
        async for part in reader:
            if part.name == "payload_json":
                body = json.loads(await part.text())  # type: ignore[union-attr]
            elif part.filename:  # type: ignore[union-attr]
                files[part.filename] = bytes(await part.read())  # type: ignore[union-attr]
        return body, files

    async def _api(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["path"]
        webhookish = path.startswith(("/webhooks/", "/interactions/"))
        if not webhookish and request.headers.get("Authorization") != f"Bot {self.token}":
            return _json({"message": "401: Unauthorized", "code": 0}, 401)
        body, files = await self._body(request)
        failed = self._failure(request.method, path)
        if failed is not None:
            async with self._changed:
                self.refused.append(Call(request.method, path, body, files, failed))
                self._changed.notify_all()
            return _json({"message": f"{failed}: refused by the fake", "code": 0}, failed)
        problems = component_problems(body)
        if problems:  # what Discord answers to components past its limits
            return _json({"code": 50035, "message": "Invalid Form Body",
                          "errors": {"components": problems}}, 400)
        result, status = self._result(request.method, path, body, files)
        async with self._changed:
            self.calls.append(Call(request.method, path, body, files, result))
            self._changed.notify_all()
        if status == 204:
            return web.Response(status=204)
        return _json(result, status)

    def _result(self, method: str, path: str, body: Any, files: dict[str, bytes]
                ) -> tuple[Any, int]:
        parts = path.strip("/").split("/")
        match method, parts:
            case "GET", ["users", "@me"]:
                return BOT_USER, 200
            case "GET", ["oauth2", "applications", "@me"]:
                return {"id": APP_ID, "name": "ThottoPilot", "description": "", "icon": None,
                        "bot_public": True, "bot_require_code_grant": False,
                        "owner": person(1), "verify_key": "00", "flags": 0}, 200
            case "GET", ["gateway", "bot"]:
                return {"url": f"ws://127.0.0.1:{self._port}/gateway", "shards": 1,
                        "session_start_limit": {"total": 1000, "remaining": 999,
                                                "reset_after": 0, "max_concurrency": 1}}, 200
            case "PUT", ["applications", _, "commands"]:
                self.commands = [{**c, "id": self.snowflake(), "application_id": APP_ID,
                                  "version": "1", "type": c.get("type", 1)} for c in body]
                return self.commands, 200
            case "POST", ["interactions", interaction_id, _, "callback"]:
                flags = ((body or {}).get("data") or {}).get("flags", 0)
                return {"interaction": {"id": interaction_id, "type": body["type"],
                                        "response_message_loading": body["type"] == 5,
                                        "response_message_ephemeral": bool(flags & 64)},
                        "resource": {"type": body["type"]}}, 200
            case "POST", ["webhooks", _, _]:
                return self._new_message("0", body, files), 200
            case "PATCH", ["webhooks", _, _, "messages", message_id]:
                return self._edit(message_id, body, files), 200
            case "POST", ["channels", channel_id, "messages"]:
                return self._new_message(channel_id, body, files), 200
            case "PATCH", ["channels", _, "messages", message_id]:
                return self._edit(message_id, body, files), 200
            case "POST", ["users", "@me", "channels"]:
                return dm_channel(int(body["recipient_id"])), 200
            case "POST", ["attachments", "refresh-urls"]:
                return {"refreshed_urls": [{"original": url, "refreshed": self._refreshed(url)}
                                           for url in body["attachment_urls"]]}, 200
        return {"message": f"404: {method} {path} not faked", "code": 0}, 404

    def _refreshed(self, url: str) -> str:
        """A fresh signed URL for a CDN file (Discord hands back what it can't refresh)."""
        name = yarl.URL(url).name
        if not self.refreshable or not url.startswith(f"{self.origin}/cdn/") \
                or name not in self.cdn:
            return url
        return self._signed_url(name)

    def _failure(self, method: str, path: str) -> int | None:
        for i, (m, part, status) in enumerate(self.failures):
            if m == method and part in path:
                del self.failures[i]
                return status
        return None

    @property
    def _port(self) -> int:
        assert self.server is not None
        return int(self.server.port or 0)

    def _new_message(self, channel_id: str, body: Any, files: dict[str, bytes]
                     ) -> dict[str, Any]:
        body = body or {}
        attachments = [self.store_attachment(data, name) for name, data in files.items()]
        msg = message(self.snowflake(), channel_id, BOT_USER, body.get("content") or "",
                      components=body.get("components") or [], flags=body.get("flags", 0),
                      attachments=attachments)
        self.messages[msg["id"]] = msg
        return msg

    def _edit(self, message_id: str, body: Any, files: dict[str, bytes]) -> dict[str, Any]:
        msg = self.messages.get(message_id) or message(message_id, "0", BOT_USER, "")
        for key in ("content", "components"):
            if body and key in body:
                msg[key] = body[key]
        self.messages[message_id] = msg
        return msg
