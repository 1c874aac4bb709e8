"""Checks of what lies across a network: Stripe, the AI providers, the public URL's
TLS, and the metrics endpoint (core.ops.checks runs them). Each SDK loads here, only
when its check runs."""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import time
from urllib.parse import urlsplit

from core.ops.checks import Context, Result, fail, ok, skip, warn
from core.ops.providers import probe_provider, providers_in_chain

STRIPE_WEBHOOK = "/billing/stripe/webhook"


async def stripe(ctx: Context) -> Result:
    conf = ctx.settings.stripe
    key, hook = conf.secret_key, conf.webhook_secret
    if key is None and hook is None:
        return skip("not configured (card payments are off)")
    endpoint = ctx.settings.public_base_url + STRIPE_WEBHOOK
    if key is None:
        return fail("stripe.webhook_secret is set but stripe.secret_key is not",
                    "copy the secret key (sk_live_…) from Stripe's dashboard, Developers → "
                    "API keys")
    if hook is None:
        return fail("stripe.webhook_secret is not set: paid plans would never arrive",
                    f"add the webhook endpoint {endpoint} in Stripe's dashboard and copy "
                    "its signing secret (whsec_…)")
    secret = key.get_secret_value()
    if not secret.startswith(("sk_", "rk_")) or not hook.get_secret_value().startswith("whsec_"):
        return fail("stripe.secret_key must start with sk_ (or rk_) and "
                    "stripe.webhook_secret with whsec_", "copy both again from Stripe")
    import stripe as sdk

    http = sdk.HTTPXClient(timeout=ctx.timeout)
    client = sdk.StripeClient(secret, base_addresses={"api": conf.api_base.rstrip("/")},
                              http_client=http, max_network_retries=0)
    try:
        await client.v1.events.list_async({"limit": 1})
    except sdk.AuthenticationError:
        return fail("Stripe refused stripe.secret_key", "copy the secret key again from "
                    "Stripe's dashboard (and check live vs test mode)")
    except sdk.StripeError as exc:
        return fail(f"no good answer from {conf.api_base}: {exc.user_message or exc}"[:300],
                    "check stripe.api_base and the network")
    finally:
        await http.close_async()
    if "_test_" in secret:
        return warn("keys set and the API answers, but in test mode: no real charges",
                    "switch to the live keys (sk_live_…, the live endpoint's whsec_…)")
    return ok("keys set (live mode) and the API answers")


async def ai_providers(ctx: Context) -> Result:
    kinds = providers_in_chain(ctx.settings.ai)
    if not kinds:
        return ok("offline captions only (nothing to reach)")
    results = await asyncio.gather(*(probe_provider(ctx.settings.ai, k, ctx.timeout)
                                     for k in kinds))
    worst = next((r for r in results if r.status == "fail"), None) or \
        next((r for r in results if r.status == "warn"), None)
    detail = "; ".join(r.detail for r in results)
    if worst is None:
        return ok(detail)
    return Result(worst.status, detail, worst.hint)


async def public_url(ctx: Context) -> Result:
    url = ctx.settings.web.public_url
    if not url:
        return fail("web.public_url is not set", "set it to the https:// address people, "
                    "Telegram and Stripe reach the web companion at")
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return fail(f"{url} is not an https:// URL", "serve the web companion behind a "
                    "TLS proxy (Caddy, nginx) and set web.public_url = https://…")
    host, port = parts.hostname, parts.port or 443
    context = ssl.create_default_context()
    if ctx.settings.ops.ca_file is not None:
        context.load_verify_locations(cafile=str(ctx.settings.ops.ca_file))
    try:
        _, writer = await asyncio.open_connection(host, port, ssl=context,
                                                  server_hostname=host)
    except ssl.SSLCertVerificationError as exc:
        return fail(f"{host}:{port}'s certificate is not trusted: {exc.verify_message}",
                    "install a certificate from a public CA (e.g. Let's Encrypt) for "
                    f"{host}")
    except (OSError, ssl.SSLError) as exc:
        return fail(f"no TLS connection to {host}:{port}: {exc}",
                    "check that the proxy is up and the DNS name points at it")
    cert = writer.get_extra_info("peercert") or {}
    writer.close()
    with contextlib.suppress(OSError, ssl.SSLError):  # the handshake is what we came for
        await writer.wait_closed()
    days = (ssl.cert_time_to_seconds(cert["notAfter"]) - time.time()) / 86400 \
        if "notAfter" in cert else None
    if days is not None and days < ctx.settings.ops.cert_warn_days:
        return warn(f"{url} has a trusted certificate, but it expires in {_days(days)}",
                    "renew it (is automatic renewal running?)")
    left = f", {_days(days)} left" if days is not None else ""
    return ok(f"{url} answers with a trusted certificate{left}")


async def monitoring(ctx: Context) -> Result:
    token = ctx.settings.monitoring.metrics_token
    if token is None:
        return fail("monitoring.metrics_token is not set, so /metrics is off",
                    "set a long random token and give Prometheus the same one")
    import aiohttp

    settings = ctx.settings
    base = settings.webhooks.internal_url or f"http://{settings.web.host}:{settings.web.port}"
    url = base.rstrip("/") + "/metrics"
    headers = {"Authorization": f"Bearer {token.get_secret_value()}"}
    timeout = aiohttp.ClientTimeout(total=ctx.timeout)
    try:
        async with aiohttp.ClientSession(timeout=timeout) as http, \
                http.get(url, headers=headers) as response:
            status, body = response.status, await response.text()
    except aiohttp.ClientConnectionError:
        return warn(f"token set, but nothing answers at {url} (is serve running?)",
                    "run this check again while the service runs")
    if status == 200:
        series = sum(1 for line in body.splitlines() if line and not line.startswith("#"))
        return ok(f"{url} serves {series} samples with the token")
    if status == 401:
        return fail(f"{url} refused the token",
                    "the running service has another monitoring.metrics_token: restart it")
    return fail(f"{url} answered {status}",
                "restart the service after setting monitoring.metrics_token")


def _days(days: float) -> str:
    return f"{days:.0f} day{'s' * (round(days) != 1)}"
