"""Step 2: a protected copy of the photo, through core.imageshield like /protect (the
image quota checked before and taken after, the same refusals), sent as a file so the
creator sees the measured result. The level is remembered: the post is made from a
copy protected at that level when it is queued (the bytes are never kept)."""

from __future__ import annotations

from bot.conversation.context import ButtonExpired, FlowContext
from bot.conversation.replies import Attachment, FileTooLarge
from bot.flows import next_steps as nxt
from bot.flows.help import info_button
from bot.flows.protect import protected_name, result_text
from bot.flows.tutorial import check
from bot.flows.tutorial.state import PROTECT, heading, photo, skip_button
from bot.flows.upgrade_prompt import upgrade_prompt
from core.billing.errors import QuotaExceeded
from core.billing.tiers import Meter
from core.imageshield import ImageRejected
from core.texts import shield as st
from core.texts import tutorial as t


async def ask(ctx: FlowContext, note: str = "") -> None:
    ctx.goto(PROTECT)
    rows = [[ctx.button(label, "level", level) for level, label in t.PROTECT_LEVEL.items()],
            [info_button(ctx, "protect-levels")],
            [skip_button(ctx)]]
    await ctx.reply("\n\n".join(p for p in (note, heading(2), t.PROTECT_ASK) if p), rows)


async def pick(ctx: FlowContext, level: str) -> None:
    ctx.require_step(PROTECT)
    file = photo(ctx)
    if level not in t.PROTECT_LEVEL or file is None:
        raise ButtonExpired
    try:  # refuse before the work; the photo is paid for once it is protected
        await ctx.core.billing.check(ctx.session, ctx.user, Meter.IMAGE)
    except QuotaExceeded as exc:
        await ctx.reply(await upgrade_prompt(ctx, exc),
                        [[nxt.button(ctx, nxt.UPGRADE)], [skip_button(ctx)]])
        return
    name = st.LEVEL_NAMES[level]
    # sent at once: its id keys the charge
    progress = await ctx.reply(st.STAGE_WORKING.format(level=name), now=True)
    try:
        data = await ctx.download(file)
        result = await ctx.core.imageshield.protect_async(data, level)
    except FileTooLarge as exc:
        await ctx.edit(progress, st.rejected("too_large", {"limit": exc.limit}),
                       [[skip_button(ctx)]])
        return
    except ImageRejected as exc:
        await ctx.edit(progress, st.rejected(exc.code, exc.params),
                       [[skip_button(ctx)]])
        return
    del data
    await ctx.core.billing.consume(
        ctx.session, ctx.user, Meter.IMAGE,
        ctx.charge_key("tutorial") or f"tutorial:{progress.chat_id}:{progress.message_id}")
    await ctx.edit(progress, st.STAGE_DONE)
    ctx.update(level=level)
    await ctx.reply(f"{result_text(result, name)}\n{t.PROTECTED_NOTE.format(level=name)}",
                    attachment=Attachment(result.data, protected_name(file, result.ext),
                                          result.mime))
    await check.ask(ctx)


async def skip(ctx: FlowContext) -> None:
    ctx.update(level=None)
    await check.ask(ctx)
