"""One person, one account: linking a Telegram and a Discord (or web) identity.

The person asks for a code in one place (say Telegram: "/link"), gets 8 characters
from an alphabet without look-alikes (no 0/O, no 1/I), and types it in the other
place (Discord) within minutes. The code works once (`core.auth.nonces`) and is kept
only as a keyed MAC.

Merging, decided to be simple and safe:
- the account that holds something that cannot simply be moved (a connected Reddit
  account, and with it its scheduled posts; or a paid tier) survives; the other one
  gives up its identities and is retired (soft-deleted, history kept);
- if both hold such things we refuse (`both_have_data`): the person disconnects
  Reddit on one side first; we never silently drop a connection or a subscription;
- otherwise the older account survives and keeps its settings;
- the retired account's web sessions are revoked and its chat wizards cleared, so
  nothing keeps acting for an account that no longer exists.

Entering someone else's code would hand them your account, so show `preview` ("This
joins your account with @alice on Telegram") and link only on an explicit yes.
A refusal raises `AuthError` inside the caller's unit of work: let it roll back, and
the code stays usable for a second try.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import errors
from core.auth.errors import AuthError
from core.auth.nonces import NonceStore
from core.auth.sessions import SessionService
from core.db.models import ConversationState, Tier, User
from core.reddit.models import AccountStatus, RedditAccount
from core.users import UserService

PURPOSE = "link"
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # 32 symbols: 5 bits each, 40 bits a code
CODE_LENGTH = 8
_SEPARATORS = re.compile(r"[\s\-]+")


@dataclass(frozen=True)
class LinkCode:
    code: str  # as typed back: 8 characters
    expires_at: datetime

    @property
    def display(self) -> str:
        """`ABCD-EFGH`: easier to read aloud and to copy."""
        return f"{self.code[:4]}-{self.code[4:]}"


@dataclass(frozen=True)
class LinkPreview:
    other_user_id: int
    other_label: str | None  # "@alice on Telegram": whom the code would join


@dataclass(frozen=True)
class LinkResult:
    user_id: int  # the one account from now on
    retired_user_id: int
    identities_moved: int


def normalize_code(text: str) -> str | None:
    """What a person typed -> a code, or None if it cannot be one (case, spaces and
    dashes do not matter)."""
    code = _SEPARATORS.sub("", text).upper()
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


class IdentityLinker:
    def __init__(self, nonces: NonceStore, users: UserService, sessions: SessionService,
                 ttl: timedelta) -> None:
        self._nonces = nonces
        self._users = users
        self._sessions = sessions
        self.ttl = ttl

    async def issue_code(self, session: AsyncSession, user: User) -> LinkCode:
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        expires_at = await self._nonces.add(session, PURPOSE, code, user.id, self.ttl)
        return LinkCode(code, expires_at)

    async def preview(self, session: AsyncSession, typed: str, user: User) -> LinkPreview:
        """Whom the code would join `user` with, without using the code up."""
        code = self._code(typed)
        row = await self._nonces.peek(session, PURPOSE, code)
        if row is None:
            raise AuthError(await self._nonces.status(session, PURPOSE, code))
        if row.user_id == user.id:
            raise AuthError(errors.SAME_USER)
        label = await self._users.identity_label(session, row.user_id)
        return LinkPreview(row.user_id, label)

    async def link_identity(self, session: AsyncSession, typed: str, user: User) -> LinkResult:
        """Use the code up and make its issuer and `user` one account (see module doc)."""
        code = self._code(typed)
        issuer_id = await self._nonces.consume(session, PURPOSE, code)
        if issuer_id is None:
            raise AuthError(await self._nonces.status(session, PURPOSE, code))
        if issuer_id == user.id:
            raise AuthError(errors.SAME_USER)
        # Both loaded in this unit of work: `user` may come from another session.
        issuer, typist = await self._users.get(session, issuer_id), await self._users.get(
            session, user.id)
        if issuer is None or typist is None:
            raise AuthError(errors.NO_USER)
        survivor, retired = await self._choose(session, issuer, typist)
        moved = await self._users.absorb(session, survivor, retired)
        await self._sessions.revoke_all(session, retired.id)
        await session.execute(
            delete(ConversationState).where(ConversationState.user_id == retired.id)
            .execution_options(synchronize_session="fetch"))
        return LinkResult(survivor.id, retired.id, moved)

    def _code(self, typed: str) -> str:
        code = normalize_code(typed)
        if code is None:
            raise AuthError(errors.INVALID, "not a link code")
        return code

    async def _choose(self, session: AsyncSession, a: User, b: User) -> tuple[User, User]:
        a_holds, b_holds = await self._holds_data(session, a), await self._holds_data(session, b)
        if a_holds and b_holds:
            raise AuthError(errors.BOTH_HAVE_DATA)
        if a_holds != b_holds:
            return (a, b) if a_holds else (b, a)
        older = min((a, b), key=lambda u: (u.created_at, u.id))
        return (older, b if older is a else a)

    async def _holds_data(self, session: AsyncSession, user: User) -> bool:
        """Whether retiring `user` would strand something: Reddit or a paid tier."""
        if user.tier != Tier.FREE.value:
            return True
        reddit = await session.scalar(
            select(func.count()).select_from(RedditAccount)
            .where(RedditAccount.user_id == user.id,
                   RedditAccount.status != AccountStatus.REVOKED))
        return bool(reddit)
