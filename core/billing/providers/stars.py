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
from core.referrals import ledger
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
class Received:
    """What became of one successful payment (`receive`)."""

    granted: Entitlement | None = None
    # Why the charge is to be given back instead (`give_back`, after the commit):
    # GONE, its account was deleted; NOT_UPGRADE, the payer already has this plan or better
    refund: str | None = None


GONE, NOT_UPGRADE = "account_gone", "not_upgrade"


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

    def check(self, user_id: int, payload: str, currency: str, amount: int,
              current: Plan | None = None) -> str | None:
        """Why a pre-checkout must be refused (None: accept). Pure: no I/O at all.

        `current`: the payer's plan now. An invoice link never expires, so one opened
        before an upgrade can still be paid: a plan no better than theirs is refused
        (a renewal is never asked about: Telegram charges it without a pre-checkout)."""
        opened = self.open_payload(payload)
        if opened is None or opened[0] != user_id or currency != CURRENCY:
            return "forged"
        plan = self._plans.get(opened[1])
        if plan.tier != opened[1] or not plan.stars_month:
            return "forged"
        if current is not None and current.covers(plan):
            return NOT_UPGRADE
        return None if amount == plan.stars_month else "price_changed"

    # -- payments -----------------------------------------------------------------------
    async def paid(self, session: AsyncSession, user: User, payment: StarsPayment
                   ) -> Entitlement | None:
        """The entitlement `receive` granted (None: nothing granted)."""
        return (await self.receive(session, user, payment)).granted

    async def receive(self, session: AsyncSession, user: User, payment: StarsPayment
                      ) -> Received:
        """Grant the paid tier until the period ends, in the caller's transaction.

        Nothing is granted when this charge was seen before (a redelivered update) or
        its payload is not ours (logged). A charge to give back is named in
        `Received.refund` (the caller commits, then calls `give_back`): a renewal of an
        account deleted since (its payload names a user who is not the payer's account
        now), or a first payment for a plan no better than the payer's own now
        (an old invoice link paid after an upgrade)."""
        from core.billing.payments import first_time

        now = self._clock.now()
        opened = self.open_payload(payment.payload)
        if opened is None or payment.currency != CURRENCY:
            log.warning("stars charge %s: payload is not ours; not granted", payment.charge_id)
            return Received()
        if await self._seen(session, payment.charge_id):
            return Received()
        if user.deleted_at is not None:  # pending deletion: nothing is granted any more
            log.warning("stars charge %s for account %s pending deletion; to refund",
                        payment.charge_id, user.id)
            return Received(refund=GONE)
        if opened[0] != user.id:
            # The pre-checkout lets only the named user pay the first time, so this is a
            # renewal of an account that is gone: deleted (pending, or purged, its id
            # perhaps reused by someone since) while its subscription kept renewing.
            log.warning("stars charge %s renews account %s, not payer's %s; to refund",
                        payment.charge_id, opened[0], user.id)
            return Received(refund=GONE)
        plan = self._plans.get(opened[1])
        current = self._plans.get(await grants.refresh(session, now, user))
        if current.covers(plan) and not await self._renews(session, user, payment,
                                                           plan.tier):
            log.info("stars charge %s buys %s, user %s has %s already; to refund",
                     payment.charge_id, plan.tier, user.id, current.tier)
            return Received(refund=NOT_UPGRADE)
        if not await first_time(session, now, SOURCE, payment.charge_id, "successful_payment"):
            return Received()
        ends = payment.expires_at or now + timedelta(seconds=self._period)
        before = user.tier
        row = await grants.grant(
            session, now, user, source=SOURCE, ref=payment.charge_id, tier=opened[1],
            status="active", ends_at=ends, paid=f"{SOURCE}:{payment.charge_id}",
            telegram_user_id=payment.telegram_user_id, amount=payment.amount,
            recurring=payment.recurring)
        await record_tier_change(self._events, session, self._plans, user.id, before,
                                 user.tier, SOURCE)
        await self._events.record(session, EventKind.STARS_PAID, user.id, tier=opened[1],
                                  amount=payment.amount, charge=payment.charge_id)
        return Received(granted=row)

    @staticmethod
    async def _seen(session: AsyncSession, charge_id: str) -> bool:
        from core.billing.models import ProcessedEvent

        return await session.get(ProcessedEvent, (SOURCE, charge_id)) is not None

    @staticmethod
    async def _renews(session: AsyncSession, user: User, payment: StarsPayment,
                      tier: str) -> bool:
        """Whether `payment` can be a renewal of the payer's own Stars subscription to
        `tier`: Telegram repeats the first payload, so a renewal looks like buying the
        plan the payer has. (PaymentDone does not carry is_first_recurring, so a second
        first payment of the same plan, racing past the pre-checkout, passes too.)"""
        if not payment.recurring:
            return False
        rows = await session.scalars(select(Entitlement).where(
            Entitlement.user_id == user.id, Entitlement.source == SOURCE,
            Entitlement.tier == tier, Entitlement.status != "refunded"))
        return any((row.data or {}).get("recurring")
                   and str((row.data or {}).get("telegram_user_id")) == payment.telegram_user_id
                   for row in rows)

    async def give_back(self, session: AsyncSession, user: User, payment: StarsPayment,
                        why: str) -> bool:
        """Refund a charge `receive` did not grant (`refundStarPayment`; one refunded
        before counts) and, for a deleted account's renewal, end its subscription;
        then claim the charge in the caller's new transaction, so a redelivery does
        nothing. Call with no transaction open (after the caller's commit). False: the
        charge was claimed meanwhile (granted or given back by another delivery)."""

        from core.billing.payments import first_time

        payer = int(payment.telegram_user_id)
        await self._refund_stars(payer, payment.charge_id)
        if why == GONE:
            await self.set_renewing(payer, payment.charge_id, renewing=False)
        if not await first_time(session, self._clock.now(), SOURCE, payment.charge_id,
                                f"refused_{why}"):
            return False
        await self._events.record(session, EventKind.STARS_REFUNDED, user.id,
                                  charge=payment.charge_id, reason=why)
        return True

    async def set_renewing(self, payer: int, charge_id: str, *, renewing: bool) -> bool:
        """Stop a Stars subscription renewing, or let it renew again
        (`editUserStarSubscription`, is_canceled): stopped, the period paid for runs out
        and nothing more is charged. False: Telegram refused (logged; the caller's
        marker stays for the daily run, core.billing.renewals)."""
        from telegram.error import TelegramError

        try:
            async with self._bot() as bot:
                await bot.edit_user_star_subscription(payer, charge_id,
                                                       is_canceled=not renewing)
        except TelegramError as exc:
            log.warning("stars subscription of charge %s not %s: %s", charge_id,
                        "resumed" if renewing else "cancelled", exc)
            return False
        return True

    async def refund(self, charge_id: str) -> Refund:
        """Give the Stars of one charge back (`refundStarPayment`) and end its grant."""

        async with self._db.read() as session:
            row = await session.scalar(select(Entitlement).where(
                Entitlement.source == SOURCE, Entitlement.source_ref == charge_id))
            if row is None:
                return Refund(charge_id, "unknown")
            user_id, tier, status = row.user_id, row.tier, row.status
            payer = int(row.data["telegram_user_id"])
        if status == "refunded":
            return Refund(charge_id, "already", user_id)
        await self._refund_stars(payer, charge_id)  # no transaction is open across this
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
            await ledger.taken_back(session, now, f"{SOURCE}:{charge_id}")
            from core.posting.outbox import notify

            await notify(session, now, user.id, REFUNDED_NOTICE, f"stars-refund:{charge_id}",
                         tier=user.tier, refunded=tier)
            return Refund(charge_id, "refunded", user.id, user.tier)

    async def _refund_stars(self, payer: int, charge_id: str) -> None:
        """`refundStarPayment`; a charge refunded before (by us, or by hand) counts."""
        from telegram.error import BadRequest

        async with self._bot() as bot:
            try:
                await bot.refund_star_payment(payer, charge_id)
            except BadRequest as exc:
                if "ALREADY_REFUNDED" not in str(exc).upper():
                    raise

    def _bot(self) -> Bot:
        """A Bot API client for one call (`async with` opens and closes its pool)."""
        from telegram import Bot

        from core.telegram_http import bot_requests

        token = self._telegram.token
        if token is None:
            raise StarsNotConfigured("telegram.token is not set")
        return Bot(token.get_secret_value(), base_url=self._telegram.api_base_url,
                   **bot_requests())
