"""/usage on the web: today's use against the plan's limits, this month's units and,
on pay-as-you-go, the bill so far (the same `core.billing.usage.summarize` as the
chat's /usage). Server-rendered, no script: it works under the strict CSP as is."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from core.billing.payg.money import show as money
from core.billing.usage import summarize
from core.texts.billing import METER_NAMES
from web.current import signed_in_reading
from web.keys import CORE_KEY
from web.render import render


def _meter(name: str) -> str:
    """A meter as the chat's /usage names it ("Protected photos"): one name everywhere."""
    return METER_NAMES[name][1].capitalize() if name in METER_NAMES else name


async def show(request: web.Request) -> web.Response:
    core = request.app[CORE_KEY]
    async with signed_in_reading(request) as (user_id, session):
        user = await core.users.get(session, user_id)
        if user is None:
            raise web.HTTPSeeOther("/signin")
        found = await summarize(session, core.billing, core.clock, user)
    today: list[dict[str, Any]] = [
        {"name": _meter(u.meter.value), "used": u.used, "limit": u.limit}
        for u in found.today]
    month = [{"name": _meter(m), "count": n} for m, n in found.month_units.items()]
    bill: dict[str, Any] | None = None
    if found.bill is not None:
        b = found.bill
        bill = {"total": money(b.total_minor, b.currency),
                "credit": money(b.credit_minor, b.currency) if b.credit_minor else None,
                "lines": [{"name": _meter(x.meter), "count": x.quantity,
                           "rate": f"{x.rate.normalize():f}",
                           "amount": f"{x.amount.normalize():f}"}
                          for x in b.lines]}
    return await render(request, "usage.html", page_title="Usage",
                        tier=found.plan.tier.replace("_", " ").title(), today=today,
                        month=found.month, month_units=month, bill=bill,
                        metered=found.plan.metered)


def setup(app: web.Application) -> None:
    app.router.add_get("/usage", show)
