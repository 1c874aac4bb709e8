"""/upgrade and /usage: what each plan gives, how to pay for one, and today's usage.

The limits and prices come from core.billing (one table for every front door). Paying
by card opens the web companion through a signed, short-lived link, which hands the
creator to Stripe Checkout; the new limits apply once Stripe's webhook arrives.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.conversation.context import FlowContext
from bot.conversation.events import Command
from bot.conversation.flow import Flow
from bot.conversation.replies import Button, Keyboard
from bot.texts import billing as t
from core.billing.links import checkout_link, portal_link
from core.billing.models import BillingCustomer
from core.billing.tiers import Meter, Plan
from core.signing import Signer


class BillingFlow(Flow):
    name = "billing"
    commands = ("upgrade", "usage")
    help_line = t.HELP_LINE

    async def on_command(self, ctx: FlowContext, cmd: Command) -> None:
        ctx.finish()
        if cmd.name == "usage":
            await ctx.reply(await usage_text(ctx))
        else:
            await self.prompt(ctx)

    async def prompt(self, ctx: FlowContext) -> None:
        ctx.finish()
        billing = ctx.core.billing
        current = await billing.plan_of(ctx.session, ctx.user)
        lines = [t.UPGRADE_HEADER.format(tier=t.tier_name(current.tier))]
        lines += [plan_line(p, ctx.core.settings.billing.currency, p.tier == current.tier)
                  for p in billing.plans.all]
        better = [p for p in billing.plans.paid() if p.rank > current.rank]
        if not better:
            lines.append(t.UPGRADE_TOP)
        rows = await pay_buttons(ctx, better)
        if better and not rows:
            lines.append(t.CARD_UNAVAILABLE)
        await ctx.reply("\n".join(lines), rows)


def plan_line(plan: Plan, currency: str, mine: bool) -> str:
    price = "" if not plan.price_month else t.UPGRADE_PRICE.format(
        price=f"{plan.price_month:g} {currency.upper()}", stars=plan.stars_month)
    horizon = t.UNLIMITED if plan.horizon_days is None else f"{plan.horizon_days} days"
    line = t.UPGRADE_LINE.format(
        tier=t.tier_name(plan.tier), price=price, captions=t.amount(plan.captions_per_day),
        images=t.amount(plan.images_per_day), posts=t.amount(plan.posts_per_day),
        horizon=horizon)
    return line + (t.UPGRADE_CURRENT if mine else "")


async def pay_buttons(ctx: FlowContext, plans: list[Plan]) -> Keyboard:
    """A "by card" link per better plan with a Stripe price, and the portal for payers."""
    core = ctx.core
    if core.settings.stripe.secret_key is None:
        return []
    signer, base = Signer(core.secret_key, core.clock), core.settings.public_base_url
    rows = [[Button(t.PAY_CARD.format(tier=t.tier_name(p.tier)),
                    url=checkout_link(signer, base, ctx.user.id, p.tier))]
            for p in plans if p.stripe_price][:4]
    customer = await ctx.session.scalar(select(BillingCustomer.customer_id).where(
        BillingCustomer.user_id == ctx.user.id, BillingCustomer.provider == "stripe"))
    if customer:
        rows.append([Button(t.MANAGE, url=portal_link(signer, base, ctx.user.id))])
    return rows


async def usage_text(ctx: FlowContext) -> str:
    billing = ctx.core.billing
    plan = await billing.plan_of(ctx.session, ctx.user)
    lines = [t.USAGE_HEADER.format(tier=t.tier_name(plan.tier))]
    for meter in Meter:
        usage = await billing.usage(ctx.session, ctx.user, meter)
        what = t.METER_NAMES[meter.value][1].capitalize()
        lines.append(t.USAGE_LINE_UNLIMITED.format(what=what, used=usage.used)
                     if usage.limit is None else
                     t.USAGE_LINE.format(what=what, used=usage.used, limit=usage.limit))
    return "\n".join(lines)
