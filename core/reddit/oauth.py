"""Reddit's authorization-code flow, run by the web companion for a chat user.

1. The bot hands out a signed, short-lived link naming the user (`connect_link`).
2. The web companion verifies it, binds the browser to that user (a signed cookie),
   creates a `state` (random, stored hashed, single use, expiring) and redirects to
   Reddit (`begin`).
3. Reddit redirects back with `code` and `state`; `complete` accepts the state only
   once, only before it expires and only from the browser of the user who started it,
   then trades the code for a refresh token that is stored encrypted. The state is
   spent in a transaction of its own, committed before Reddit is called: no
   transaction waits on the network.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.errors import UserFacingError
from core.reddit.accounts import AccountService
from core.reddit.budget import CONNECT
from core.reddit.client import RedditClients
from core.reddit.errors import is_reddit_error
from core.reddit.models import OAuthState, RedditAccount
from core.reddit.paths import CONNECT_PATH, LINK_TTL, STATE_TTL
from core.settings import Settings
from core.signing import Signer, b64encode

if TYPE_CHECKING:
    from core.db.database import Database

LINK_PURPOSE = "reddit-connect-link"
BINDING_PURPOSE = "reddit-oauth-browser"
STATE_PURPOSE = "reddit-oauth-state"


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
        self._signer = Signer(secret_key, clock)

    # -- signed tokens (core.signing: purpose-bound, expiring) -----------------------
    def _verify(self, purpose: str, token: str) -> int | None:
        data = self._signer.verify(purpose, token)
        return int(data) if data is not None and data.isdigit() else None

    def connect_link(self, user_id: int) -> str:
        """The URL the bot sends; opening it starts the OAuth flow for `user_id`."""
        web = self._settings.web
        base = web.public_url or f"http://{web.host}:{web.port}"
        token = self._signer.sign(LINK_PURPOSE, str(user_id), LINK_TTL)
        return f"{base.rstrip('/')}{CONNECT_PATH}?{urlencode({'t': token})}"

    def verify_link(self, token: str) -> int | None:
        return self._verify(LINK_PURPOSE, token)

    def browser_binding(self, user_id: int) -> str:
        return self._signer.sign(BINDING_PURPOSE, str(user_id), STATE_TTL)

    def verify_binding(self, value: str | None) -> int | None:
        return self._verify(BINDING_PURPOSE, value) if value else None

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
            state = b64encode(self._signer.mac(STATE_PURPOSE, link_token, 24))
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
        self, db: Database, *, state: str, code: str, browser_user_id: int | None
    ) -> RedditAccount:
        """Accept Reddit's answer: spend the state, trade the code, save the account.

        Three steps, so that no transaction is open while Reddit answers (on SQLite a
        write unit holds the one write lock; on PostgreSQL it would sit idle in
        transaction holding the state's row lock):
        1. one short unit reserves the request from the shared budget and spends the
           state, and commits: from then on a replayed callback is refused, even one
           arriving while Reddit is still answering this one;
        2. the code is traded at Reddit with no unit of work open;
        3. a second short unit saves the account (the plan's limit is checked there).
        A spent budget (`reddit_busy`) is refused before the state is used: the same
        page reloaded a little later finishes. Once spent, the state stays spent whatever
        Reddit or the plan's limit then answers.
        """
        async with db.session() as session:
            await self._accounts.budget.take(session, CONNECT)
            user_id = await self.consume_state(session, state, browser_user_id)
        try:
            creds, username, scopes = await self._clients.exchange_code(code)
        except Exception as exc:
            if not is_reddit_error(exc):
                raise
            raise UserFacingError("reddit_connect_failed") from exc
        async with db.session() as session:
            return await self._accounts.save(
                session, user_id, username, creds, auth_kind="oauth", scopes=scopes
            )


def _hash(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()
