"""The `[billing]` settings section: what each tier may do and what it costs.

Lives beside the billing code (core/settings.py only mounts it) so tiers are defined in
exactly one place. A tier given partly in the TOML file keeps its defaults for the keys
it leaves out; "unlimited" (or JSON null from the environment) lifts a limit.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, field_validator

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


class BillingSettings(_Section):
    currency: str = Field(default="usd", min_length=3, max_length=3)
    tiers: dict[str, TierSettings] = Field(
        default_factory=lambda: {k: TierSettings(**v) for k, v in DEFAULT_TIERS.items()})
    # Telegram Stars subscriptions renew every this many seconds (Telegram allows 30 days).
    stars_period_seconds: int = Field(default=2592000, gt=0)
    # Stripe signs a webhook with a timestamp; older deliveries are refused (replays).
    webhook_tolerance_seconds: int = Field(default=300, gt=0)

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
