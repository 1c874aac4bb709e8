"""/protect: photo -> level (each with an honest info button) -> progress -> protected
copy as a file, with the measured report.

Also entered from a photo sent outside any flow ("Protect it"). The flow state holds only
the transport's `FileRef`: the bytes are fetched when the level is chosen and dropped once
the protected copy is sent, so no copy of the photo stays with us. Protection runs in
`core.imageshield`'s worker pool, off the event loop.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import PurePath
from typing import Any

from bot.conversation.context import ButtonExpired, FlowContext
from bot.conversation.events import FileRef, Press, Text, Upload
from bot.conversation.flow import Flow
from bot.conversation.replies import Attachment, Button, FileTooLarge, MessageRef
from bot.flows import next_steps as nxt
from bot.flows.upgrade_prompt import upgrade_prompt
from core.billing.errors import QuotaExceeded
from core.billing.tiers import Meter
from core.imageshield import LEVEL_FACTS, ImageRejected, ProtectedImage
from core.texts import shield as t

PHOTO, LEVEL = "photo", "level"
PICK, INFO = "pick", "info"


class ProtectFlow(Flow):
    name = "protect"
    commands = ("protect",)
    help_line = t.HELP_LINE
    upload_label = t.UPLOAD_LABEL
    menu_label = t.MENU_LABEL

    # -- entry points and steps -----------------------------------------------------
    async def prompt(self, ctx: FlowContext) -> None:
        if ctx.step == LEVEL:
            await ctx.reply(t.PICK_LEVEL, self._level_buttons(ctx))
            return
        _await_photo(ctx)
        await ctx.reply(t.ASK_PHOTO)

    async def on_upload_start(self, ctx: FlowContext, upload: Upload) -> None:
        ctx.finish()
        await self.on_upload(ctx, upload)

    async def on_upload(self, ctx: FlowContext, upload: Upload) -> None:
        """Any step: a new photo replaces the previous one and asks for the level."""
        limit = ctx.core.settings.limits.max_upload_bytes
        if upload.file.size is not None and upload.file.size > limit:
            _await_photo(ctx)  # refuse before anyone waits for a download
            await ctx.reply(f"{t.rejected('too_large', {'limit': limit})} {t.TRY_ANOTHER}")
            return
        ctx.goto(LEVEL, file=asdict(upload.file))
        await self.prompt(ctx)

    async def on_text(self, ctx: FlowContext, msg: Text) -> None:
        if ctx.step == LEVEL:
            await self.prompt(ctx)
        else:
            await ctx.reply(t.NOT_A_PHOTO_YET)

    async def on_button(self, ctx: FlowContext, press: Press) -> None:
        level = press.args[0] if press.args else ""
        if level not in t.LEVEL_NAMES:
            await super().on_button(ctx, press)
        elif press.action == INFO:  # harmless at any step: it only explains
            await self._explain(ctx, level)
        elif press.action == PICK:
            ctx.require_step(LEVEL)
            await self._protect(ctx, level)
        else:
            raise ButtonExpired

    # -- helpers ----------------------------------------------------------------------
    def _level_buttons(self, ctx: FlowContext) -> list[list[Button]]:
        return [
            [
                ctx.button(name, PICK, level),
                ctx.button(t.INFO_LABEL.format(name=name), INFO, level),
            ]
            for level, name in t.LEVEL_NAMES.items()
        ]

    async def _explain(self, ctx: FlowContext, level: str) -> None:
        name = t.LEVEL_NAMES[level]
        text = t.LEVEL_DETAIL.format(summary=t.LEVEL_INFO[level], **LEVEL_FACTS[level])
        await ctx.reply(text, [[ctx.button(t.USE_LEVEL.format(name=name), PICK, level)]])

    async def _protect(self, ctx: FlowContext, level: str) -> None:
        """Download, protect off the loop, report; one progress message is edited."""
        file = FileRef(**ctx.data["file"])
        try:  # refuse before the download; the photo is paid for once it is protected
            await ctx.core.billing.check(ctx.session, ctx.user, Meter.IMAGE)
        except QuotaExceeded as exc:
            await ctx.reply(await upgrade_prompt(ctx, exc))
            return
        progress = await ctx.reply(t.STAGE_READING, now=True)  # its id keys the charge
        try:
            data = await ctx.download(file)
            await ctx.edit(progress, t.STAGE_WORKING.format(level=t.LEVEL_NAMES[level]))
            result = await ctx.core.imageshield.protect_async(data, level, user_id=ctx.user.id)
        except FileTooLarge as exc:
            await self._refuse(ctx, progress, "too_large", {"limit": exc.limit})
            return
        except ImageRejected as exc:
            await self._refuse(ctx, progress, exc.code, exc.params)
            return
        del data  # the original is not needed (nor kept) past this point
        await ctx.core.billing.consume(
            ctx.session, ctx.user, Meter.IMAGE,
            ctx.charge_key("protect") or f"protect:{progress.chat_id}:{progress.message_id}")
        ctx.finish()
        await ctx.edit(progress, t.STAGE_DONE)
        text, rows = nxt.offer(ctx, result_text(result, t.LEVEL_NAMES[level]),
                               nxt.POST, nxt.CAPTION,
                               lead=[[ctx.button(t.PROTECT_ANOTHER, "start")]],
                               named=("protect",))
        await ctx.reply(
            text, rows,
            Attachment(result.data, protected_name(file, result.ext), result.mime,
                       as_photo=False),
        )

    async def _refuse(
        self, ctx: FlowContext, progress: MessageRef, code: str, params: dict[str, Any]
    ) -> None:
        """Say why on the progress message and wait for another photo."""
        _await_photo(ctx)
        await ctx.edit(progress, f"{t.rejected(code, params)} {t.TRY_ANOTHER}")


def _await_photo(ctx: FlowContext) -> None:
    """Wait for a (new) photo, forgetting any earlier file reference."""
    ctx.finish()
    ctx.goto(PHOTO)


def result_text(result: ProtectedImage, level_name: str) -> str:
    report = result.report
    text = t.RESULT.format(
        level=level_name,
        before=t.percent(report.match_before),
        after=t.percent(report.match_after),
        ssim=report.ssim,
    )
    return f"{text}\n{t.RESULT_MIRRORED}" if report.mirrored else text


def protected_name(file: FileRef, ext: str) -> str:
    """`holiday.png` -> `holiday-protected.jpg` (the extension follows the new format)."""
    stem = PurePath(file.filename or "photo").stem or "photo"
    return f"{stem}-protected.{ext}"
