"""Money in, tiers out: applies what payment providers report, once per event.

Every provider event is processed in one transaction that first inserts its id into
`billing_events` (ON CONFLICT DO NOTHING): a redelivered, replayed or concurrently
delivered event finds the id taken and changes nothing. The network (re-reading the
subscription from Stripe) happens before that transaction, never inside it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.analytics.subscriptions import record_tier_change
from core.billing import grants, renewals
from core.billing.models import BillingCustomer, Entitlement, ProcessedEvent
from core.billing.providers.base import Checkout, Grant, PaymentProvider
from core.billing.providers.stars import StarsNotConfigured, StarsProvider
from core.billing.providers.stripe import (
    StripeNotConfigured,
    StripeProvider,
    subscription_ref,
)
from core.billing.tiers import Plan, Plans
from core.clock import Clock
from core.db.database import Database
from core.db.models import User
from core.db.upsert import insert_for
from core.events import EventKind, EventLog
from core.settings import Settings

if TYPE_CHECKING:
    from core.bootstrap import Core

log = logging.getLogger(__name__)

HANDLED = ("checkout.session.completed", "customer.subscription.created",
           "customer.subscription.updated", "customer.subscription.deleted",
           "invoice.paid", "invoice.payment_failed")
DUNNING = "billing_payment_failed"
REFUNDED = "charge.refunded"  # a card charge refunded (by the team, in the Dashboard)


@dataclass(frozen=True)
class Outcome:
    event_id: str
    result: str  # applied | duplicate | ignored
    tier: str | None = None


async def first_time(session: AsyncSession, now: datetime, provider: str, event_id: str,
                     kind: str) -> bool:
    """Claim `event_id` for this transaction; False if it was processed already."""
    claimed = await session.scalar(insert_for(session)(ProcessedEvent).values(
        provider=provider, event_id=event_id, kind=kind, processed_at=now,
    ).on_conflict_do_nothing(index_elements=["provider", "event_id"])
        .returning(ProcessedEvent.event_id))
    return claimed is not None


class NotUpgradable(ValueError):
    """The tier asked for is no paid plan above the user's (a stale or altered button)."""


class AlreadyOnPlan(NotUpgradable):
    """The user already has this plan or a better one (a payment link used twice):
    paying again would start a second subscription for one tier."""

    def __init__(self, tier: str, current: str) -> None:
        super().__init__(tier)
        self.current = current


class Payments:
    """Every payment provider behind one door: `start(provider, user, tier)` begins an
    upgrade on any of them; what they report back is applied once per event."""

    def __init__(self, settings: Settings, db: Database, clock: Clock, events: EventLog,
                 plans: Plans, secret_key: bytes | None = None) -> None:
        self._db = db
        self._clock = clock
        self._events = events
        self.plans = plans
        self.stripe = StripeProvider(settings, plans)
        # Stars payloads are signed with the installation secret, so no key, no Stars.
        self.stars = (StarsProvider(settings, db, clock, events, plans, secret_key)
                      if secret_key is not None else None)

    @classmethod
    def of(cls, core: Core) -> Payments:
        return cls(core.settings, core.db, core.clock, core.events, core.billing.plans,
                   core.secret_key)

    # -- any provider: starting --------------------------------------------------------
    def provider(self, name: str) -> PaymentProvider | None:
        """The provider called `name`, if this deployment can take payments through it."""
        found: PaymentProvider | None = {"stripe": self.stripe, "stars": self.stars}.get(name)
        return found if found is not None and found.configured() else None

    def offered(self, names: tuple[str, ...]) -> tuple[str, ...]:
        """Of the providers a front door can show (`names`), those set up here."""
        return tuple(n for n in names if self.provider(n) is not None)

    async def start(self, provider: str, user_id: int, tier: str, *, return_url: str = "",
                    title: str | None = None, description: str | None = None) -> Checkout:
        """Begin paying for `tier` through `provider`: a page to open or an invoice.

        Raises `NotUpgradable` for a tier that is not a paid plan, `AlreadyOnPlan` when
        the user's plan is that one or above, and the provider's NotConfigured error
        when it is not set up (or the plan has no price there)."""
        plan = self.plans.get(tier)
        if plan.tier != tier or (plan.rank == 0 and not plan.metered):
            raise NotUpgradable(tier)
        current = await self._plan_now(user_id)
        if current.covers(plan):
            raise AlreadyOnPlan(tier, current.tier)
        chosen = self.provider(provider)
        if chosen is None:
            raise _not_configured(provider)
        customer = await self._stripe_customer(user_id) if provider == "stripe" else None
        card = await self._live_card(user_id) if customer else None
        if customer and card and not self.plans.get(card[1]).metered and not plan.metered:
            # one card subscription, its price changed (prorated), not a second one
            changed = await self.stripe.change_plan(customer, card[0], plan, return_url)
            if changed is not None:
                return changed
        return await chosen.checkout(user_id, plan, customer_id=customer,
                                     return_url=return_url, title=title,
                                     description=description)

    async def _live_card(self, user_id: int) -> tuple[str, str] | None:
        """(subscription id, tier) of the user's best card subscription that still
        gives its tier and renews."""
        async with self._db.read() as session:
            now = self._clock.now()
            rows = [(r.source_ref, r.tier) for r in await session.scalars(
                select(Entitlement).where(Entitlement.user_id == user_id,
                                          Entitlement.source == "stripe"))
                if grants.live(r, now) and renewals.renews(r) and r.renewal is None]
        return max(rows, key=lambda r: grants.rank(r[1]), default=None)

    async def settle_renewals(self, user_id: int | None = None) -> renewals.Settled:
        """Ask the providers to stop (or resume) the renewals marked so (of `user_id`,
        or everyone's: the daily run). Call with no transaction open."""
        return await renewals.settle(self._db, self._clock, self.stripe, self.stars, user_id)

    async def _plan_now(self, user_id: int) -> Plan:
        """The user's plan now, a lapsed paid period counted as lapsed (`grants.refresh`
        may write the tier down, so this is a unit of work of its own)."""
        async with self._db.session() as session:
            user = await session.get(User, user_id)
            if user is None:
                return self.plans.get("free")
            return self.plans.get(await grants.refresh(session, self._clock.now(), user))

    # -- Stripe: starting ------------------------------------------------------------
    async def stripe_checkout(self, user_id: int, tier: str, return_url: str) -> Checkout:
        return await self.start("stripe", user_id, tier, return_url=return_url)

    async def stripe_portal(self, user_id: int, return_url: str) -> str | None:
        """The Customer Portal for a user who has paid by card before (else None)."""
        async with self._db.read() as session:
            customer = await self._customer_of(session, user_id)
        return await self.stripe.portal(customer, return_url) if customer else None

    async def _stripe_customer(self, user_id: int) -> str:
        async with self._db.read() as session:
            known = await self._customer_of(session, user_id)
        if known:
            return known
        created = await self.stripe.create_customer(user_id)  # idempotent per user
        async with self._db.session() as session:
            await self._remember_customer(session, user_id, created)
            return await self._customer_of(session, user_id) or created

    async def _remember_customer(self, session: AsyncSession, user_id: int,
                                 customer_id: str) -> None:
        """Store `user_id`'s Stripe customer; a row already there is kept."""
        await session.execute(insert_for(session)(BillingCustomer).values(
            user_id=user_id, provider="stripe", customer_id=customer_id,
            created_at=self._clock.now()).on_conflict_do_nothing())

    @staticmethod
    async def _customer_of(session: AsyncSession, user_id: int) -> str | None:
        return await session.scalar(select(BillingCustomer.customer_id).where(
            BillingCustomer.user_id == user_id, BillingCustomer.provider == "stripe"))

    # -- Stripe: hearing back ----------------------------------------------------------
    async def handle_stripe_event(self, event: dict[str, Any]) -> Outcome:
        """Apply one verified event. Unknown kinds are recorded and ignored."""
        event_id, kind = str(event["id"]), str(event["type"])
        obj = (event.get("data") or {}).get("object") or {}
        ref = subscription_ref(obj) if kind in HANDLED else None
        async with self._db.read() as session:
            seen = await session.get(ProcessedEvent, ("stripe", event_id))
        if seen is not None:
            return Outcome(event_id, "duplicate")
        if kind == REFUNDED:
            return await self._refunded(event_id, obj)
        current = await self.stripe.current(ref) if ref else None  # the truth, now
        async with self._db.session() as session:
            now = self._clock.now()
            if not await first_time(session, now, "stripe", event_id, kind):
                return Outcome(event_id, "duplicate")
            if current is None:
                return Outcome(event_id, "ignored")
            user = await self._user_for(session, current, obj)
            if user is None:
                log.warning("stripe event %s: no user for %s", event_id, current.source_ref)
                return Outcome(event_id, "ignored")
            before = user.tier
            await grants.grant(session, now, user, source="stripe", ref=current.source_ref,
                               tier=current.tier, status=_status(current.status),
                               ends_at=current.ends_at, final=current.status in FINAL,
                               paid=_money_in(kind, obj), customer=current.customer_id)
            await record_tier_change(self._events, session, self.plans, user.id, before,
                                     user.tier, "stripe")
            await self._events.record(session, EventKind.STRIPE_EVENT, user.id, type=kind,
                                      event_id=event_id, tier=user.tier,
                                      status=current.status)
            if kind == "invoice.payment_failed":
                await self._dunning(session, now, user, current, event_id)
            outcome = Outcome(event_id, "applied", user.tier)
        await self.settle_renewals(user.id)  # a plan this one replaced stops renewing
        return outcome

    async def _refunded(self, event_id: str, charge: dict[str, Any]) -> Outcome:
        """A card charge refunded in full: the referral reward its invoice earned (if it
        earned one: the first paid invoice does) is taken back, as a Stars refund's is.
        The subscription itself is left to the team: a refund does not cancel it, and
        Stripe says so with its own events when they do."""
        invoice = await self.stripe.paid_invoice(charge) if charge.get("refunded") else None
        async with self._db.session() as session:
            now = self._clock.now()
            if not await first_time(session, now, "stripe", event_id, REFUNDED):
                return Outcome(event_id, "duplicate")
            if invoice is None or not invoice.get("id"):
                return Outcome(event_id, "ignored")
            from core.referrals import ledger

            sub = subscription_ref(invoice)
            refs = [f"stripe:{invoice['id']}"]
            if sub and invoice.get("billing_reason") == "subscription_create":
                refs.append(f"stripe:{sub}")  # earned before rewards named the invoice
            taken = [r for r in [await ledger.taken_back(session, now, ref) for ref in refs]
                     if r is not None]
            owner = await session.scalar(select(Entitlement.user_id).where(
                Entitlement.source == "stripe", Entitlement.source_ref == sub)) if sub else None
            await self._events.record(session, EventKind.STRIPE_EVENT, owner, type=REFUNDED,
                                      event_id=event_id, subscription=sub,
                                      reward_taken_back=bool(taken))
            return Outcome(event_id, "applied" if taken else "ignored")

    async def _user_for(self, session: AsyncSession, current: Grant, obj: dict[str, Any]
                        ) -> User | None:
        if current.customer_id:
            owner = await session.scalar(select(BillingCustomer.user_id).where(
                BillingCustomer.provider == "stripe",
                BillingCustomer.customer_id == current.customer_id))
            if owner is not None:
                return await session.get(User, owner)
        hint = current.user_id or _int(obj.get("client_reference_id"))
        user = await session.get(User, hint) if hint else None
        if user is not None and current.customer_id:  # remember who this customer is
            await self._remember_customer(session, user.id, current.customer_id)
        return user

    async def _dunning(self, session: AsyncSession, now: datetime, user: User,
                       current: Grant, event_id: str) -> None:
        from core.posting.outbox import notify  # the chat notifier's outbox

        await notify(session, now, user.id, DUNNING, f"stripe:{event_id}",
                     tier=current.tier, subscription=current.source_ref)

    async def replay_stripe(self, since: datetime) -> list[Outcome]:
        """Re-process every event Stripe lists since `since` (missed webhooks)."""
        return [await self.handle_stripe_event(event)
                async for event in self.stripe.events_since(since)]


def _not_configured(provider: str) -> Exception:
    if provider == "stars":
        return StarsNotConfigured("telegram.token (or the secret key) is not set")
    return StripeNotConfigured(f"payment provider {provider!r} is not set up")


FINAL = ("canceled", "incomplete_expired")  # Stripe's subscription states with no way back


def _status(status: str) -> str:
    """Stripe's subscription status in our words (grants.LIVE keeps the tier)."""
    return status if status in grants.LIVE else "ended"


def _money_in(kind: str, obj: dict[str, Any]) -> str | None:
    """The payment an event reports ("stripe:<invoice>"): an invoice paid with money.
    A $0 invoice (a pay-as-you-go plan's start, a trial) is no payment."""
    if kind == "invoice.paid" and int(obj.get("amount_paid") or 0) > 0 and obj.get("id"):
        return f"stripe:{obj['id']}"
    return None


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, str | int) and str(value).isdigit() else None
