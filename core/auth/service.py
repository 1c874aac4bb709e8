"""`Auth`: the one object the web and the bots call for sign-in.

Built from settings, the installation secret and the clock, it wires the parts
(magic links, Telegram checks, sessions, link codes) so a front door never has to
know a token format, a bot token or a time limit. Every method that touches the
database takes the caller's `AsyncSession` (one unit of work per request or update);
every refusal is an `AuthError` with a reason code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import errors
from core.auth.errors import AuthError
from core.auth.linking import IdentityLinker
from core.auth.magic import MagicLinks
from core.auth.miniapp import InitData, bot_id_of, verify_init_data, verify_init_data_signature
from core.auth.nonces import NonceStore
from core.auth.sessions import NewSession, SessionService
from core.auth.telegram import FUTURE_SKEW, TelegramUser, login_proof, verify_login_widget
from core.clock import Clock
from core.db.models import User
from core.settings import Settings
from core.signing import Signer
from core.users import UserService, Who

if TYPE_CHECKING:
    from core.bootstrap import Core

VIA_MAGIC_LINK = "magic_link"
VIA_TELEGRAM_LOGIN = "telegram_login"
VIA_MINI_APP = "mini_app"
WIDGET_PURPOSE = "widget"  # a spent Login Widget hash (auth_nonces.purpose)


class Auth:
    def __init__(self, settings: Settings, secret_key: bytes, clock: Clock,
                 users: UserService) -> None:
        cfg = settings.auth
        self._settings = settings
        self._clock = clock
        self._users = users
        signer = Signer(secret_key, clock)
        self.nonces = NonceStore(signer, clock)
        self.sessions = SessionService(clock, timedelta(days=cfg.session_idle_days),
                                       timedelta(days=cfg.session_max_days))
        self.magic_links = MagicLinks(signer, self.nonces, users, settings.public_base_url,
                                      timedelta(minutes=cfg.magic_link_minutes))
        self.linker = IdentityLinker(self.nonces, users, self.sessions,
                                     timedelta(minutes=cfg.link_code_minutes))

    @classmethod
    def from_core(cls, core: Core) -> Auth:
        return cls(core.settings, core.secret_key, core.clock, core.users)

    # -- Telegram checks (pure: no database) --------------------------------------------
    def verify_telegram_login(
        self, data: str | bytes | Mapping[str, str] | Iterable[tuple[str, str]]
    ) -> TelegramUser:
        return verify_login_widget(data, self._bot_token(), now=self._clock.now(),
                                   max_age=self._max_age("login"))

    def verify_mini_app(self, raw: str | bytes) -> InitData:
        """initData checked with our bot token (the normal case)."""
        return verify_init_data(raw, self._bot_token(), now=self._clock.now(),
                                max_age=self._max_age("init"))

    def verify_mini_app_signature(
        self, raw: str | bytes, bot_id: int | None = None, *, test_environment: bool = False
    ) -> InitData:
        """initData checked by Telegram's Ed25519 signature (third-party use: no bot
        token needed). `bot_id` defaults to our bot's, from its token."""
        token = self._bot_token()
        bot_id = bot_id if bot_id is not None else (bot_id_of(token) if token else None)
        if bot_id is None:
            raise AuthError(errors.NOT_CONFIGURED, "no bot id")
        cfg = self._settings.auth
        key = cfg.telegram_test_public_key if test_environment else cfg.telegram_public_key
        return verify_init_data_signature(raw, bot_id, key, now=self._clock.now(),
                                          max_age=self._max_age("init"))

    # -- signing in: verified identity -> user -> new session ---------------------------
    async def sign_in_telegram(
        self, session: AsyncSession, who: TelegramUser, via: str = VIA_TELEGRAM_LOGIN
    ) -> tuple[User, NewSession]:
        """The account behind a verified Telegram user (the same one the bot uses,
        created on first contact), and a new web session for it."""
        user, _ = await self._users.get_or_create(session, Who(
            who.transport, who.external_id, who.first_name, who.username, who.language_code))
        return user, await self.sessions.create(session, user, via)

    async def sign_in_login_widget(
        self, session: AsyncSession,
        data: str | bytes | Mapping[str, str] | Iterable[tuple[str, str]],
    ) -> tuple[User, NewSession]:
        """Login Widget data, once: its redirect URL stays in the browser's history, and
        opened again after signing out (a shared computer) it must not sign anyone in."""
        who = self.verify_telegram_login(data)
        user, new = await self.sign_in_telegram(session, who)
        ttl = self._max_age("login") + FUTURE_SKEW  # past that the data is stale anyway
        if not await self.nonces.spend(session, WIDGET_PURPOSE, login_proof(data), user.id,
                                       ttl):
            raise AuthError(errors.USED)
        return user, new

    async def sign_in_mini_app(self, session: AsyncSession, raw: str | bytes
                               ) -> tuple[User, NewSession]:
        data = self.verify_mini_app(raw)
        if data.user is None:
            raise AuthError(errors.MALFORMED, "initData has no user")
        return await self.sign_in_telegram(session, data.user, VIA_MINI_APP)

    async def sign_in_magic_link(self, session: AsyncSession, token: str
                                 ) -> tuple[User, NewSession]:
        """Use the link up and start a session (call on the confirmation POST)."""
        user = await self.magic_links.redeem(session, token)
        return user, await self.sessions.create(session, user, VIA_MAGIC_LINK)

    def _bot_token(self) -> str | None:
        token = self._settings.telegram.token
        return token.get_secret_value() if token is not None else None

    def _max_age(self, kind: str) -> timedelta:
        cfg = self._settings.auth
        seconds = cfg.telegram_login_max_age if kind == "login" else cfg.telegram_init_data_max_age
        return timedelta(seconds=seconds)
