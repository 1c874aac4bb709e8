"""What every payment provider offers the rest of ThottoPilot.

A provider starts a payment for a plan and turns what it hears back (a webhook, a
payment update) into `Grant`s; `core.billing.payments` applies those to the database
once per provider event id. Flows only ever see `Checkout`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from core.billing.tiers import Plan


@dataclass(frozen=True)
class Checkout:
    """How the creator pays: a page to open (`url`), or an invoice a chat transport
    issues itself (`invoice`, e.g. Telegram Stars)."""

    provider: str
    url: str | None = None
    invoice: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Grant:
    """A provider's current word on one paid thing (a subscription, a charge)."""

    source_ref: str
    tier: str
    status: str  # active | past_due | canceled | refunded ...
    ends_at: datetime | None
    user_id: int | None = None
    customer_id: str | None = None


class PaymentProvider(Protocol):
    name: str

    def configured(self) -> bool:
        """Whether this deployment can take payments through it."""
        ...

    async def checkout(self, user_id: int, plan: Plan, *, customer_id: str | None,
                       return_url: str, title: str | None = None,
                       description: str | None = None) -> Checkout:
        """Start paying for `plan`: a page to open (`Checkout.url`). `title` and
        `description` are the creator's words for an invoice the provider shows itself
        (Stars); a hosted page (Stripe Checkout) names the product its own way."""
        ...
