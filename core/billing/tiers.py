"""Tiers as the rest of the code sees them: one `Plan` per tier, read from settings.

`[billing.tiers]` is the source of truth. Two older keys still win when a deployment
set them explicitly, so existing config files keep meaning what they meant:
`limits.captions_per_day` (a tier left out there is unlimited, as that key documented)
and `posting.horizon_days`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from core.billing.config import TIER_ORDER
from core.settings import Settings

PAYG = "payg"  # pay-as-you-go: a plan outside TIER_ORDER's capped tiers


class Meter(StrEnum):
    """A metered action; each has a per-day limit on every tier."""

    CAPTION = "caption"
    IMAGE = "image"
    POST = "post"


@dataclass(frozen=True)
class Plan:
    tier: str
    captions_per_day: int | None
    images_per_day: int | None
    posts_per_day: int | None
    horizon_days: int | None
    reddit_accounts: int | None
    analytics: bool
    requests_per_minute: int
    price_month: float
    stars_month: int
    stripe_price: str | None

    def daily_limit(self, meter: Meter) -> int | None:
        return {Meter.CAPTION: self.captions_per_day, Meter.IMAGE: self.images_per_day,
                Meter.POST: self.posts_per_day}[meter]

    @property
    def rank(self) -> int:
        """Place among the capped tiers (pay-as-you-go, outside them, ranks as free)."""
        return TIER_ORDER.index(self.tier) if self.tier in TIER_ORDER else 0

    @property
    def metered(self) -> bool:
        """Pay-as-you-go: billed per unit each month instead of capped per day."""
        return self.tier == PAYG

    def covers(self, other: Plan) -> bool:
        """Whether someone on this plan has nothing to gain by paying for `other`: it is
        the same paid plan or a lower one (pay-as-you-go covers only itself). The one
        rule behind every "you already have this" (card checkout, Stars invoice,
        pre-checkout, a payment that slipped through)."""
        return (self.rank > 0 and other.rank <= self.rank) or (self.metered and other.metered)


def _allows_more(plan: Plan, meter: Meter, limit: int | None) -> bool:
    higher = plan.daily_limit(meter)
    return limit is not None and (higher is None or higher > limit)


class Plans:
    """Every tier's plan, cheapest first, built once from `Settings`."""

    def __init__(self, settings: Settings) -> None:
        captions = (settings.limits.captions_per_day
                    if "captions_per_day" in settings.limits.model_fields_set else None)
        horizon = (settings.posting.horizon_days
                   if "horizon_days" in settings.posting.model_fields_set else None)
        plans = []
        for name in TIER_ORDER:
            tier = settings.billing.tiers[name]
            plans.append(Plan(
                tier=name,
                captions_per_day=captions.get(name) if captions is not None
                else tier.captions_per_day,
                images_per_day=tier.images_per_day, posts_per_day=tier.posts_per_day,
                horizon_days=horizon.get(name) if horizon is not None else tier.horizon_days,
                reddit_accounts=tier.reddit_accounts, analytics=tier.analytics,
                requests_per_minute=tier.requests_per_minute, price_month=tier.price_month,
                stars_month=tier.stars_month, stripe_price=tier.stripe_price,
            ))
        self.all: tuple[Plan, ...] = tuple(plans)
        payg = settings.billing.payg  # no daily caps: every unit is billed (core.billing.payg)
        self.payg = Plan(
            tier=PAYG, captions_per_day=None, images_per_day=None, posts_per_day=None,
            horizon_days=payg.horizon_days, reddit_accounts=payg.reddit_accounts,
            analytics=payg.analytics, requests_per_minute=payg.requests_per_minute,
            price_month=0.0, stars_month=0, stripe_price=payg.stripe_price)
        self._by_name = {p.tier: p for p in (*plans, self.payg)}

    def get(self, tier: str | None) -> Plan:
        """The plan of `tier`; an unknown or empty tier is treated as free."""
        return self._by_name.get(tier or "", self._by_name["free"])

    def upgrade_for(self, tier: str, meter: Meter) -> Plan | None:
        """The cheapest higher tier that allows more of `meter` than `tier` does."""
        current = self.get(tier)
        limit = current.daily_limit(meter)
        for plan in self.all[current.rank + 1:]:
            if _allows_more(plan, meter, limit):
                return plan
        return None

    def paid(self) -> tuple[Plan, ...]:
        return self.all[1:]
