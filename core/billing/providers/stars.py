"""Telegram Stars: monthly subscriptions paid in `XTR`, through the Bot API.

The invoice is a link (`createInvoiceLink` with `subscription_period`), so any chat
button can open it. Its payload names the user and the tier and carries an HMAC with no
expiry: Telegram repeats the first payment's payload on every renewal, months later.
The pre-checkout answer is pure (`check`: signature, user, currency, price), so it is
given in milliseconds, far inside Telegram's 10 s. A successful payment becomes an
entitlement for one period, keyed by `telegram_payment_charge_id` and claimed once in
`billing_events`: a redelivered update grants nothing more. python-telegram-bot loads
only when an invoice is made or a charge refunded.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.analytics.subscriptions import record_tier_change
from core.billing import grants
from core.billing.models import Entitlement
from core.billing.providers.base import Checkout
from core.billing.tiers import Plan, Plans
from core.clock import Clock
from core.db.database import Database
from core.db.models import User
from core.events import EventKind, EventLog
from core.settings import Settings
from core.signing import Signer, b64encode

if TYPE_CHECKING:
    from telegram import Bot

log = logging.getLogger(__name__)

SOURCE = "stars"
CURRENCY = "XTR"
PURPOSE = "billing-stars"
REFUNDED_NOTICE = "billing_stars_refunded"


class StarsNotConfigured(RuntimeError):
    """No `telegram.token`: this deployment cannot issue or refund Stars invoices."""


@dataclass(frozen=True)
class StarsPayment:
    """What Telegram reported about one successful payment."""

    charge_id: str  # telegram_payment_charge_id: unique per payment, renewals included
    payload: str
    currency: str
    amount: int
    telegram_user_id: str
    expires_at: datetime | None = None  # subscription_expiration_date
    recurring: bool = False


@dataclass(frozen=True)
class Refund:
    charge_id: str
    result: str  # refunded | already | unknown
    user_id: int | None = None
    tier: str | None = None  # the user's tier after the refund


class StarsProvider:
    name = SOURCE

    def __init__(self, settings: Settings, db: Database, clock: Clock, events: EventLog,
                 plans: Plans, secret_key: bytes) -> None:
        self._telegram = settings.telegram
        self._period = settings.billing.stars_period_seconds
        self._db, self._clock, self._events, self._plans = db, clock, events, plans
        self._signer = Signer(secret_key, clock)

    def configured(self) -> bool:
        return self._telegram.token is not None

    # -- the invoice ------------------------------------------------------------------
    def payload(self, user_id: int, tier: str) -> str:
        body = f"{user_id}.{tier}"  # "." is not in base64url, so the tag splits off
        return f"{body}.{b64encode(self._signer.mac(PURPOSE, body))}"

    def open_payload(self, payload: str) -> tuple[int, str] | None:
        """(user id, tier) of a payload we signed, else None (forged or altered)."""
        body, _, tag = payload.rpartition(".")
        user, _, tier = body.partition(".")
        if not user.isdigit() or not self._signer.check(PURPOSE, body, tag):
            return None
        return int(user), tier

    async def checkout(self, user_id: int, plan: Plan, *, customer_id: str | None = None,
                       return_url: str = "", title: str | None = None,
                       description: str | None = None) -> Checkout:
        return await self.invoice(user_id, plan, title=title or f"ThottoPilot {plan.tier}",
                                  description=description or f"{plan.tier} plan, renewed monthly")

    async def invoice(self, user_id: int, plan: Plan, *, title: str, description: str
                      ) -> Checkout:
        """A subscription invoice link for `plan` at its Stars price."""
        from telegram import LabeledPrice

        if not plan.stars_month:
            raise StarsNotConfigured(f"billing.tiers.{plan.tier}.stars_month is 0")
        async with self._bot() as bot:
            link = await bot.create_invoice_link(
                title=title[:32], description=description[:255],
                payload=self.payload(user_id, plan.tier), currency=CURRENCY,
                prices=[LabeledPrice(title[:32], plan.stars_month)], provider_token="",
                subscription_period=self._period)
        return Checkout(self.name, url=link,
                        invoice={"currency": CURRENCY, "amount": plan.stars_month})

    def check(self, user_id: int, payload: str, currency: str, amount: int) -> str | None:
        """Why a pre-checkout must be refused (None: accept). Pure: no I/O at all."""
        opened = self.open_payload(payload)
        if opened is None or opened[0] != user_id or currency != CURRENCY:
            return "forged"
        plan = self._plans.get(opened[1])
        if plan.tier != opened[1] or not plan.stars_month:
            return "forged"
        return None if amount == plan.stars_month else "price_changed"

    # -- payments -----------------------------------------------------------------------
    async def paid(self, session: AsyncSession, user: User, payment: StarsPayment
                   ) -> Entitlement | None:
        """Grant the paid tier until the period ends, in the caller's transaction.

        None when this charge was seen before (a redelivered update) or its payload is
        not ours for this user (then nothing is granted; the charge is logged to refund).
        """
        from core.billing.payments import first_time

        now = self._clock.now()
        opened = self.open_payload(payment.payload)
        if opened is None or opened[0] != user.id or payment.currency != CURRENCY:
            log.warning("stars charge %s: payload is not ours for user %s; not granted",
                        payment.charge_id, user.id)
            return None
        if not await first_time(session, now, SOURCE, payment.charge_id, "successful_payment"):
            return None
        ends = payment.expires_at or now + timedelta(seconds=self._period)
        before = user.tier
        row = await grants.grant(
            session, now, user, source=SOURCE, ref=payment.charge_id, tier=opened[1],
            status="active", ends_at=ends, telegram_user_id=payment.telegram_user_id,
            amount=payment.amount, recurring=payment.recurring)
        await record_tier_change(self._events, session, self._plans, user.id, before,
                                 user.tier, SOURCE)
        await self._events.record(session, EventKind.STARS_PAID, user.id, tier=opened[1],
                                  amount=payment.amount, charge=payment.charge_id)
        return row

    async def refund(self, charge_id: str) -> Refund:
        """Give the Stars of one charge back (`refundStarPayment`) and end its grant."""
        from telegram.error import BadRequest

        async with self._db.read() as session:
            row = await session.scalar(select(Entitlement).where(
                Entitlement.source == SOURCE, Entitlement.source_ref == charge_id))
            if row is None:
                return Refund(charge_id, "unknown")
            user_id, tier, status = row.user_id, row.tier, row.status
            payer = int(row.data["telegram_user_id"])
        if status == "refunded":
            return Refund(charge_id, "already", user_id)
        async with self._bot() as bot:  # no transaction is open across this call
            try:
                await bot.refund_star_payment(payer, charge_id)
            except BadRequest as exc:
                if "ALREADY_REFUNDED" not in str(exc).upper():
                    raise
        async with self._db.session() as session:
            now = self._clock.now()
            user = await session.get(User, user_id)
            assert user is not None  # entitlements go with their user (ON DELETE CASCADE)
            before = user.tier
            await grants.grant(session, now, user, source=SOURCE, ref=charge_id,
                               tier=tier, status="refunded", ends_at=now,
                               refunded_at=now.isoformat())
            await record_tier_change(self._events, session, self._plans, user.id, before,
                                     user.tier, SOURCE)
            await self._events.record(session, EventKind.STARS_REFUNDED, user.id,
                                      charge=charge_id, tier=user.tier)
            from core.posting.outbox import notify

            await notify(session, now, user.id, REFUNDED_NOTICE, f"stars-refund:{charge_id}",
                         tier=user.tier, refunded=tier)
            return Refund(charge_id, "refunded", user.id, user.tier)

    def _bot(self) -> Bot:
        """A Bot API client for one call (`async with` opens and closes its pool)."""
        from telegram import Bot

        from core.telegram_http import bot_requests

        token = self._telegram.token
        if token is None:
            raise StarsNotConfigured("telegram.token is not set")
        return Bot(token.get_secret_value(), base_url=self._telegram.api_base_url,
                   **bot_requests())
