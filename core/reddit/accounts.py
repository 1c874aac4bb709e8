"""Connected Reddit accounts: store, list, choose, and use them safely.

`client()` is the only way to act as an account: it decrypts the credentials, opens an
asyncpraw client, keeps a rotated refresh token if Reddit sends one (and the old one if
not), and classifies failures. A revoked grant marks the account revoked; a temporary
failure is only noted, so the account stays connected. Marks are made in the caller's
session, so callers report failures as results instead of letting them roll back.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.errors import UserFacingError
from core.events import EventKind, EventLog
from core.reddit.budget import CONNECT, RequestBudget
from core.reddit.client import Credentials, RedditClients, current_refresh_token
from core.reddit.crypto import TokenCipher, TokenUnreadable
from core.reddit.errors import is_reddit_error, is_revoked, translate
from core.reddit.models import AccountStatus, RedditAccount, RedditPrefs

if TYPE_CHECKING:  # loaded with the first client (core.reddit.client)
    import asyncpraw

    from core.billing.service import BillingService


class AccountService:
    def __init__(
        self, clients: RedditClients, cipher: TokenCipher, clock: Clock, events: EventLog,
        billing: BillingService | None = None, budget: RequestBudget | None = None,
    ) -> None:
        self._clients = clients
        self.budget = budget or RequestBudget()  # the shared Reddit budget (connects)
        self._cipher = cipher
        self._clock = clock
        self._events = events
        self._billing = billing  # how many accounts a plan connects (None: no limit)

    # -- reading -------------------------------------------------------------------
    async def list(self, session: AsyncSession, user_id: int) -> list[RedditAccount]:
        stmt = (
            select(RedditAccount)
            .where(RedditAccount.user_id == user_id)
            .order_by(RedditAccount.created_at, RedditAccount.id)
        )
        return list(await session.scalars(stmt))

    async def get(
        self, session: AsyncSession, user_id: int, account_id: int
    ) -> RedditAccount | None:
        account = await session.get(RedditAccount, account_id)
        return account if account is not None and account.user_id == user_id else None

    async def find(self, session: AsyncSession, user_id: int, name: str) -> RedditAccount | None:
        stmt = select(RedditAccount).where(
            RedditAccount.user_id == user_id,
            func.lower(RedditAccount.username) == name.removeprefix("u/").lower(),
        )
        return (await session.scalars(stmt)).first()

    async def default(self, session: AsyncSession, user_id: int) -> RedditAccount | None:
        """The user's chosen default, else their first active account."""
        prefs = await session.get(RedditPrefs, user_id)
        if prefs is not None and prefs.default_account_id is not None:
            account = await self.get(session, user_id, prefs.default_account_id)
            if account is not None and account.status == AccountStatus.ACTIVE:
                return account
        active = [a for a in await self.list(session, user_id) if a.status == AccountStatus.ACTIVE]
        return active[0] if active else None

    # -- writing -------------------------------------------------------------------
    async def save(
        self,
        session: AsyncSession,
        user_id: int,
        username: str,
        creds: Credentials,
        *,
        auth_kind: str,
        scopes: str = "",
    ) -> RedditAccount:
        """Connect (or reconnect) an account; reconnecting replaces the credentials."""
        now = self._clock.now()
        sealed = self._cipher.encrypt(creds.to_json(), user_id)
        account = await self.find(session, user_id, username)
        if account is None:
            await self.check_room(session, user_id, username)
            account = RedditAccount(
                user_id=user_id, username=username, created_at=now, scopes=scopes
            )
            session.add(account)
        account.auth_kind = auth_kind
        account.credentials = sealed
        account.scopes = scopes
        account.status = AccountStatus.ACTIVE
        account.last_error = None
        account.last_error_at = None
        account.updated_at = now
        await session.flush()
        await self._events.record(
            session, EventKind.REDDIT_CONNECTED, user_id, account_id=account.id, via=auth_kind
        )
        return account

    async def check_room(self, session: AsyncSession, user_id: int, username: str = ""
                         ) -> None:
        """Refuse a new account past the plan's limit (`LimitReached`, the upgrade
        prompt's facts, naming `username`); reconnecting one is always allowed."""
        if self._billing is None:
            return
        from core.billing.errors import LimitReached
        from core.db.models import User

        user = await session.get(User, user_id)
        if user is None:
            return
        try:
            await self._billing.check_reddit_accounts(
                session, user, len(await self.list(session, user_id)))
        except LimitReached as exc:
            exc.params["account"] = username
            raise

    async def connect_with(
        self, session: AsyncSession, user_id: int, creds: Credentials, *, auth_kind: str
    ) -> RedditAccount:
        """Connect without a browser (script app or existing refresh token): the
        credentials are tried once against Reddit to learn whose account they are
        (a request from the shared budget: `reddit_busy` when it is spent)."""
        await self.budget.take(session, CONNECT)
        try:
            async with self._clients.open(creds) as reddit:
                me = await reddit.user.me()
                scopes = " ".join(sorted(await reddit.auth.scopes()))
        except Exception as exc:
            if not is_reddit_error(exc):
                raise
            failure = translate(exc)
            if failure.code == "reddit_account_revoked":
                failure = UserFacingError("reddit_connect_failed")
            raise failure from exc
        if me is None:  # a token without the identity scope
            raise UserFacingError("reddit_connect_failed")
        return await self.save(session, user_id, me.name, creds, auth_kind=auth_kind,
                               scopes=scopes)

    async def remove(self, session: AsyncSession, account: RedditAccount) -> None:
        await self._events.record(session, EventKind.REDDIT_REMOVED, account.user_id)
        await session.delete(account)

    async def prefs(self, session: AsyncSession, user_id: int) -> RedditPrefs:
        prefs = await session.get(RedditPrefs, user_id)
        if prefs is None:
            prefs = RedditPrefs(user_id=user_id, updated_at=self._clock.now())
            session.add(prefs)
            await session.flush()
        return prefs

    async def set_default(self, session: AsyncSession, account: RedditAccount) -> None:
        prefs = await self.prefs(session, account.user_id)
        prefs.default_account_id = account.id
        prefs.updated_at = self._clock.now()

    async def set_protect_level(
        self, session: AsyncSession, user_id: int, level: str | None
    ) -> None:
        """`None` posts images as they are; a level shields them first (ImageShield)."""
        prefs = await self.prefs(session, user_id)
        prefs.protect_level = level
        prefs.updated_at = self._clock.now()

    # -- using ---------------------------------------------------------------------
    def credentials(self, account: RedditAccount) -> Credentials:
        try:
            return Credentials.from_json(
                self._cipher.decrypt(account.credentials, account.user_id)
            )
        except TokenUnreadable as exc:
            raise UserFacingError("reddit_account_revoked", account=account.username) from exc

    @asynccontextmanager
    async def client(
        self, session: AsyncSession, account: RedditAccount, subreddit: str = ""
    ) -> AsyncIterator[asyncpraw.Reddit]:
        """Act as `account`; failures come out as `UserFacingError`."""
        if account.status != AccountStatus.ACTIVE:
            raise UserFacingError("reddit_account_revoked", account=account.username)
        creds = self.credentials(account)
        try:
            async with self._clients.open(creds) as reddit:
                yield reddit
                rotated = current_refresh_token(reddit)
        except Exception as exc:
            if not is_reddit_error(exc):
                raise
            await self._note_failure(session, account, exc)
            raise translate(exc, subreddit, account.username) from exc
        if creds.kind == "refresh" and rotated and rotated != creds.refresh_token:
            kept = Credentials(**{**creds.__dict__, "refresh_token": rotated})
            account.credentials = self._cipher.encrypt(kept.to_json(), account.user_id)
            account.updated_at = self._clock.now()

    async def _note_failure(
        self, session: AsyncSession, account: RedditAccount, exc: BaseException
    ) -> None:
        now = self._clock.now()
        if is_revoked(exc):
            account.status = AccountStatus.REVOKED
            account.last_error = "revoked"
            await self._events.record(
                session, EventKind.REDDIT_REVOKED, account.user_id, account_id=account.id
            )
        elif translate(exc).code == "reddit_unavailable":
            account.last_error = "temporary"
        else:
            return
        account.last_error_at = now
        account.updated_at = now
        await session.flush()
