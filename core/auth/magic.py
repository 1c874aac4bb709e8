"""Magic sign-in links: the bot's `/web` answers with a link that signs the person in
once, within minutes.

The token is `core.signing` over a random nonce for the purpose "signin": the
signature turns away forged or altered links without touching the database, the
expiry is inside the token and the nonce row makes it single-use (see
`core.auth.nonces`). The user id is not in the token, only in the row, so a link in a
screenshot reveals nothing about whose it is.

Chat apps fetch links to draw previews, and mail scanners open them: a GET must not use
the link up. Show a "Continue as ..." page for `peek` and redeem on its POST.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import errors
from core.auth.errors import AuthError
from core.auth.nonces import NonceStore
from core.db.models import User
from core.signing import Signer, TokenError, TokenExpired
from core.users import UserService

PURPOSE = "signin"
MAGIC_LINK_PATH = "/signin"  # the web route; the token travels as `t` (redacted in logs)
TOKEN_PARAM = "t"  # noqa: S105 - a query parameter name, not a secret


@dataclass(frozen=True)
class IssuedLink:
    token: str
    url: str
    expires_at: datetime


class MagicLinks:
    def __init__(self, signer: Signer, nonces: NonceStore, users: UserService,
                 base_url: str, ttl: timedelta) -> None:
        self._signer = signer
        self._nonces = nonces
        self._users = users
        self._base_url = base_url.rstrip("/")
        self.ttl = ttl

    async def issue(self, session: AsyncSession, user: User) -> IssuedLink:
        """A fresh link for `user` (earlier links stay valid until used or expired)."""
        nonce = secrets.token_urlsafe(16)
        expires_at = await self._nonces.add(session, PURPOSE, nonce, user.id, self.ttl)
        token = self._signer.sign(PURPOSE, nonce, self.ttl)
        url = f"{self._base_url}{MAGIC_LINK_PATH}?{urlencode({TOKEN_PARAM: token})}"
        return IssuedLink(token, url, expires_at)

    async def peek(self, session: AsyncSession, token: str) -> User:
        """Whose link this is, without using it up (for the confirmation page)."""
        nonce = self._open(token)
        row = await self._nonces.peek(session, PURPOSE, nonce)
        if row is None:
            raise AuthError(await self._nonces.status(session, PURPOSE, nonce))
        return await self._user(session, row.user_id)

    async def redeem(self, session: AsyncSession, token: str) -> User:
        """Use the link up and return its user; `AuthError` (invalid, expired, used).
        Of two redemptions at once, exactly one succeeds."""
        nonce = self._open(token)
        user_id = await self._nonces.consume(session, PURPOSE, nonce)
        if user_id is None:
            raise AuthError(await self._nonces.status(session, PURPOSE, nonce))
        return await self._user(session, user_id)

    def _open(self, token: str) -> str:
        try:
            return self._signer.open(PURPOSE, token)
        except TokenExpired as exc:
            raise AuthError(errors.EXPIRED) from exc
        except TokenError as exc:
            raise AuthError(errors.INVALID) from exc

    async def _user(self, session: AsyncSession, user_id: int) -> User:
        user = await self._users.get(session, user_id)
        if user is None:
            raise AuthError(errors.NO_USER)
        return user
