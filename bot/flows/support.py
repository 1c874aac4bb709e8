"""/support: a creator writes to the team; /reply (or a reply in the team's chat): an
admin answers. Both sides are core.support's; this only parses and renders.

The creator's side works on every transport: `/support words`, or `/support` then one
message (text, or a photo with a caption). The team's side is where the team reads
support, a Telegram chat: replying to a ticket's message there answers it, as does
`/reply <ticket> <text>` anywhere. The dispatcher hands every reply-to-a-message to
`SupportDeskFlow.on_reply` first; it takes only replies to a ticket's message, so a
creator replying to any other bot message goes on as before.
"""

from __future__ import annotations

from bot.conversation.context import FlowContext
from bot.conversation.events import Command, Text, Upload
from bot.conversation.flow import Flow
from core.onboarding import legal_links
from core.support import MAX_PHOTO_BYTES, Support
from core.texts import support as t

WRITE = "write"
DESK = "support_desk"  # the dispatcher's REPLIES flow
TEAM_TRANSPORT = "telegram"  # where the team reads support (bot.telegram.support_deliver)


def _support(ctx: FlowContext) -> Support:
    return Support(ctx.core.settings, ctx.core.clock)


class SupportFlow(Flow):
    name = "support"
    commands = ("support",)
    help_line = t.HELP_LINE
    args_hint = t.ARGS_HINT

    async def on_command(self, ctx: FlowContext, cmd: Command) -> None:
        if cmd.args.strip():
            await self._send(ctx, cmd.args)
            return
        ctx.goto(WRITE)
        await ctx.reply(t.ASK)

    async def prompt(self, ctx: FlowContext) -> None:
        if ctx.step == WRITE:
            await ctx.reply(t.ASK)
        else:
            await super().prompt(ctx)

    async def on_text(self, ctx: FlowContext, msg: Text) -> None:
        if ctx.step != WRITE:
            await super().on_text(ctx, msg)
            return
        await self._send(ctx, msg.text)

    async def on_upload(self, ctx: FlowContext, upload: Upload) -> None:
        if ctx.step != WRITE:
            await super().on_upload(ctx, upload)
            return
        photo = await ctx.download(upload.file, MAX_PHOTO_BYTES)
        await self._send(ctx, upload.caption, photo)

    async def _send(self, ctx: FlowContext, text: str, photo: bytes | None = None) -> None:
        ticket = await _support(ctx).write(ctx.session, ctx.user, ctx.channel.transport,
                                           ctx.event.chat_id, text, photo)
        ctx.finish()
        await ctx.reply(t.SENT.format(ticket=ticket))


class SupportDeskFlow(Flow):
    """The team's side: answers, for admins only (others are told kindly)."""

    name = DESK
    commands = ("reply",)
    args_hint = t.REPLY_ARGS_HINT  # Discord: a text option, so admins can answer there

    async def on_command(self, ctx: FlowContext, cmd: Command) -> None:
        support = _support(ctx)
        await support.require_admin(ctx.session, ctx.user)
        number, _, text = cmd.args.strip().lstrip("#").partition(" ")
        if not number.isdigit() or len(number) > 12:
            await ctx.reply(t.REPLY_USAGE)
            return
        answer = await support.answer(ctx.session, ctx.user, int(number), text)
        await ctx.reply(t.REPLY_QUEUED.format(ticket=answer.ticket_id))

    async def on_reply(self, ctx: FlowContext, msg: Text) -> bool:
        """Answer the ticket whose message `msg` replies to; False: not a ticket's."""
        if ctx.channel.transport != TEAM_TRANSPORT or not msg.reply_to:
            return False
        support = _support(ctx)
        ticket = await support.ticket_shown_at(ctx.session, msg.chat_id, msg.reply_to)
        if ticket is None:
            return False
        answer = await support.answer(ctx.session, ctx.user, ticket, msg.text)
        await ctx.reply(t.REPLY_QUEUED.format(ticket=answer.ticket_id))
        return True


class TermsFlow(Flow):
    name = "terms"
    commands = ("terms",)
    help_line = t.TERMS_HELP_LINE

    async def on_command(self, ctx: FlowContext, cmd: Command) -> None:
        web = ctx.core.settings.web
        terms, privacy = legal_links(web.public_url, web.host, web.port)
        await ctx.reply(t.TERMS.format(terms=terms, privacy=privacy))
