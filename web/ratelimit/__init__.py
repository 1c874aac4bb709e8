"""Tiered rate limiting for the web companion (issue 11.5, issue 14.1's web budget).

It runs after authentication: a request with a live session draws on its user's
budget (the tier's `requests_per_minute` in `[billing.tiers]`), wherever it comes
from, and only an anonymous request is counted by client IP
(`ratelimit.anonymous_per_minute`). Over budget, the answer is 429 with `Retry-After`
(whole seconds) and a friendly page, or JSON for JSON routes.

Not counted (routes in `EXEMPT`, matched by route, not by a path prefix a client can
fake): `/healthz` (monitors poll it), static files, the manifest and the service
worker (fingerprinted or rendered once, served from memory), and calls that carry
their own proof: Stripe's and Telegram's webhooks (signature / secret token checked
first thing; keyed by IP they would share one budget across all of Stripe) and our
signed `/internal/notify`. A feature may add its own with `exempt(app, canonical)`.
"""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Handler

from core.billing.tiers import Plan
from core.bootstrap import Core
from web.current import cookie_name, current_user_id
from web.keys import CORE_KEY
from web.middleware import wants_json
from web.ratelimit.budget import RequestBudget, Verdict
from web.ratelimit.client import bucket, client_address, networks
from web.ratelimit.tiers import TierCache

# Route canonicals never counted; "/telegram/webhook" is bot.telegram.webhook's
# WEBHOOK_PATH (web never imports bot; a test keeps the two equal).
EXEMPT: frozenset[str] = frozenset({
    "/healthz", "/static/{tail}", "/manifest.webmanifest", "/sw.js",
    "/billing/stripe/webhook", "/telegram/webhook", "/internal/notify",
})


class RateLimiter:
    """This app's budgets, tier cache and exemptions."""

    def __init__(self, core: Core) -> None:
        settings = core.settings
        self.budget = RequestBudget(settings)
        self.tiers = TierCache(core.db, core.clock, settings.ratelimit.tier_cache_seconds)
        self.plans = core.billing.plans
        self.anonymous_per_minute = settings.ratelimit.anonymous_per_minute
        self.trusted = networks(settings.ratelimit.trusted_proxies)
        self.exempt: set[str] = set(EXEMPT)

    def skips(self, request: web.Request) -> bool:
        resource = request.match_info.route.resource
        return resource is not None and resource.canonical in self.exempt

    async def check(self, request: web.Request) -> tuple[Verdict, Plan | None]:
        """This request's verdict and, for a signed-in user, the cheapest higher plan
        with a bigger budget than theirs (None: anonymous, or nothing bigger)."""
        user_id = None
        if cookie_name(request) in request.cookies:  # no cookie: no session lookup
            user_id = await current_user_id(request)
        if user_id is None:
            address = bucket(client_address(request, self.trusted))
            return await self.budget.hit(f"ip:{address}", self.anonymous_per_minute), None
        plan = self.plans.get(await self.tiers.tier_of(user_id))
        verdict = await self.budget.hit(f"user:{user_id}", plan.requests_per_minute)
        bigger = (p for p in self.plans.all[plan.rank + 1:]
                  if p.requests_per_minute > plan.requests_per_minute)
        return verdict, next(bigger, None)


RATE_LIMITER_KEY = web.AppKey("rate_limiter", RateLimiter)


async def too_many(request: web.Request, verdict: Verdict, upgrade: Plan | None
                   ) -> web.Response:
    from core.texts import site as texts
    from web.render import message  # render pulls in the page machinery

    headers = {"Retry-After": str(verdict.retry_after), "Cache-Control": "no-store"}
    heading, text = texts.RATE_LIMITED
    text = text.format(seconds=verdict.retry_after)
    if upgrade is not None:
        text += texts.RATE_LIMITED_UPGRADE.format(plan=upgrade.tier.title(),
                                                  n=upgrade.requests_per_minute)
    if wants_json(request):
        return web.json_response({"error": "rate_limited", "retry_after": verdict.retry_after,
                                  "message": text}, status=429, headers=headers)
    return await message(request, heading, text, status=429, headers=headers)


@web.middleware
async def rate_limit(request: web.Request, handler: Handler) -> web.StreamResponse:
    limiter = request.app.get(RATE_LIMITER_KEY)
    if limiter is None or limiter.skips(request):
        return await handler(request)
    verdict, upgrade = await limiter.check(request)
    if not verdict.allowed:
        return await too_many(request, verdict, upgrade)
    return await handler(request)


def exempt(app: web.Application, *canonicals: str) -> None:
    """Leave these routes (by canonical path, e.g. "/metrics") out of the budgets."""
    limiter = app.get(RATE_LIMITER_KEY)
    if limiter is not None:
        limiter.exempt.update(canonicals)


def install(app: web.Application) -> None:
    """Budgets for `app` when `ratelimit.enabled` (the default)."""
    core = app[CORE_KEY]
    if not core.settings.ratelimit.enabled:
        return
    limiter = RateLimiter(core)
    app[RATE_LIMITER_KEY] = limiter
    app.middlewares.append(rate_limit)

    async def close(_: web.Application) -> None:
        await limiter.budget.aclose()

    app.on_cleanup.append(close)


__all__ = ["EXEMPT", "RATE_LIMITER_KEY", "RateLimiter", "exempt", "install", "rate_limit"]
