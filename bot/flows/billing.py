"""/upgrade and /usage: what each plan gives, how to pay for one, and today's usage.

The limits and prices come from core.billing (one table for every front door). Paying
by card opens the web companion through a signed, short-lived link, which hands the
creator to Stripe Checkout; the new limits apply once Stripe's webhook arrives.

Where the chat itself can take money (the channel lists "stars" in `payment_methods`:
Telegram), each better plan also gets a Stars button. Its invoice is made when pressed;
the payment's check and its confirmation come back as `PaymentCheck` / `PaymentDone`
events, which the dispatcher routes to `on_payment` whatever flow the creator is in.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select

from bot.conversation.context import ButtonExpired, FlowContext
from bot.conversation.events import Command, PaymentCheck, PaymentDone, Press
from bot.conversation.flow import Flow
from bot.conversation.replies import Button, Keyboard
from core.billing.links import checkout_link, portal_link
from core.billing.models import BillingCustomer
from core.billing.payg.money import show
from core.billing.payments import Payments
from core.billing.providers.stars import GONE, StarsPayment
from core.billing.tiers import Plan
from core.billing.usage import summarize
from core.signing import Signer
from core.texts import billing as t

STARS = "stars"


@runtime_checkable
class PaymentChannel(Protocol):
    """A channel whose platform takes payments in the chat (Telegram Stars)."""

    payment_methods: tuple[str, ...]

    async def answer_payment_check(self, query_id: str, ok: bool, error: str | None
                                   ) -> None: ...


def in_chat_methods(ctx: FlowContext) -> tuple[str, ...]:
    """The providers this chat takes payment through itself (Telegram: Stars) that this
    server has set up; card payments always go through the web companion."""
    channel = ctx.channel
    if not isinstance(channel, PaymentChannel):
        return ()
    return Payments.of(ctx.core).offered(channel.payment_methods)


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

    async def on_button(self, ctx: FlowContext, press: Press) -> None:
        if press.action != STARS or not press.args:
            raise ButtonExpired
        if STARS not in in_chat_methods(ctx):
            await ctx.reply(t.STARS_ONLY_TELEGRAM)
            return
        plan = ctx.core.billing.plans.get(press.args[0])
        current = await ctx.core.billing.plan_of(ctx.session, ctx.user)
        if current.covers(plan) or not plan.stars_month:
            await ctx.reply(t.STARS_NOT_NEEDED.format(tier=t.tier_name(current.tier)))
            return
        await ctx.checkpoint()  # no transaction across the Bot API call
        name = t.tier_name(plan.tier)
        invoice = await Payments.of(ctx.core).start(
            STARS, ctx.user.id, plan.tier, title=t.STARS_TITLE.format(tier=name),
            description=t.STARS_DESCRIPTION.format(tier=name))
        await ctx.reply(t.STARS_INVOICE.format(tier=name, stars=plan.stars_month),
                        [[Button(t.STARS_PAY.format(stars=plan.stars_month), url=invoice.url)]])

    async def on_payment(self, ctx: FlowContext, event: PaymentCheck | PaymentDone) -> None:
        """Answer Telegram's pre-checkout (pure checks, and the payer's plan now), or
        grant what was paid for; a payment that must not be granted is given back."""
        stars = Payments.of(ctx.core).stars
        assert stars is not None  # Payments.of always has the installation's secret key
        if isinstance(event, PaymentCheck):
            refused = GONE if ctx.user.deleted_at is not None else stars.check(
                ctx.user.id, event.payload, event.currency, event.amount,
                await ctx.core.billing.plan_of(ctx.session, ctx.user))
            channel = ctx.channel
            if isinstance(channel, PaymentChannel):
                await ctx.checkpoint()
                await channel.answer_payment_check(
                    event.query_id, refused is None,
                    None if refused is None else t.STARS_REFUSED[refused])
            return
        payment = StarsPayment(event.charge_id, event.payload, event.currency, event.amount,
                               event.sender.external_id, event.expires_at, event.recurring)
        received = await stars.receive(ctx.session, ctx.user, payment)
        if received.refund is not None:
            await ctx.checkpoint()  # no transaction across the Bot API calls
            if await stars.give_back(ctx.session, ctx.user, payment, received.refund):
                current = await ctx.core.billing.plan_of(ctx.session, ctx.user)
                await ctx.reply(t.STARS_GIVEN_BACK[received.refund].format(
                    stars=payment.amount, tier=t.tier_name(current.tier)))
            return
        granted = received.granted
        if granted is not None:  # a plan this one replaced stops renewing
            await ctx.checkpoint()  # no transaction across the Bot API calls
            await Payments.of(ctx.core).settle_renewals(ctx.user.id)
        if granted is not None and granted.ends_at is not None:
            until = granted.ends_at.astimezone(_zone(ctx.user.timezone))
            await ctx.reply(t.PAID.format(tier=t.tier_name(granted.tier),
                                          until=until.strftime("%d %B %Y")))


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
    """A row per better plan: by card (a link, where Stripe is set up) and with Stars
    (where the chat takes them), then the Customer Portal for card payers."""
    core = ctx.core
    card = core.settings.stripe.secret_key is not None
    stars = STARS in in_chat_methods(ctx)
    signer, base = Signer(core.secret_key, core.clock), core.settings.public_base_url
    rows: Keyboard = []
    for p in plans[:4]:
        row = []
        if card and p.stripe_price:
            row.append(Button(t.PAY_CARD.format(tier=t.tier_name(p.tier)),
                              url=checkout_link(signer, base, ctx.user.id, p.tier)))
        if stars and p.stars_month:
            row.append(ctx.button(t.PAY_STARS.format(tier=t.tier_name(p.tier)), STARS, p.tier))
        if row:
            rows.append(row)
    customer = await ctx.session.scalar(select(BillingCustomer.customer_id).where(
        BillingCustomer.user_id == ctx.user.id, BillingCustomer.provider == "stripe"))
    if card and customer:
        rows.append([Button(t.MANAGE, url=portal_link(signer, base, ctx.user.id))])
    return rows


async def usage_text(ctx: FlowContext) -> str:
    """Today against each limit, this month's units and, on pay-as-you-go, the bill."""
    found = await summarize(ctx.session, ctx.core.billing, ctx.core.clock, ctx.user)
    lines = [t.USAGE_HEADER.format(tier=t.tier_name(found.plan.tier))]
    for usage in found.today:
        what = t.METER_NAMES[usage.meter.value][1].capitalize()
        lines.append(t.USAGE_LINE_UNLIMITED.format(what=what, used=usage.used)
                     if usage.limit is None else
                     t.USAGE_LINE.format(what=what, used=usage.used, limit=usage.limit))
    lines += ["", t.USAGE_MONTH.format(month=found.month)]
    lines += [t.USAGE_MONTH_LINE.format(what=t.METER_NAMES[m][1].capitalize(), count=n)
              for m, n in found.month_units.items()]
    bill = found.bill
    if bill is not None:
        lines += ["", t.USAGE_BILL.format(total=show(bill.total_minor, bill.currency))]
        lines += [t.USAGE_BILL_LINE.format(
            count=line.quantity, what=t.METER_NAMES.get(line.meter, (line.meter,) * 2)[1],
            rate=f"{line.rate.normalize():f}", amount=f"{line.amount.normalize():f}")
            for line in bill.lines if line.quantity]
        if bill.credit_minor:
            lines.append(t.USAGE_CREDIT.format(credit=show(bill.credit_minor, bill.currency)))
    return "\n".join(lines)


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")
