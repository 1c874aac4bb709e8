"""`Referrals`: links, attribution at sign-up, and what a referrer has earned.

Attribution happens once, when a new account is made through a link: the chat's
`/start ref_<code>` that created the user, or a web sign-up after `/r/<code>` set a
signed cookie (the account must be newer than the visit). Refusals are outcomes, not
errors: a bad or stale link never stops anyone from signing up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.billing.payg.money import to_minor
from core.clock import Clock
from core.db.models import User
from core.db.upsert import insert_for
from core.events import EventKind, EventLog
from core.referrals import codes
from core.referrals.models import CREDIT, EARNED, FREE_MONTH, PAID, PENDING, Referral
from core.settings import Settings
from core.signing import Signer

if TYPE_CHECKING:
    from core.bootstrap import Core

START_PREFIX = "ref_"  # /start ref_<code> (Telegram deep links allow [A-Za-z0-9_-])
COOKIE_PURPOSE = "referral-visit"

ATTRIBUTED, SELF, ALREADY, EXISTING, UNKNOWN, FORGED = (
    "attributed", "self", "already", "existing", "unknown", "forged")


@dataclass(frozen=True)
class Attribution:
    result: str  # attributed | self | already | existing | unknown | forged
    referrer_id: int | None = None


@dataclass(frozen=True)
class Summary:
    code: str
    telegram_link: str | None
    web_link: str
    signed_up: int  # everyone attributed to this referrer
    paying: int  # of them, those who have paid (reward earned or paid out)
    credit_earned_minor: int  # credit earned in total
    credit_left_minor: int  # of it, not yet used on a bill
    free_months: int
    currency: str


def start_code(args: str) -> str | None:
    """The code in a /start payload (`ref_<code>`), if it carries one."""
    word = args.strip().split(maxsplit=1)[0] if args.strip() else ""
    return word[len(START_PREFIX):] if word.lower().startswith(START_PREFIX) else None


class Referrals:
    def __init__(self, settings: Settings, clock: Clock, events: EventLog,
                 secret_key: bytes) -> None:
        self._settings = settings
        self._config = settings.billing.referrals
        self._currency = settings.billing.currency
        self._clock = clock
        self._events = events
        self._signer = Signer(secret_key, clock)

    @classmethod
    def from_core(cls, core: Core) -> Referrals:
        return cls(core.settings, core.clock, core.events, core.secret_key)

    # -- links ----------------------------------------------------------------------
    async def code_for(self, session: AsyncSession, user: User) -> str:
        return await codes.ensure_code(session, self._clock.now(), user.id)

    def telegram_link(self, code: str) -> str | None:
        bot = self._settings.telegram.bot_username
        return f"https://t.me/{bot}?start={START_PREFIX}{code}" if bot else None

    def web_link(self, code: str) -> str:
        return f"{self._settings.public_base_url}/r/{code}"

    # -- the web link's cookie --------------------------------------------------------
    @property
    def cookie_ttl(self) -> timedelta:
        return timedelta(hours=self._config.cookie_hours)

    def visit_cookie(self, code: str) -> str | None:
        """A signed record of following `code`'s link now (None: not a code's shape)."""
        found = codes.normalise(code)
        if found is None:
            return None
        stamp = int(self._clock.now().timestamp())
        return self._signer.sign(COOKIE_PURPOSE, f"{found}-{stamp}", self.cookie_ttl)

    async def attribute_visit(self, session: AsyncSession, user: User, cookie: str
                              ) -> Attribution:
        """Attribute a web sign-up to the link this browser followed, if the account
        was made after following it (an account that existed before is not)."""
        data = self._signer.verify(COOKIE_PURPOSE, cookie)
        code, _, stamp = (data or "").partition("-")
        if not data or not stamp.isdigit():
            return Attribution(FORGED)
        followed = datetime.fromtimestamp(int(stamp), UTC)
        new = user.created_at >= followed.replace(microsecond=0)
        return await self.attribute(session, user, code, via="web", new_user=new)

    # -- attribution ------------------------------------------------------------------
    async def attribute(self, session: AsyncSession, user: User, code: str, *, via: str,
                        new_user: bool) -> Attribution:
        """Credit `code`'s owner with `user`'s sign-up, once. `new_user`: the account
        was made through this link (by this very /start, or after the web visit)."""
        found = codes.normalise(code)
        referrer = await codes.owner_of(session, found) if found else None
        if referrer is None:
            return Attribution(UNKNOWN)
        if referrer.id == user.id:
            return Attribution(SELF, referrer.id)
        if not new_user:
            return Attribution(EXISTING, referrer.id)
        now, cfg = self._clock.now(), self._config
        credit = cfg.reward == CREDIT
        inserted = await session.scalar(insert_for(session)(Referral).values(
            referred_id=user.id, referrer_id=referrer.id, via=via[:16], status=PENDING,
            reward=cfg.reward, amount_minor=to_minor(cfg.credit, self._currency) if credit else 0,
            free_tier=None if credit else cfg.free_month_tier,
            free_days=None if credit else cfg.free_month_days, applied_minor=0,
            currency=self._currency, created_at=now,
        ).on_conflict_do_nothing(index_elements=["referred_id"])
            .returning(Referral.id))
        if inserted is None:
            return Attribution(ALREADY, referrer.id)
        await self._events.record(session, EventKind.SIGNUP_SOURCE, user.id,
                                  source="referral", referrer=referrer.id, via=via)
        return Attribution(ATTRIBUTED, referrer.id)

    # -- what a referrer sees ---------------------------------------------------------
    async def summary(self, session: AsyncSession, user: User) -> Summary:
        code = await self.code_for(session, user)
        rows = (await session.execute(
            select(Referral.status, Referral.reward, func.count(),
                   func.coalesce(func.sum(Referral.amount_minor), 0),
                   func.coalesce(func.sum(Referral.applied_minor), 0))
            .where(Referral.referrer_id == user.id)
            .group_by(Referral.status, Referral.reward))).all()
        signed = paying = earned = left = months = 0
        for status, reward, count, amount, applied in rows:
            signed += count
            if status in (EARNED, PAID):
                paying += count
                if reward == CREDIT:
                    earned += int(amount)
                    left += int(amount) - int(applied)
                elif reward == FREE_MONTH:
                    months += count
        return Summary(code, self.telegram_link(code), self.web_link(code), signed, paying,
                       earned, left, months, self._currency)
