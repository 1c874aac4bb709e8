"""Reddit's authorization-code flow, run by the web companion for a chat user.

1. The bot hands out a signed, short-lived link naming the user (`connect_link`).
2. The web companion verifies it, binds the browser to that user (a signed cookie),
   creates a `state` (random, stored hashed, single use, expiring) and redirects to
   Reddit (`begin`).
3. Reddit redirects back with `code` and `state`; `complete` accepts the state only
   once, only before it expires and only from the browser of the user who started it,
   then trades the code for a refresh token that is stored encrypted.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import timedelta
from urllib.parse import urlencode

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.errors import UserFacingError
from core.reddit.accounts import AccountService
from core.reddit.client import RedditClients
from core.reddit.errors import is_reddit_error
from core.reddit.models import OAuthState, RedditAccount
from core.secrets import derive_key
from core.settings import Settings

STATE_TTL = timedelta(minutes=10)
LINK_TTL = timedelta(hours=1)
CONNECT_PATH = "/reddit/connect"


class OAuthService:
    def __init__(
        self,
        settings: Settings,
        secret_key: bytes,
        clock: Clock,
        clients: RedditClients,
        accounts: AccountService,
    ) -> None:
        self._settings = settings
        self._clock = clock
        self._clients = clients
        self._accounts = accounts
        self._link_key = derive_key(secret_key, "reddit-connect-link")
        self._browser_key = derive_key(secret_key, "reddit-oauth-browser")
        self._state_key = derive_key(secret_key, "reddit-oauth-state")

    # -- signed tokens -------------------------------------------------------------
    def _sign(self, key: bytes, user_id: int, ttl: timedelta) -> str:
        expires = int((self._clock.now() + ttl).timestamp())
        body = f"{user_id}.{expires}"
        mac = hmac.new(key, body.encode(), "sha256").digest()[:18]
        return f"{body}.{base64.urlsafe_b64encode(mac).decode()}"

    def _verify(self, key: bytes, token: str) -> int | None:
        try:
            user_s, expires_s, sig = token.split(".")
            user_id, expires = int(user_s), int(expires_s)
        except ValueError:
            return None
        mac = hmac.new(key, f"{user_s}.{expires_s}".encode(), "sha256").digest()[:18]
        # Compare bytes: compare_digest refuses non-ASCII str, and a link is user input.
        if not hmac.compare_digest(sig.encode(errors="replace"), base64.urlsafe_b64encode(mac)):
            return None
        return user_id if self._clock.now().timestamp() < expires else None

    def connect_link(self, user_id: int) -> str:
        """The URL the bot sends; opening it starts the OAuth flow for `user_id`."""
        web = self._settings.web
        base = web.public_url or f"http://{web.host}:{web.port}"
        token = self._sign(self._link_key, user_id, LINK_TTL)
        return f"{base.rstrip('/')}{CONNECT_PATH}?{urlencode({'t': token})}"

    def verify_link(self, token: str) -> int | None:
        return self._verify(self._link_key, token)

    def browser_binding(self, user_id: int) -> str:
        return self._sign(self._browser_key, user_id, STATE_TTL)

    def verify_binding(self, value: str | None) -> int | None:
        return self._verify(self._browser_key, value) if value else None

    # -- the flow ------------------------------------------------------------------
    async def begin(
        self, session: AsyncSession, user_id: int, link_token: str | None = None
    ) -> str:
        """Create (or reuse) a state for `user_id`; returns Reddit's authorize URL.

        With the connect link's token, the state is derived from it, so pressing Continue
        on one link any number of times keeps one state row (refreshed), not one per
        press; a link whose state was already used stays used.
        """
        if link_token is None:
            state = secrets.token_urlsafe(24)
        else:
            mac = hmac.new(self._state_key, link_token.encode(), "sha256").digest()[:24]
            state = base64.urlsafe_b64encode(mac).decode().rstrip("=")
        now = self._clock.now()
        row = (
            await session.scalars(select(OAuthState).where(OAuthState.state_hash == _hash(state)))
        ).first()
        if row is None:
            try:
                async with session.begin_nested():
                    session.add(OAuthState(state_hash=_hash(state), user_id=user_id,
                                           created_at=now, expires_at=now + STATE_TTL))
            except IntegrityError:  # the same link pressed twice at once: one row wins
                pass
        elif row.used_at is not None or row.user_id != user_id:
            raise UserFacingError("reddit_state_invalid")
        else:
            row.expires_at = now + STATE_TTL
        await session.flush()
        return await self._clients.authorize_url(state)

    async def consume_state(
        self, session: AsyncSession, state: str, browser_user_id: int | None
    ) -> int:
        """Accept `state` exactly once; returns the user it was issued to."""
        row = (
            await session.scalars(select(OAuthState).where(OAuthState.state_hash == _hash(state)))
        ).first()
        now = self._clock.now()
        if row is None or row.used_at is not None:
            raise UserFacingError("reddit_state_invalid")
        if now >= row.expires_at:
            raise UserFacingError("reddit_state_expired")
        if browser_user_id != row.user_id:
            raise UserFacingError("reddit_state_wrong_user")
        claimed = await session.execute(
            update(OAuthState)
            .where(OAuthState.id == row.id, OAuthState.used_at.is_(None))
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            raise UserFacingError("reddit_state_invalid")
        return row.user_id

    async def complete(
        self, session: AsyncSession, *, state: str, code: str, browser_user_id: int | None
    ) -> RedditAccount:
        user_id = await self.consume_state(session, state, browser_user_id)
        try:
            creds, username, scopes = await self._clients.exchange_code(code)
        except Exception as exc:
            if not is_reddit_error(exc):
                raise
            raise UserFacingError("reddit_connect_failed") from exc
        return await self._accounts.save(
            session, user_id, username, creds, auth_kind="oauth", scopes=scopes
        )


def _hash(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()
