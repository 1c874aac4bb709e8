"""Builds asyncpraw clients from settings: the one door to Reddit.

Every client uses the configured `oauth_url`/`reddit_url` (which is how tests reach the
fake Reddit) and its own aiohttp session, closed when the `open()` block ends. A client
is short-lived: one per operation, so no state leaks between users.

asyncpraw (seconds of imports on a busy machine) is imported by `_build`, with the first
client, not at start: `serve` builds a `RedditClients` long before anyone posts.
"""

from __future__ import annotations

import json
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import aiohttp

from core.errors import UserFacingError
from core.reddit.paths import CALLBACK_PATH
from core.settings import Settings

if TYPE_CHECKING:
    import asyncpraw

SCOPES: tuple[str, ...] = ("identity", "submit", "read", "flair", "history", "mysubreddits")


@dataclass(frozen=True)
class Credentials:
    """What we keep (encrypted) to act as one Reddit account.

    `refresh`: an OAuth refresh token for our app (or for `client_id` when given).
    `script`: a Reddit "script" app's id/secret plus the account's username/password.
    """

    kind: str
    refresh_token: str | None = field(default=None, repr=False)
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    def to_json(self) -> str:
        return json.dumps({k: v for k, v in asdict(self).items() if v is not None})

    @classmethod
    def from_json(cls, raw: str) -> Credentials:
        return cls(**json.loads(raw))


def redirect_uri(settings: Settings) -> str:
    base = settings.web.public_url or f"http://{settings.web.host}:{settings.web.port}"
    return base.rstrip("/") + CALLBACK_PATH


class RedditClients:
    """Factory for asyncpraw `Reddit` instances."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._rs = settings.reddit

    @property
    def configured(self) -> bool:
        return bool(self._rs.client_id)

    def _app_id(self) -> tuple[str, str | None]:
        if not self._rs.client_id:
            raise UserFacingError("reddit_not_configured")
        secret = self._rs.client_secret.get_secret_value() if self._rs.client_secret else None
        return self._rs.client_id, secret

    def _tls(self) -> ssl.SSLContext:
        """One TLS context for every client: loading the system CA store costs ~0.1 s
        of CPU, which per post was the worker's largest single cost (bench/scheduler)."""
        ctx: ssl.SSLContext | None = getattr(self, "_ssl_context", None)
        if ctx is None:
            ctx = ssl.create_default_context()
            if self._rs.ca_file is not None:
                ctx.load_verify_locations(cafile=str(self._rs.ca_file))
            self._ssl_context = ctx
        return ctx

    def _http(self) -> aiohttp.ClientSession:
        return aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(ssl=self._tls()),
            timeout=aiohttp.ClientTimeout(total=None),
        )

    def _build(self, **config: Any) -> asyncpraw.Reddit:
        import asyncpraw

        from core.reddit.requestor import submit_once_requestor
        from core.reddit.retries import single_retry_policy

        return single_retry_policy(asyncpraw.Reddit(
            user_agent=self._rs.user_agent,
            oauth_url=self._rs.oauth_url,
            reddit_url=self._rs.reddit_url,
            check_for_updates=False,
            ratelimit_seconds=0,  # never sleep inside a chat turn; report the wait instead
            requestor_class=submit_once_requestor(),  # no blind retries of post-creating calls
            requestor_kwargs={"session": self._http()},
            **config,
        ))  # no retries of its own: callers retry on the injected clock (core.retry)

    @asynccontextmanager
    async def open(self, creds: Credentials) -> AsyncIterator[asyncpraw.Reddit]:
        """A client acting as the account behind `creds`."""
        app_id, app_secret = (
            (creds.client_id, creds.client_secret) if creds.client_id else self._app_id()
        )
        if creds.kind == "script":
            reddit = self._build(
                client_id=app_id,
                client_secret=app_secret,
                username=creds.username,
                password=creds.password,
            )
        else:
            reddit = self._build(
                client_id=app_id, client_secret=app_secret, refresh_token=creds.refresh_token
            )
        try:
            yield reddit
        finally:
            await reddit.close()

    @asynccontextmanager
    async def open_app(self) -> AsyncIterator[asyncpraw.Reddit]:
        """A client for the code exchange of the authorization-code flow."""
        app_id, app_secret = self._app_id()
        reddit = self._build(
            client_id=app_id,
            client_secret=app_secret,
            redirect_uri=redirect_uri(self._settings),
        )
        try:
            yield reddit
        finally:
            await reddit.close()

    @asynccontextmanager
    async def open_reader(self) -> AsyncIterator[asyncpraw.Reddit]:
        """A logged-out reader (app-only `client_credentials` token): Reddit as other
        people see it, which is how a filtered post or a shadowbanned account shows."""
        app_id, app_secret = self._app_id()
        reddit = self._build(client_id=app_id, client_secret=app_secret)
        try:
            yield reddit
        finally:
            await reddit.close()

    async def revoke(self, creds: Credentials) -> bool:
        """Ask Reddit to revoke `creds`' refresh token (RFC 7009 `revoke_token`, through
        asyncprawcore's authenticator), so the grant stops working at Reddit too. False
        when there is no token to revoke (a script app's password login)."""
        if creds.kind != "refresh" or not creds.refresh_token:
            return False
        from asyncprawcore import Requestor, TrustedAuthenticator, UntrustedAuthenticator

        app_id, app_secret = (
            (creds.client_id, creds.client_secret) if creds.client_id else self._app_id()
        )
        requestor = Requestor(oauth_url=self._rs.oauth_url, reddit_url=self._rs.reddit_url,
                              user_agent=self._rs.user_agent, session=self._http())
        try:
            authenticator = (
                TrustedAuthenticator(requestor=requestor, client_id=app_id,
                                     client_secret=app_secret)
                if app_secret else UntrustedAuthenticator(requestor=requestor, client_id=app_id))
            await authenticator.revoke_token(creds.refresh_token,
                                             token_type="refresh_token")  # noqa: S106 (a kind)
        finally:
            await requestor.close()
        return True

    async def authorize_url(self, state: str) -> str:
        async with self.open_app() as reddit:
            return reddit.auth.url(scopes=list(SCOPES), state=state, duration="permanent")

    async def exchange_code(self, code: str) -> tuple[Credentials, str, str]:
        """Trade an authorization code for (credentials, username, granted scopes)."""
        async with self.open_app() as reddit:
            refresh_token = await reddit.auth.authorize(code)
            if not refresh_token:
                raise UserFacingError("reddit_connect_failed")
            me = await reddit.user.me()
            if me is None:  # a token without the identity scope
                raise UserFacingError("reddit_connect_failed")
            scopes = " ".join(sorted(await reddit.auth.scopes()))
            return Credentials(kind="refresh", refresh_token=refresh_token), me.name, scopes


def current_refresh_token(reddit: asyncpraw.Reddit) -> str | None:
    """The refresh token the client holds now (Reddit may rotate it on refresh)."""
    # asyncpraw exposes no public accessor for the authorizer.
    core = reddit._authorized_core
    authorizer = getattr(core, "authorizer", None) if core is not None else None
    return getattr(authorizer, "refresh_token", None)
