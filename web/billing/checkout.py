"""Payment routes: Stripe's webhook, and the pages a chat's "Pay by card" opens.

The webhook reads the raw body (the signature is over those exact bytes), refuses
anything `stripe.Webhook.construct_event` does not accept with 400, and answers 200
once the event is applied or recognised as already processed. Checkout and the
Customer Portal are reached through short-lived signed links from the chat.
"""

from __future__ import annotations

import logging

from aiohttp import web

from core.billing.links import open_checkout, open_portal
from core.billing.payments import AlreadyOnPlan, NotUpgradable, Payments
from core.billing.providers.stripe import SignatureRejected, StripeNotConfigured
from core.signing import Signer
from core.texts import billing as billing_texts
from core.texts import site as texts
from web.keys import CORE_KEY

log = logging.getLogger(__name__)
PAYMENTS_KEY = web.AppKey("billing_payments", Payments)
BILLING_SIGNER_KEY = web.AppKey("billing_signer", Signer)


async def stripe_webhook(request: web.Request) -> web.Response:
    payments = request.app[PAYMENTS_KEY]
    body = await request.read()
    try:
        event = payments.stripe.verify(body, request.headers.get("Stripe-Signature"))
    except SignatureRejected as exc:
        log.warning("stripe webhook refused: %s", exc)
        return web.json_response({"error": "bad_signature"}, status=400)
    except StripeNotConfigured:
        return web.json_response({"error": "not_configured"}, status=503)
    outcome = await payments.handle_stripe_event(event)
    return web.json_response({"received": True, "result": outcome.result})


async def checkout(request: web.Request) -> web.StreamResponse:
    app = request.app
    found = open_checkout(app[BILLING_SIGNER_KEY], request.match_info["token"])
    if found is None:
        return web.Response(text=texts.PAYMENT_LINK_EXPIRED, status=410)
    user_id, tier = found
    core = app[CORE_KEY]
    done = f"{core.settings.public_base_url}/billing/done"
    try:  # the web companion takes cards (Stripe); Stars are paid inside Telegram
        started = await app[PAYMENTS_KEY].start("stripe", user_id, tier, return_url=done)
    except AlreadyOnPlan as exc:
        return web.Response(text=texts.ALREADY_ON_PLAN.format(
            tier=billing_texts.tier_name(exc.current)), status=409)
    except NotUpgradable:
        return web.Response(text=texts.PAYMENT_LINK_EXPIRED, status=410)
    except StripeNotConfigured:
        return web.Response(text=texts.CARD_UNAVAILABLE, status=503)
    raise web.HTTPSeeOther(str(started.url))


async def portal(request: web.Request) -> web.StreamResponse:
    app = request.app
    user_id = open_portal(app[BILLING_SIGNER_KEY], request.match_info["token"])
    if user_id is None:
        return web.Response(text=texts.PAYMENT_LINK_EXPIRED, status=410)
    back = f"{app[CORE_KEY].settings.public_base_url}/billing/done"
    url = await app[PAYMENTS_KEY].stripe_portal(user_id, back)
    if url is None:
        return web.Response(text=texts.NO_CARD_SUBSCRIPTION, status=404)
    raise web.HTTPSeeOther(url)


async def done(_: web.Request) -> web.Response:
    return web.Response(text=texts.PAYMENT_THANKS)


def setup(app: web.Application) -> None:
    core = app[CORE_KEY]
    app[PAYMENTS_KEY] = Payments.of(core)
    app[BILLING_SIGNER_KEY] = Signer(core.secret_key, core.clock)
    app.router.add_post("/billing/stripe/webhook", stripe_webhook)
    app.router.add_get("/billing/checkout/{token}", checkout)
    app.router.add_get("/billing/portal/{token}", portal)
    app.router.add_get("/billing/done", done)
