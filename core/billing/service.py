"""`BillingService`: the one place that says whether a creator may do a metered thing.

`consume` checks and takes quota inside the caller's transaction: an idempotency row
first (a retried action is counted once), then an upsert of the day's counter that
applies only while `used + n <= limit`. Concurrent requests serialise on the counter
row (PostgreSQL re-checks the condition after the row lock; SQLite has a single
writer), so no interleaving lets two of them take the last unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NoReturn
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.billing import features, grants
from core.billing.errors import LimitReached, QuotaExceeded
from core.billing.models import UsageCounter, UsageRecord
from core.billing.tiers import Meter, Plan, Plans
from core.clock import Clock
from core.db.models import User
from core.db.upsert import insert_for
from core.events import EventKind, EventLog
from core.experiments.service import Experiments
from core.settings import Settings


@dataclass(frozen=True)
class MeterUsage:
    meter: Meter
    used: int
    limit: int | None  # None = unlimited

    @property
    def left(self) -> int | None:
        return None if self.limit is None else max(self.limit - self.used, 0)


@dataclass(frozen=True)
class Consumed:
    used: int  # the day's count after this action
    limit: int | None
    duplicate: bool  # the idempotency key was already counted: nothing taken now


def local_day(user: User, now: datetime) -> str:
    """The user's calendar date (quotas refill at their own midnight)."""
    try:
        zone = ZoneInfo(user.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return now.astimezone(zone).date().isoformat()


class BillingService:
    def __init__(self, settings: Settings, clock: Clock, events: EventLog) -> None:
        self.settings = settings
        self.plans = Plans(settings)
        self._clock = clock
        self._events = events
        self.experiments = Experiments(settings.experiments, clock)

    async def plan_of(self, session: AsyncSession, user: User) -> Plan:
        """The user's plan now (a lapsed paid period falls back here, lazily)."""
        return self.plans.get(await grants.refresh(session, self._clock.now(), user))

    async def can_use(self, session: AsyncSession, user: User, feature: str) -> bool:
        """Whether `user`'s plan now includes `feature` (e.g. "analytics")."""
        return features.can_use(await self.plan_of(session, user), feature)

    async def check_reddit_accounts(self, session: AsyncSession, user: User,
                                    connected: int) -> None:
        """Refuse one more Reddit account when `connected` already fills the plan
        (`LimitReached`, which names the tier that connects more)."""
        plan = await self.plan_of(session, user)
        limit = plan.reddit_accounts
        if limit is None or connected < limit:
            return
        upgrade = features.accounts_upgrade(self.plans, plan.tier)
        await self._events.record(session, EventKind.LIMIT_REACHED, user.id,
                                  limit_name=features.REDDIT_ACCOUNTS, limit=limit,
                                  tier=plan.tier)
        raise LimitReached("reddit_accounts", limit, plan.tier,
                           upgrade.tier if upgrade else None,
                           upgrade.reddit_accounts if upgrade else None)

    async def usage(self, session: AsyncSession, user: User, meter: Meter) -> MeterUsage:
        plan = await self.plan_of(session, user)
        used = await session.scalar(select(UsageCounter.used).where(
            UsageCounter.user_id == user.id, UsageCounter.meter == meter.value,
            UsageCounter.day == local_day(user, self._clock.now())))
        return MeterUsage(meter, int(used or 0), plan.daily_limit(meter))

    async def check(self, session: AsyncSession, user: User, meter: Meter,
                    quantity: int = 1) -> MeterUsage:
        """Refuse early (before slow work) when `quantity` more would not fit. Advisory:
        only `consume` takes quota, so a race here costs work, never an extra unit."""
        usage = await self.usage(session, user, meter)
        if usage.limit is not None and usage.used + quantity > usage.limit:
            await self._refuse(session, user, meter, usage.limit)
        return usage

    async def consume(self, session: AsyncSession, user: User, meter: Meter,
                      idempotency_key: str, quantity: int = 1) -> Consumed:
        """Take `quantity` of today's `meter` for `user`, or raise `QuotaExceeded`.

        Runs in the caller's transaction, so the unit is taken exactly when the work it
        pays for is committed; a rollback gives it back.
        """
        now = self._clock.now()
        plan = await self.plan_of(session, user)
        limit, day = plan.daily_limit(meter), local_day(user, now)
        try:
            return await self._take(session, user, meter, idempotency_key, quantity,
                                    plan, day)
        except _Full:
            assert limit is not None
            await self._refuse(session, user, meter, limit)

    async def _take(self, session: AsyncSession, user: User, meter: Meter, key: str,
                    quantity: int, plan: Plan, day: str) -> Consumed:
        """Two statements in the caller's transaction: the idempotency record, then the
        day's counter raised in one upsert that only applies while the limit allows it.
        A refusal deletes the record it just wrote (no savepoint: its SAVEPOINT and
        RELEASE were two round trips on every caption, for the rare refusal)."""
        now, limit, insert = self._clock.now(), plan.daily_limit(meter), insert_for(session)
        if limit is not None and quantity > limit:
            raise _Full
        recorded = await session.scalar(insert(UsageRecord).values(
            idempotency_key=key, user_id=user.id, meter=meter.value,
            quantity=quantity, day=day, tier=plan.tier, created_at=now,
        ).on_conflict_do_nothing(index_elements=["idempotency_key"])
            .returning(UsageRecord.id))
        if recorded is None:
            return Consumed(await self._used(session, user, meter, day), limit, True)
        raised = {"used": UsageCounter.used + quantity, "updated_at": now}
        fits = UsageCounter.used + quantity <= limit if limit is not None else None
        used = await session.scalar(insert(UsageCounter).values(
            user_id=user.id, meter=meter.value, day=day, used=quantity, updated_at=now,
        ).on_conflict_do_update(index_elements=["user_id", "meter", "day"], set_=raised,
                                where=fits)
            .returning(UsageCounter.used).execution_options(synchronize_session=False))
        if used is None:  # full: the counter was left as it was, though on PostgreSQL
            # still locked until the caller's transaction ends (an upsert locks the row
            # it declined): a flow that goes on after a refusal holds up this creator's
            # other charges on this meter for that long, never across a network call
            await session.execute(delete(UsageRecord).where(UsageRecord.id == recorded))
            raise _Full
        return Consumed(int(used), limit, False)

    async def _used(self, session: AsyncSession, user: User, meter: Meter, day: str) -> int:
        return int(await session.scalar(select(UsageCounter.used).where(
            UsageCounter.user_id == user.id, UsageCounter.meter == meter.value,
            UsageCounter.day == day)) or 0)

    async def _refuse(self, session: AsyncSession, user: User, meter: Meter,
                      limit: int) -> NoReturn:
        upgrade = self.plans.upgrade_for(user.tier, meter)
        await self._events.record(session, EventKind.QUOTA_REACHED, user.id,
                                  meter=meter.value, limit=limit, tier=user.tier)
        raise QuotaExceeded(meter.value, limit, user.tier, upgrade.tier if upgrade else None,
                            upgrade.daily_limit(meter) if upgrade else None)


class _Full(Exception):
    """The unit did not fit: nothing of it is left written (see `_take`)."""
