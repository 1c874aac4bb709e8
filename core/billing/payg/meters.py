"""Pay-as-you-go usage to Stripe, as Billing Meter events (`POST /v1/billing/meter_events`).

Not the legacy usage-records API (Stripe removed it in 2025). Each unreported usage row
of a pay-as-you-go user with a Stripe customer becomes one meter event whose
`identifier` is the row's idempotency key; only after Stripe has answered is the row
marked `reported_at`, in a transaction of its own (none is open during the call). A
crash between the two sends the same identifier again, and Stripe counts it once.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update

from core.billing.models import BillingCustomer, UsageRecord
from core.billing.providers.stripe import StripeProvider
from core.billing.tiers import PAYG
from core.clock import Clock, idle
from core.db.database import Database
from core.settings import Settings

if TYPE_CHECKING:
    from core.bootstrap import Core
    from core.posting.worker import Workers

log = logging.getLogger(__name__)
BATCH = 100
# Stripe takes meter events up to 35 days old; older rows stay on our own bill only.
MAX_AGE = timedelta(days=35) - timedelta(hours=1)


@dataclass(frozen=True)
class Unreported:
    id: int
    key: str
    meter: str
    quantity: int
    created_at: datetime
    customer: str


def identifier(key: str) -> str:
    """The meter event's identifier: the idempotency key (Stripe allows 100 chars; a
    longer key is replaced by its SHA-256, still one per key)."""
    return key if len(key) <= 100 else hashlib.sha256(key.encode()).hexdigest()


def is_duplicate(exc: Exception) -> bool:
    """Stripe refusing an identifier it already has: the event was counted before."""
    text = str(getattr(exc, "user_message", None) or exc).lower()
    return "identifier" in text and ("already" in text or "duplicate" in text)


class MeterReporter:
    def __init__(self, settings: Settings, db: Database, clock: Clock,
                 stripe: StripeProvider) -> None:
        self._payg = settings.billing.payg
        self._db, self._clock, self._stripe = db, clock, stripe
        self._skipped: set[int] = set()  # rows Stripe refused for good, this process

    @classmethod
    def from_core(cls, core: Core) -> MeterReporter:
        return cls(core.settings, core.db, core.clock,
                   StripeProvider(core.settings, core.billing.plans))

    def configured(self) -> bool:
        return self._stripe.configured()

    async def due(self, limit: int = BATCH) -> list[Unreported]:
        oldest = self._clock.now() - MAX_AGE
        async with self._db.read() as session:
            rows = await session.execute(
                select(UsageRecord.id, UsageRecord.idempotency_key, UsageRecord.meter,
                       UsageRecord.quantity, UsageRecord.created_at,
                       BillingCustomer.customer_id)
                .join(BillingCustomer, (BillingCustomer.user_id == UsageRecord.user_id)
                      & (BillingCustomer.provider == "stripe"))
                .where(UsageRecord.tier == PAYG, UsageRecord.reported_at.is_(None),
                       UsageRecord.created_at >= oldest,
                       UsageRecord.id.not_in(self._skipped or {0}))
                .order_by(UsageRecord.id).limit(limit))
            return [Unreported(*row) for row in rows]

    async def report_due(self, limit: int = BATCH) -> int:
        """Send one batch of unreported rows; how many Stripe now has."""
        import stripe

        sent = 0
        for row in await self.due(limit):
            try:
                await self.send(row)
            except stripe.InvalidRequestError as exc:
                if not is_duplicate(exc):
                    log.error("meter event %s refused by Stripe: %s", row.key, exc)
                    self._skipped.add(row.id)
                    continue
            await self.mark(row.id)
            sent += 1
        return sent

    async def send(self, row: Unreported) -> None:
        params: dict[str, Any] = {
            "event_name": self._payg.meter_events[row.meter],
            "identifier": identifier(row.key),
            "timestamp": int(row.created_at.timestamp()),
            "payload": {"stripe_customer_id": row.customer, "value": str(row.quantity)},
        }
        await self._stripe.client().v1.billing.meter_events.create_async(params)  # type: ignore[arg-type]

    async def mark(self, row_id: int) -> None:
        async with self._db.session() as session:
            await session.execute(
                update(UsageRecord).where(UsageRecord.id == row_id,
                                          UsageRecord.reported_at.is_(None))
                .values(reported_at=self._clock.now())
                .execution_options(synchronize_session=False))

    async def run(self, stop: asyncio.Event) -> None:
        """Report every `billing.payg.report_seconds` (on the injected clock) until
        `stop` is set."""
        while not stop.is_set():
            try:
                while await self.report_due() == BATCH and not stop.is_set():
                    pass
            except Exception:
                log.exception("reporting usage to Stripe failed; trying again")
            await idle(self._clock, stop, self._payg.report_seconds)


def start_meter_reporter(core: Core) -> Workers:
    """The reporter as a background task of `serve`, where Stripe is configured."""
    from core.posting.worker import Workers

    workers = Workers(asyncio.Event())
    reporter = MeterReporter.from_core(core)
    if reporter.configured():
        workers.tasks.append(asyncio.create_task(reporter.run(workers.stop_event),
                                                 name="stripe-meter-events"))
    return workers
