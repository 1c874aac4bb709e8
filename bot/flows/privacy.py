"""/export, /deleteaccount and /restore: a person's data rights from the chat.

/export sends everything core.privacy.export gathers as a JSON document. /deleteaccount
asks first, with a signed button bound to the person; confirming deletes the account
(core.privacy.deletion), commits, and only then cancels a card plan at Stripe and asks
Reddit to revoke the tokens.
/restore is handled without a user (`anonymous`): a person whose account is pending
deletion has no live user for the dispatcher to load, so the flow finds their account
by their chat identity itself.
"""

from __future__ import annotations

from bot.conversation.context import FlowContext
from bot.conversation.events import Command, Press
from bot.conversation.flow import Flow
from bot.conversation.replies import Attachment
from core.privacy import export
from core.privacy.deletion import AccountDeletions
from core.texts import privacy as t

CONFIRM = "confirm"


class ExportFlow(Flow):
    name = "export"
    commands = ("export",)
    help_line = t.EXPORT_HELP

    async def on_command(self, ctx: FlowContext, cmd: Command) -> None:
        ctx.finish()
        now = ctx.core.clock.now()
        data = await export.export(ctx.session, ctx.user.id, now)
        await ctx.checkpoint()  # no transaction held while the file goes out
        await ctx.reply(t.EXPORT_READY, attachment=Attachment(
            export.to_json(data), export.filename(now), "application/json"))


class DeleteAccountFlow(Flow):
    name = "deleteaccount"
    commands = ("deleteaccount",)
    help_line = t.DELETE_HELP

    async def on_command(self, ctx: FlowContext, cmd: Command) -> None:
        ctx.goto(CONFIRM)
        days = ctx.core.settings.privacy.deletion_grace_days
        text = t.DELETE_ASK.format(days=days)
        if await AccountDeletions(ctx.core).renewing_plan(ctx.session, ctx.user.id):
            text = f"{text}\n\n{t.PAID_PLAN_NOTE}"
        await ctx.reply(text, [
            [ctx.button(t.DELETE_CONFIRM, "yes")], [ctx.button(t.DELETE_KEEP, "no")]])

    async def on_button(self, ctx: FlowContext, press: Press) -> None:
        ctx.require_step(CONFIRM)
        ctx.finish()
        if press.action != "yes":
            await ctx.reply(t.DELETE_KEPT)
            return
        deletions = AccountDeletions(ctx.core)
        deletion = await deletions.request(ctx.session, ctx.user, ctx.event.sender.transport)
        await ctx.checkpoint()  # deleted for good before anything goes to Reddit
        revocations = await deletions.finish(deletion)
        when = deletion.purge_after
        lines = [t.DELETE_DONE.format(date=f"{when.day} {when:%B %Y}")]
        if revocations.plans_failed:
            lines.append(t.PLAN_CANCEL_FAILED)
        if revocations.failed:
            lines.append(t.REVOKE_FAILED)
        await ctx.reply("\n\n".join(lines))

    async def prompt(self, ctx: FlowContext) -> None:
        await self.on_command(ctx, Command(ctx.event.sender, ctx.event.chat_id,
                                           name=self.commands[0]))


class RestoreFlow(Flow):
    name = "restore"
    commands = ("restore",)
    help_line = t.RESTORE_HELP

    def anonymous(self, press: Press | None) -> bool:
        return True

    async def on_command(self, ctx: FlowContext, cmd: Command) -> None:
        deletions = AccountDeletions(ctx.core)
        user = await deletions.restore(ctx.session, ctx.event.sender)
        if user is not None:
            await ctx.checkpoint()  # restored for good before Telegram is asked
            await deletions.finish_restore(user.id)
        await ctx.reply(t.RESTORED if user is not None else t.NOTHING_TO_RESTORE)


def privacy_flows() -> list[Flow]:
    return [ExportFlow(), DeleteAccountFlow(), RestoreFlow()]
