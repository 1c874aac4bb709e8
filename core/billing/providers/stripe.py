"""Stripe through the official library, with `stripe.api_base` from settings.

Subscriptions start in Stripe Checkout and are managed in the Customer Portal. A webhook
is believed only after `stripe.Webhook.construct_event` checked its signature over the
raw body (and its age); even then the tier comes from the subscription as Stripe has it
*now*, re-read by id, so events delivered late or out of order cannot roll a tier back.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from core.billing.providers.base import Checkout, Grant
from core.billing.tiers import Plan, Plans
from core.settings import Settings

if TYPE_CHECKING:
    import stripe as stripe_sdk

log = logging.getLogger(__name__)


class StripeNotConfigured(RuntimeError):
    """No `stripe.secret_key` (or no webhook secret for a webhook)."""


class SignatureRejected(ValueError):
    """Forged, stale or malformed `Stripe-Signature`; the event is ignored."""


def subscription_ref(obj: dict[str, Any]) -> str | None:
    """The subscription an event's object is about (checkout session, subscription or
    invoice; invoices name it under `parent` since API 2025-03, `subscription` before)."""
    kind = obj.get("object")
    if kind == "subscription":
        return str(obj["id"])
    if kind == "checkout.session":
        return obj.get("subscription")
    if kind == "invoice":
        details = (obj.get("parent") or {}).get("subscription_details") or {}
        return details.get("subscription") or obj.get("subscription")
    return None


class StripeProvider:
    name = "stripe"

    def __init__(self, settings: Settings, plans: Plans) -> None:
        self._settings = settings.stripe
        self._tolerance = settings.billing.webhook_tolerance_seconds
        self._plans = plans
        self._client: stripe_sdk.StripeClient | None = None

    def configured(self) -> bool:
        return self._settings.secret_key is not None

    def client(self) -> stripe_sdk.StripeClient:
        if self._settings.secret_key is None:
            raise StripeNotConfigured("stripe.secret_key is not set")
        if self._client is None:
            import stripe  # the SDK loads with the first payment, not at start-up

            self._client = stripe.StripeClient(
                self._settings.secret_key.get_secret_value(),
                base_addresses={"api": self._settings.api_base.rstrip("/")},
                http_client=stripe.HTTPXClient(),
                max_network_retries=self._settings.max_network_retries)
        return self._client

    # -- starting and managing payment ---------------------------------------------
    async def create_customer(self, user_id: int) -> str:
        customer = await self.client().v1.customers.create_async(
            {"metadata": {"user_id": str(user_id)}},
            {"idempotency_key": f"customer-{user_id}"})
        return str(customer.id)

    async def checkout(self, user_id: int, plan: Plan, *, customer_id: str | None,
                       return_url: str, title: str | None = None,
                       description: str | None = None) -> Checkout:
        if not plan.stripe_price:
            raise StripeNotConfigured(f"billing.tiers.{plan.tier}.stripe_price is not set")
        meta = {"user_id": str(user_id), "tier": plan.tier}
        params: dict[str, Any] = {
            "mode": "subscription", "client_reference_id": str(user_id),
            # A metered (pay-as-you-go) price takes no quantity: its meter events count.
            "line_items": [{"price": plan.stripe_price} if plan.metered else
                           {"price": plan.stripe_price, "quantity": 1}],
            "success_url": f"{return_url}?paid=1", "cancel_url": return_url,
            "metadata": meta, "subscription_data": {"metadata": meta},
        }
        if customer_id:
            params["customer"] = customer_id
        session = await self.client().v1.checkout.sessions.create_async(params)  # type: ignore[arg-type]
        return Checkout(self.name, url=str(session.url))

    async def portal(self, customer_id: str, return_url: str) -> str:
        session = await self.client().v1.billing_portal.sessions.create_async(
            {"customer": customer_id, "return_url": return_url})
        return str(session.url)

    async def cancel_subscription(self, subscription_id: str) -> str:
        """End a subscription now (DELETE /v1/subscriptions/{id}), not at period end:
        for an account being deleted. Proration and the final invoice are left to
        Stripe's defaults. Answers Stripe's status for it (`canceled`)."""
        sub = await self.client().v1.subscriptions.cancel_async(subscription_id)
        return str(sub.status)

    async def change_plan(self, customer_id: str, subscription_id: str, plan: Plan,
                          return_url: str) -> Checkout | None:
        """Move a live card subscription to `plan`: a Customer Portal page where the
        creator confirms the new price, prorated by Stripe (a second Checkout would start
        a second subscription that bills beside the first). None when Stripe refuses
        the page (a portal configured without plan changes, the subscription gone):
        the caller falls back to Checkout, and the plan it replaces stops renewing
        (core.billing.renewals)."""
        import stripe

        if not plan.stripe_price:
            raise StripeNotConfigured(f"billing.tiers.{plan.tier}.stripe_price is not set")
        try:
            sub = (await self.client().v1.subscriptions.retrieve_async(subscription_id)
                   ).to_dict()
            [item] = ((sub.get("items") or {}).get("data") or [{}])[:1]
            change: dict[str, Any] = {"id": item.get("id"), "price": plan.stripe_price}
            if not plan.metered:
                change["quantity"] = 1
            session = await self.client().v1.billing_portal.sessions.create_async({  # type: ignore[arg-type]
                "customer": customer_id, "return_url": return_url,
                "flow_data": {
                    "type": "subscription_update_confirm",
                    "subscription_update_confirm": {"subscription": subscription_id,
                                                    "items": [change]},
                    "after_completion": {"type": "redirect",
                                         "redirect": {"return_url": f"{return_url}?paid=1"}},
                }})
        except stripe.InvalidRequestError as exc:
            log.warning("stripe refused a plan change page for %s: %s", subscription_id, exc)
            return None
        return Checkout(self.name, url=str(session.url))

    async def stop_renewal(self, subscription_id: str) -> bool:
        """Let a card subscription run out at the end of the period paid for
        (`cancel_at_period_end`): another plan replaced it. True once Stripe agreed, or
        when it no longer knows the subscription (over already); False when it failed."""
        import stripe

        try:
            await self.client().v1.subscriptions.update_async(
                subscription_id, {"cancel_at_period_end": True})
        except stripe.InvalidRequestError as exc:
            if exc.http_status == 404:
                return True
            log.warning("stripe subscription %s not stopped: %s", subscription_id, exc)
            return False
        except (stripe.StripeError, StripeNotConfigured) as exc:
            log.warning("stripe subscription %s not stopped: %s", subscription_id,
                        type(exc).__name__)
            return False
        return True

    # -- hearing back ----------------------------------------------------------------
    def verify(self, payload: bytes, header: str | None) -> dict[str, Any]:
        """The event in a webhook body, if Stripe signed it (within the tolerance)."""
        import stripe

        secret = self._settings.webhook_secret
        if secret is None:
            raise StripeNotConfigured("stripe.webhook_secret is not set")
        try:
            event = stripe.Webhook.construct_event(
                payload, header, secret.get_secret_value(), tolerance=self._tolerance)
        except (stripe.SignatureVerificationError, ValueError) as exc:
            raise SignatureRejected(str(exc)) from None
        data: dict[str, Any] = event.to_dict()
        return data

    async def current(self, subscription_id: str) -> Grant:
        """The subscription as Stripe has it now (the truth a tier change follows)."""
        sub = (await self.client().v1.subscriptions.retrieve_async(subscription_id)).to_dict()
        items = (sub.get("items") or {}).get("data") or [{}]
        price = ((items[0].get("price") or {}).get("id")) or ""
        end = items[0].get("current_period_end") or sub.get("current_period_end")
        meta = sub.get("metadata") or {}
        tier = self._tier_for(price, meta.get("tier"))
        user = meta.get("user_id")
        return Grant(
            source_ref=str(sub["id"]), tier=tier, status=str(sub.get("status")),
            ends_at=datetime.fromtimestamp(int(end), UTC) if end else None,
            user_id=int(user) if user and str(user).isdigit() else None,
            customer_id=sub.get("customer"))

    async def paid_invoice(self, charge: dict[str, Any]) -> dict[str, Any] | None:
        """The invoice a charge paid, if any: since API 2025-03 a charge no longer names
        its invoice, so it is found by the charge's PaymentIntent (Invoice Payments)."""
        pi = charge.get("payment_intent")
        if not pi:
            return None
        page = await self.client().v1.invoice_payments.list_async(
            {"payment": {"type": "payment_intent", "payment_intent": str(pi)}, "limit": 1})
        found = [p.to_dict() for p in page.data]
        invoice = found[0].get("invoice") if found else None
        if not invoice:
            return None
        if isinstance(invoice, dict):
            return invoice
        return (await self.client().v1.invoices.retrieve_async(str(invoice))).to_dict()

    def _tier_for(self, price: str, fallback: str | None) -> str:
        for plan in (*self._plans.paid(), self._plans.payg):
            if plan.stripe_price and plan.stripe_price == price:
                return plan.tier
        return self._plans.get(fallback).tier

    async def events_since(self, since: datetime) -> AsyncIterator[dict[str, Any]]:
        """Every event Stripe still lists from `since` on, oldest first (for replay)."""
        page = await self.client().v1.events.list_async(
            {"created": {"gte": int(since.timestamp())}, "limit": 100})
        found = [e.to_dict() async for e in page.auto_paging_iter()]
        for event in sorted(found, key=lambda e: e["created"]):
            yield event
            await asyncio.sleep(0)
