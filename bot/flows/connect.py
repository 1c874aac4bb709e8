"""/connect: link Reddit accounts through the web companion, pick the default account,
and choose whether photos are shielded before posting."""

from __future__ import annotations

from bot.conversation.context import FlowContext, page_of
from bot.conversation.events import Command, Press
from bot.conversation.flow import Flow
from bot.conversation.replies import Button, fit_label
from bot.flows import next_steps as nxt
from bot.flows.upgrade_prompt import upgrade_prompt
from core.billing.errors import LimitReached
from core.reddit.models import AccountStatus
from core.texts import billing as billing_texts
from core.texts import reddit as t

DEFAULT_PROTECT_LEVEL = "standard"


class ConnectFlow(Flow):
    name = "connect"
    commands = ("connect", "accounts")
    help_line = t.CONNECT_HELP
    menu_label = t.CONNECT_BUTTON

    async def on_command(self, ctx: FlowContext, cmd: Command) -> None:
        ctx.finish()
        await self.prompt(ctx)

    async def prompt(self, ctx: FlowContext) -> None:
        ctx.finish()
        reddit = ctx.core.reddit
        if not reddit.clients.configured:
            await ctx.reply(t.NOT_CONFIGURED)
            return
        link = reddit.oauth.connect_link(ctx.user.id)
        try:  # the web callback checks again (core): this only says so up front
            await reddit.accounts.check_room(ctx.session, ctx.user.id)
        except LimitReached as exc:
            await ctx.reply(await upgrade_prompt(ctx, exc), [
                [Button(billing_texts.RECONNECT_BUTTON, url=link)],
                [ctx.button(t.CONNECT_DONE_BUTTON, "list")]])
            return
        rows = [
            [Button(t.CONNECT_BUTTON, url=link)],
            [ctx.button(t.CONNECT_DONE_BUTTON, "list")],
        ]
        await ctx.reply(t.CONNECT_INTRO, rows)

    async def on_button(self, ctx: FlowContext, press: Press) -> None:
        accounts = ctx.core.reddit.accounts
        if press.action == "start":
            await self.prompt(ctx)
        elif press.action == "list":
            await self._list(ctx, page_of(press.args, 0))
        elif press.action == "default" and press.args:
            account = await accounts.get(ctx.session, ctx.user.id, int(press.args[0]))
            if account is None:
                await self._list(ctx)
                return
            await accounts.set_default(ctx.session, account)
            await ctx.reply(t.DEFAULT_SET.format(name=account.username))
        elif press.action == "protect" and press.args:
            on = press.args[0] == "on"
            level = DEFAULT_PROTECT_LEVEL if on else None
            await accounts.set_protect_level(ctx.session, ctx.user.id, level)
            await ctx.reply(t.PROTECT_NOW_ON if on else t.PROTECT_NOW_OFF)
        else:
            await super().on_button(ctx, press)

    async def _list(self, ctx: FlowContext, page: int = 0) -> None:
        accounts = ctx.core.reddit.accounts
        found = await accounts.list(ctx.session, ctx.user.id)
        if not found:
            await ctx.reply(t.NO_ACCOUNTS_YET, [[Button(
                t.CONNECT_BUTTON, url=ctx.core.reddit.oauth.connect_link(ctx.user.id))]])
            return
        default = await accounts.default(ctx.session, ctx.user.id)
        lines, rows = [], []
        for account in found:
            if account.status != AccountStatus.ACTIVE:
                lines.append(t.ACCOUNT_LINE_REVOKED.format(name=account.username))
                continue
            is_default = default is not None and default.id == account.id
            lines.append(t.ACCOUNT_LINE_ACTIVE.format(
                name=account.username, default=t.DEFAULT_MARK if is_default else ""))
            if not is_default:
                rows.append([ctx.button(fit_label(t.MAKE_DEFAULT.format(name=account.username)),
                                        "default", str(account.id))])
        prefs = await accounts.prefs(ctx.session, ctx.user.id)
        protect = prefs.protect_level is not None
        toggle = [ctx.button(
            t.PROTECT_ON if protect else t.PROTECT_OFF, "protect", "off" if protect else "on")]
        rows = [*ctx.paged(rows, page, "list", keep=2), toggle]
        await ctx.reply(*nxt.offer(ctx, t.CONNECTED_LIST.format(accounts="\n".join(lines)),
                                   nxt.POST, nxt.TUTORIAL, lead=rows))
