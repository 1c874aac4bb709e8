"""The `[billing]` settings section: what each tier may do and what it costs.

Lives beside the billing code (core/settings.py only mounts it) so tiers are defined in
exactly one place. A tier given partly in the TOML file keeps its defaults for the keys
it leaves out; "unlimited" (or JSON null from the environment) lifts a limit.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationInfo, field_validator

TIER_ORDER: tuple[str, ...] = ("free", "starter", "pro", "premium")
UNLIMITED = "unlimited"


class _Section(BaseModel):
    model_config = {"extra": "forbid"}


class TierSettings(_Section):
    """One tier's limits (None = unlimited) and prices."""

    captions_per_day: int | None = Field(default=5, ge=0)
    images_per_day: int | None = Field(default=3, ge=0)
    posts_per_day: int | None = Field(default=3, ge=0)
    horizon_days: int | None = Field(default=7, ge=0)
    reddit_accounts: int | None = Field(default=1, ge=0)
    analytics: bool = False
    requests_per_minute: int = Field(default=10, ge=1)
    # Price per month in `billing.currency` (Stripe) and in Telegram Stars.
    price_month: float = Field(default=0.0, ge=0)
    stars_month: int = Field(default=0, ge=0)
    # The Stripe Price (price_...) a Checkout for this tier subscribes to.
    stripe_price: str | None = None

    @field_validator(
        "captions_per_day", "images_per_day", "posts_per_day", "horizon_days",
        "reddit_accounts", mode="before")
    @classmethod
    def _unlimited(cls, value: Any) -> Any:
        """TOML has no null: the word "unlimited" says it instead."""
        return None if isinstance(value, str) and value.strip().lower() == UNLIMITED else value


DEFAULT_TIERS: dict[str, dict[str, Any]] = {
    "free": {"captions_per_day": 5, "images_per_day": 3, "posts_per_day": 3,
             "horizon_days": 7, "reddit_accounts": 1, "analytics": False,
             "requests_per_minute": 10, "price_month": 0.0, "stars_month": 0},
    "starter": {"captions_per_day": 50, "images_per_day": 30, "posts_per_day": 20,
                "horizon_days": 30, "reddit_accounts": 2, "analytics": False,
                "requests_per_minute": 50, "price_month": 9.0, "stars_month": 450},
    "pro": {"captions_per_day": 500, "images_per_day": 200, "posts_per_day": 100,
            "horizon_days": 90, "reddit_accounts": 5, "analytics": True,
            "requests_per_minute": 200, "price_month": 29.0, "stars_month": 1450},
    "premium": {"captions_per_day": None, "images_per_day": None, "posts_per_day": None,
                "horizon_days": 365, "reddit_accounts": 20, "analytics": True,
                "requests_per_minute": 1000, "price_month": 79.0, "stars_month": 3950},
}


METERS: tuple[str, ...] = ("caption", "image", "post")
DEFAULT_RATES = {"caption": Decimal("0.02"), "image": Decimal("0.01"), "post": Decimal("0.005")}
DEFAULT_METER_EVENTS = {m: f"thottopilot_{m}" for m in METERS}


class PaygSettings(_Section):
    """Pay-as-you-go: no daily caps; every metered action is billed monthly at `rates`
    (per unit, in `billing.currency`; exact decimals, never floats) and reported to
    Stripe as a Billing Meter event named `meter_events[meter]`."""

    rates: dict[str, Decimal] = Field(default_factory=lambda: dict(DEFAULT_RATES))
    meter_events: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_METER_EVENTS))
    horizon_days: int | None = Field(default=90, ge=0)
    reddit_accounts: int | None = Field(default=5, ge=0)
    analytics: bool = True
    requests_per_minute: int = Field(default=200, ge=1)
    # The metered Stripe Price a pay-as-you-go subscription uses (maps it to this plan).
    stripe_price: str | None = None
    # How often the worker sends unreported usage to Stripe.
    report_seconds: float = Field(default=60.0, gt=0)

    @field_validator("rates", "meter_events", mode="before")
    @classmethod
    def _keep_defaults(cls, value: Any, info: ValidationInfo) -> Any:
        """A meter left out keeps its default rate (and event name)."""
        if not isinstance(value, dict):
            return value
        defaults = DEFAULT_RATES if info.field_name == "rates" else DEFAULT_METER_EVENTS
        return {**defaults, **value}

    @field_validator("rates", "meter_events")
    @classmethod
    def _known_meters(cls, value: dict[str, Any]) -> dict[str, Any]:
        unknown = set(value) - set(METERS)
        if unknown:
            raise ValueError(f"unknown meter {sorted(unknown)[0]!r}; meters are "
                             f"{', '.join(METERS)}")
        if any(isinstance(v, Decimal) and v < 0 for v in value.values()):
            raise ValueError("a rate cannot be negative")
        return value


class ReferralSettings(_Section):
    """What a referrer earns when someone they brought first pays."""

    reward: Literal["credit", "free_month"] = "credit"
    credit: Decimal = Field(default=Decimal("5.00"), ge=0)  # in `billing.currency`
    free_month_tier: str = "starter"
    free_month_days: int = Field(default=30, gt=0)
    # The web link's cookie: a sign-up within this time of following it is attributed.
    cookie_hours: int = Field(default=24, gt=0)

    @field_validator("free_month_tier")
    @classmethod
    def _paid_tier(cls, value: str) -> str:
        if value not in TIER_ORDER[1:]:
            raise ValueError(f"must be a paid tier: {', '.join(TIER_ORDER[1:])}")
        return value


class BillingSettings(_Section):
    currency: str = Field(default="usd", min_length=3, max_length=3)
    tiers: dict[str, TierSettings] = Field(
        default_factory=lambda: {k: TierSettings(**v) for k, v in DEFAULT_TIERS.items()})
    # Telegram Stars subscriptions renew every this many seconds (Telegram allows 30 days).
    stars_period_seconds: int = Field(default=2592000, gt=0)
    # Stripe signs a webhook with a timestamp; older deliveries are refused (replays).
    webhook_tolerance_seconds: int = Field(default=300, gt=0)
    payg: PaygSettings = Field(default_factory=PaygSettings)
    referrals: ReferralSettings = Field(default_factory=ReferralSettings)

    @field_validator("tiers", mode="before")
    @classmethod
    def _merge_defaults(cls, value: Any) -> Any:
        """Every tier always exists; a partial tier keeps the defaults it leaves out."""
        if not isinstance(value, dict):
            return value
        unknown = set(value) - set(TIER_ORDER)
        if unknown:
            raise ValueError(f"unknown tier {sorted(unknown)[0]!r}; tiers are "
                             f"{', '.join(TIER_ORDER)}")
        merged: dict[str, Any] = {}
        for name in TIER_ORDER:
            given = value.get(name, {})
            if isinstance(given, TierSettings):
                given = given.model_dump(exclude_unset=True)
            merged[name] = {**DEFAULT_TIERS[name], **dict(given)}
        return merged
