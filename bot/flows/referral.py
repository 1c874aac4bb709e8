"""/referral: the creator's invite links, who joined through them, and what they earned.
Also `welcome_referred`, which /start calls when it carries a `ref_<code>` payload
(Telegram's deep link `t.me/<bot>?start=ref_<code>`). The rules live in core.referrals."""

from __future__ import annotations

from bot.conversation.context import FlowContext
from bot.conversation.events import Command
from bot.conversation.flow import Flow
from core.billing.payg.money import show, to_minor
from core.referrals.models import CREDIT
from core.referrals.service import ATTRIBUTED, Referrals, Summary, start_code
from core.texts import billing as billing_texts
from core.texts import referral as t


class ReferralFlow(Flow):
    name = "referral"
    commands = ("referral",)
    help_line = t.HELP_LINE

    async def on_command(self, ctx: FlowContext, cmd: Command) -> None:
        ctx.finish()
        summary = await Referrals.from_core(ctx.core).summary(ctx.session, ctx.user)
        await ctx.reply(render(ctx, summary))


def render(ctx: FlowContext, s: Summary) -> str:
    cfg = ctx.core.settings.billing.referrals
    links = [t.TELEGRAM_LINK.format(url=s.telegram_link)] if s.telegram_link else []
    links.append(t.WEB_LINK.format(url=s.web_link))
    if cfg.reward == CREDIT:
        amount = to_minor(cfg.credit, ctx.core.settings.billing.currency)
        reward = t.REWARD_CREDIT.format(amount=show(amount, s.currency))
    else:
        reward = t.REWARD_FREE_MONTH.format(tier=billing_texts.tier_name(cfg.free_month_tier))
    lines = [t.HEADER, t.LINKS.format(links="\n".join(links)), reward]
    if not s.signed_up:
        lines.append(t.NO_ONE_YET)
    else:
        lines.append(t.COUNTS.format(signed_up=s.signed_up, paying=s.paying))
        if s.credit_earned_minor:
            lines.append(t.CREDIT_EARNED.format(earned=show(s.credit_earned_minor, s.currency),
                                                left=show(s.credit_left_minor, s.currency)))
        if s.free_months:
            lines.append(t.FREE_MONTHS.format(months=s.free_months))
    return "\n\n".join(lines)


async def welcome_referred(ctx: FlowContext, cmd: Command) -> None:
    """Attribute this sign-up to the link's owner, if `/start` carries a code (once: only
    the /start that created the account counts) and say so when it did."""
    code = start_code(cmd.args)
    if code is None:
        return
    done = await Referrals.from_core(ctx.core).attribute(
        ctx.session, ctx.user, code, via=ctx.event.sender.transport,
        new_user=ctx.user_created)
    if done.result == ATTRIBUTED:
        await ctx.reply(t.WELCOMED)
