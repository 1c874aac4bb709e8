"""A local fake Reddit speaking the real HTTP protocol asyncpraw uses.

One aiohttp app serves both `reddit_url` (OAuth authorize + token endpoints) and
`oauth_url` (the API) over HTTP, plus the media upload endpoint over HTTPS (asyncpraw
always uploads to `https:` + the lease's `action`). Image posts report their result
on a websocket, like Reddit. Submit problems come back inside HTTP 200 bodies
(`json.errors`), like Reddit. Tests configure subreddits and read what was posted.

`requests` counts calls per endpoint name (the route names below: "about",
"post_requirements", "submit", ...); `outage` names endpoints that answer with
`outage_status` (a 5xx) instead, as Reddit does when it is having trouble, and
`outage_next` counts down the next such answers of one endpoint (a brief hiccup).
"""

from __future__ import annotations

import asyncio
import base64
import io
import itertools
import secrets
import socket
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from aiohttp import web
from PIL import Image

from tests.fakes import reddit_listings
from tests.fakes.reddit_tls import make_cert, server_context

CLIENT_ID = "fake-client-id"
CLIENT_SECRET = "fake-client-secret"


@dataclass
class FakeSub:
    name: str
    about: dict[str, Any] = field(default_factory=dict)
    requirements: dict[str, Any] = field(default_factory=dict)
    rules: list[dict[str, Any]] = field(default_factory=list)
    flairs: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Post:
    kind: str
    subreddit: str
    title: str
    author: str
    id: str
    data: dict[str, Any]
    created_utc: float = field(default_factory=time.time)


def _listen() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    return sock


class FakeReddit:
    def __init__(self, tmp: Path) -> None:
        self._tmp = tmp
        self.users: dict[str, str] = {"alice": "alice-password", "bob": "bob-password"}
        self.approving_user = "alice"  # who "clicks Allow" on the authorize page
        self.subs: dict[str, FakeSub] = {}
        self.codes: dict[str, tuple[str, str]] = {}
        self.refresh_tokens: dict[str, str] = {}
        self.access_tokens: dict[str, str] = {}
        self.token_grants: list[str] = []
        self.revoked: list[tuple[str, str]] = []  # (token, token_type_hint) revoke_token got
        self.token_outage = False
        self.rotate_refresh = False
        self.fail_next_submit: list[list[str]] = []
        self.fail_next_submit_to: dict[str, list[str]] = {}  # sub (lower case) -> error, once
        self.websocket_failure = False
        self.requests: Counter[str] = Counter()
        self.outage: set[str] = set()
        self.outage_status = 503
        # endpoint name -> how many of its next answers are `outage_status` (then it works)
        self.outage_next: Counter[str] = Counter()
        # Endpoints that do their work but whose answer is lost (a 502 from Reddit's edge
        # after the post was made): the ambiguous failure exactly-once posting must survive.
        self.lose_reply: set[str] = set()
        # endpoint name -> event it waits for: a test can hold Reddit "mid-call"
        self.holds: dict[str, asyncio.Event] = {}
        self.arrived: dict[str, asyncio.Event] = {}
        # endpoint name -> event: the endpoint does its work (the post is made), signals
        # `done[name]`, then waits before answering: a process killed in that window
        # died between Reddit making the post and recording it.
        self.hold_answer: dict[str, asyncio.Event] = {}
        self.done: dict[str, asyncio.Event] = {}
        # (remaining, seconds to reset) sent as X-Ratelimit-* on every answer; remaining
        # counts down with each request, like Reddit's app-wide budget. None: no headers.
        self.ratelimit: tuple[float, float] | None = None
        self.posts: list[Post] = []
        self.shadowbanned: set[str] = set()  # see tests/fakes/reddit_listings.py
        self.suspended: set[str] = set()
        self.comments: list[dict[str, Any]] = []
        self.uploads: dict[str, bytes] = {}
        self.assets: dict[str, str] = {}
        self._ids = itertools.count(1000)
        self._runner: web.AppRunner | None = None
        self.port = self.tls_port = 0
        self.ca_file: Path | None = None

    # -- lifecycle -------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application(client_max_size=50 * 1024 * 1024,
                              middlewares=[self._count_and_fail])
        app.on_response_prepare.append(self._ratelimit_headers)
        r = app.router
        r.add_get("/api/v1/authorize", self._authorize, name="authorize")
        r.add_post("/api/v1/access_token", self._token, name="token")
        r.add_post("/api/v1/revoke_token", self._revoke, name="revoke")
        r.add_get("/api/v1/me", self._me, name="me")
        r.add_get("/api/v1/{sub}/post_requirements", self._requirements, name="post_requirements")
        r.add_get("/r/{sub}/about/", self._about, name="about")
        r.add_get("/r/{sub}/about/rules", self._rules, name="rules")
        r.add_post("/r/{sub}/api/flairselector/", self._flairs, name="flairs")
        r.add_post("/api/media/asset.json", self._lease, name="lease")
        r.add_post("/upload", self._upload, name="upload")
        r.add_get("/ws/{asset}", self._websocket, name="websocket")
        r.add_post("/api/submit/", self._submit, name="submit")
        r.add_post("/api/submit_gallery_post.json", self._submit_gallery, name="submit_gallery")
        r.add_post("/api/comment/", self._comment, name="comment")
        r.add_get("/comments/{id}/", self._submission, name="submission")
        r.add_get("/user/{name}/submitted", self._submitted, name="submitted")
        r.add_get("/user/{name}/submitted/", self._submitted, name="submitted_slash")
        reddit_listings.add_routes(self, r)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        cert, key = make_cert(self._tmp / "fake-reddit-tls")
        self.ca_file = cert
        plain, tls = _listen(), _listen()
        self.port, self.tls_port = plain.getsockname()[1], tls.getsockname()[1]
        await web.SockSite(self._runner, plain).start()
        await web.SockSite(self._runner, tls, ssl_context=server_context(cert, key)).start()

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def settings_section(self) -> dict[str, Any]:
        """The `reddit` settings that point the real client at this fake."""
        return {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "oauth_url": self.url,
            "reddit_url": self.url,
            "ca_file": str(self.ca_file),
        }

    @web.middleware
    async def _count_and_fail(self, request: web.Request, handler: Any) -> web.StreamResponse:
        name = request.match_info.route.name or request.path
        self.requests[name] += 1
        self.arrived.setdefault(name, asyncio.Event()).set()
        if name in self.holds:
            await self.holds[name].wait()
        if name in self.outage or self.outage_next[name] > 0:
            self.outage_next[name] = max(0, self.outage_next[name] - 1)
            return web.Response(status=self.outage_status, text="Reddit is having trouble")
        if name in self.lose_reply:
            await handler(request)
            return web.Response(status=502, text="Bad Gateway")
        if name in self.hold_answer:
            response = await handler(request)
            self.done.setdefault(name, asyncio.Event()).set()
            await self.hold_answer[name].wait()
            return response
        return await handler(request)

    async def _ratelimit_headers(self, request: web.Request, response: web.StreamResponse
                                 ) -> None:
        if self.ratelimit is None:
            return
        remaining, reset = self.ratelimit
        self.ratelimit = (max(0.0, remaining - 1), reset)
        response.headers["X-Ratelimit-Used"] = "1"
        response.headers["X-Ratelimit-Remaining"] = str(max(0.0, remaining - 1))
        response.headers["X-Ratelimit-Reset"] = str(int(reset))

    # -- test helpers ----------------------------------------------------------
    def add_sub(self, name: str, **kw: Any) -> FakeSub:
        about = {"display_name": name, "over18": False, "subreddit_type": "public",
                 "submission_type": "any", "allow_images": True, "allow_galleries": True,
                 **kw.pop("about", {})}
        sub = FakeSub(name=name, about=about, **kw)
        self.subs[name.lower()] = sub
        return sub

    def ratelimit_next_submit(self, minutes: int) -> None:
        """Reddit's per-account RATELIMIT, inside an HTTP 200 body, for the next submit."""
        self.fail_next_submit.append(
            ["RATELIMIT", f"you are doing that too much. try again in {minutes} minutes.",
             "ratelimit"])

    def issue_refresh_token(self, user: str) -> str:
        token = "rt-" + secrets.token_urlsafe(12)
        self.refresh_tokens[token] = user
        return token

    def revoke_all(self, user: str) -> None:
        for table in (self.refresh_tokens, self.access_tokens):
            for token in [t for t, u in table.items() if u == user]:
                del table[token]

    # -- OAuth -----------------------------------------------------------------
    async def _authorize(self, request: web.Request) -> web.Response:
        q = request.query
        if q.get("client_id") != CLIENT_ID or q.get("response_type") != "code":
            return web.Response(status=400, text="bad client")
        code = "code-" + secrets.token_urlsafe(8)
        self.codes[code] = (self.approving_user, q["redirect_uri"])
        params = {"state": q["state"], "code": code, "duration": q.get("duration", ""),
                  "scope": q.get("scope", "")}
        raise web.HTTPFound(f"{q['redirect_uri']}?{urlencode(params)}")

    def _client_ok(self, request: web.Request) -> bool:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Basic "):
            return False
        cid, _, secret = base64.b64decode(header[6:]).decode().partition(":")
        return cid == CLIENT_ID and secret == CLIENT_SECRET

    async def _token(self, request: web.Request) -> web.Response:
        if not self._client_ok(request):
            return web.json_response({"error": 401, "message": "Unauthorized"}, status=401)
        form = await request.post()
        grant = str(form.get("grant_type"))
        self.token_grants.append(grant)
        if self.token_outage:
            return web.Response(status=503, text="try later")
        scope = "identity submit read flair history mysubreddits"
        access = "at-" + secrets.token_urlsafe(12)
        body: dict[str, Any] = {"access_token": access, "token_type": "bearer",
                                "expires_in": 86400, "scope": scope}
        if grant == "authorization_code":
            user, redirect = self.codes.pop(str(form.get("code")), (None, None))
            if user is None or redirect != form.get("redirect_uri"):
                return web.json_response({"error": "invalid_grant"}, status=400)
            body["refresh_token"] = self.issue_refresh_token(user)
        elif grant == "refresh_token":
            token = str(form.get("refresh_token"))
            user = self.refresh_tokens.get(token)
            if user is None:
                return web.json_response({"error": "invalid_grant"}, status=400)
            if self.rotate_refresh:
                del self.refresh_tokens[token]
                body["refresh_token"] = self.issue_refresh_token(user)
        elif grant == "client_credentials":  # a logged-out reader (app-only token)
            user = reddit_listings.ANONYMOUS
        elif grant == "password":
            user = str(form.get("username"))
            if self.users.get(user) != form.get("password"):
                return web.json_response({"error": "invalid_grant"})
        else:
            return web.json_response({"error": "unsupported_grant_type"}, status=400)
        self.access_tokens[access] = user
        return web.json_response(body)

    async def _revoke(self, request: web.Request) -> web.Response:
        """RFC 7009 as Reddit answers it: 200 (not the 204 its old docs say), even for a
        token it never issued; only the app's own Basic auth is required."""
        if not self._client_ok(request):
            return web.json_response({"error": 401, "message": "Unauthorized"}, status=401)
        form = await request.post()
        token = str(form.get("token"))
        self.revoked.append((token, str(form.get("token_type_hint", ""))))
        self.refresh_tokens.pop(token, None)
        return web.Response(status=200)

    def _user(self, request: web.Request) -> str:
        token = request.headers.get("Authorization", "").removeprefix("bearer ")
        user = self.access_tokens.get(token)
        if user is None:
            raise web.HTTPUnauthorized(text='{"message": "Unauthorized", "error": 401}')
        return user

    async def _me(self, request: web.Request) -> web.Response:
        user = self._user(request)
        return web.json_response({"name": user, "id": f"id{user}", "created_utc": 1.6e9})

    # -- subreddit info --------------------------------------------------------
    def _sub(self, request: web.Request) -> FakeSub:
        self._user(request)
        sub = self.subs.get(request.match_info["sub"].lower())
        if sub is None:
            raise web.HTTPNotFound(text='{"reason": "banned", "message": "Not Found"}')
        return sub

    async def _about(self, request: web.Request) -> web.Response:
        sub = self._sub(request)
        if sub.about.get("subreddit_type") == "private":
            raise web.HTTPForbidden(text='{"reason": "private", "message": "Forbidden"}')
        return web.json_response({"kind": "t5", "data": sub.about})

    async def _requirements(self, request: web.Request) -> web.Response:
        return web.json_response(self._sub(request).requirements)

    async def _rules(self, request: web.Request) -> web.Response:
        return web.json_response({"rules": self._sub(request).rules, "site_rules": []})

    async def _flairs(self, request: web.Request) -> web.Response:
        return web.json_response({"choices": self._sub(request).flairs, "current": {}})

    # -- media -----------------------------------------------------------------
    async def _lease(self, request: web.Request) -> web.Response:
        self._user(request)
        form = await request.post()
        asset = f"asset{next(self._ids)}"
        key = f"{asset}/{form['filepath']}"
        self.assets[asset] = key
        return web.json_response({
            "args": {"action": f"//127.0.0.1:{self.tls_port}/upload",
                     "fields": [{"name": "key", "value": key},
                                {"name": "Content-Type", "value": str(form["mimetype"])}]},
            "asset": {"asset_id": asset, "processing_state": "incomplete",
                      "websocket_url": f"ws://127.0.0.1:{self.port}/ws/{asset}"},
        })

    async def _upload(self, request: web.Request) -> web.Response:
        form = await request.post()
        upload = form["file"]
        assert isinstance(upload, web.FileField)
        self.uploads[str(form["key"])] = upload.file.read()
        return web.Response(status=201)

    async def _websocket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        post = next(p for p in self.posts if p.data.get("asset") == request.match_info["asset"])
        if self.websocket_failure:
            await ws.send_json({"type": "failed", "payload": {}})
        else:
            await ws.send_json({"type": "success",
                                "payload": {"redirect": self._permalink(post)}})
        await ws.close()
        return ws

    # -- submitting ------------------------------------------------------------
    def _permalink(self, post: Post) -> str:
        return f"{self.url}/r/{post.subreddit}/comments/{post.id}/post/"

    def _errors(self, data: dict[str, Any]) -> list[list[str]]:
        if self.fail_next_submit:
            return [self.fail_next_submit.pop(0)]
        failure = self.fail_next_submit_to.pop(str(data.get("sr", "")).lower(), None)
        if failure is not None:
            return [failure]
        sub = self.subs.get(str(data.get("sr", "")).lower())
        if sub is None:
            return [["SUBREDDIT_NOEXIST", "that subreddit doesn't exist", "sr"]]
        req, title = sub.requirements, str(data.get("title", ""))
        if req.get("is_flair_required") and not data.get("flair_id"):
            return [["SUBMIT_VALIDATION_FLAIR_REQUIRED", "Your post must contain post flair.",
                     "flair"]]
        needed = req.get("title_required_strings") or []
        if needed and not any(s.lower() in title.lower() for s in needed):
            return [["SUBMIT_VALIDATION_TITLE_REQUIREMENT",
                     f"Your post title must contain one of: {', '.join(needed)}", "title"]]
        if sub.about.get("submission_type") == "self" and data.get("kind") != "self":
            return [["NO_LINKS", "that subreddit only allows text posts", "sr"]]
        return []

    def _record(self, request: web.Request, kind: str, data: dict[str, Any]) -> Post:
        sub = self.subs[str(data["sr"]).lower()]
        post = Post(kind=kind, subreddit=sub.name, title=str(data["title"]),
                    author=self._user(request), id=f"p{next(self._ids)}", data=data)
        self.posts.append(post)
        return post

    async def _submit(self, request: web.Request) -> web.Response:
        self._user(request)
        data = dict(await request.post())
        errors = self._errors(data)
        if errors:
            return web.json_response({"json": {"errors": errors}})
        kind = str(data["kind"])
        if kind == "image":
            data["asset"] = str(data["url"]).rsplit("/", 2)[-2]
            self._record(request, kind, data)
            return web.json_response({"json": {"errors": [], "data": {
                "user_submitted_page": f"{self.url}/user/me/submitted/",
                "websocket_url": f"ws://127.0.0.1:{self.port}/ws/{data['asset']}"}}})
        post = self._record(request, kind, data)
        return web.json_response({"json": {"errors": [], "data": {
            "url": self._permalink(post), "drafts_count": 0, "id": post.id,
            "name": f"t3_{post.id}"}}})

    async def _submit_gallery(self, request: web.Request) -> web.Response:
        self._user(request)
        data = await request.json()
        errors = self._errors(data)
        if errors:
            return web.json_response({"json": {"errors": errors}})
        post = self._record(request, "gallery", data)
        return web.json_response({"json": {"errors": [], "data": {
            "url": f"{self.url}/gallery/{post.id}", "id": f"t3_{post.id}"}}})

    async def _comment(self, request: web.Request) -> web.Response:
        user = self._user(request)
        form = await request.post()
        comment = {"id": f"c{next(self._ids)}", "body": str(form["text"]), "author": user,
                   "parent_id": str(form["thing_id"]), "link_id": str(form["thing_id"])}
        comment["name"] = f"t1_{comment['id']}"
        self.comments.append(comment)
        return web.json_response({"json": {"errors": [], "data": {
            "things": [{"kind": "t1", "data": comment}]}}})

    async def _submitted(self, request: web.Request) -> web.Response:
        """The account's own submissions, newest first (`redditor.submissions.new()`)."""
        self._user(request)
        name = request.match_info["name"]
        children = [
            {"kind": "t3", "data": {
                "id": p.id, "name": f"t3_{p.id}", "title": p.title, "subreddit": p.subreddit,
                "author": p.author, "created_utc": p.created_utc,
                "permalink": f"/r/{p.subreddit}/comments/{p.id}/post/"}}
            for p in reversed(self.posts) if p.author == name
        ][: int(request.query.get("limit", "25"))]
        return web.json_response(
            {"kind": "Listing", "data": {"children": children, "after": None, "before": None}})

    async def _submission(self, request: web.Request) -> web.Response:
        self._user(request)
        post = next(p for p in self.posts if p.id == request.match_info["id"])
        data = reddit_listings.post_fields(self, post)
        empty = {"kind": "Listing", "data": {"children": [], "after": None, "before": None}}
        listing = {"kind": "Listing", "data": {"children": [{"kind": "t3", "data": data}],
                                               "after": None, "before": None}}
        return web.json_response([listing, empty])


def make_jpeg(color: tuple[int, int, int] = (200, 120, 90), size: int = 64) -> bytes:
    """A small real JPEG (Pillow) for upload tests."""
    out = io.BytesIO()
    Image.new("RGB", (size, size), color).save(out, "JPEG")
    return out.getvalue()


@asynccontextmanager
async def running_fake_reddit(tmp: Path) -> AsyncIterator[FakeReddit]:
    fake = FakeReddit(tmp)
    await fake.start()
    try:
        yield fake
    finally:
        await fake.close()
