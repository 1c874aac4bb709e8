"""Files sent outside any flow: remember the file, ask which feature should take it."""

from __future__ import annotations

from dataclasses import asdict, replace

from bot.conversation.context import ButtonExpired, FlowContext
from bot.conversation.events import FileRef, Press, Upload
from bot.conversation.flow import Flow
from core.texts import common as t

CHOOSE = "choose"
ROUTE = "route"


class InboxFlow(Flow):
    name = "inbox"

    def __init__(self, flows: list[Flow]) -> None:
        self._flows = flows

    def _targets(self) -> list[Flow]:
        return [f for f in self._flows if f.upload_label]

    async def on_upload(self, ctx: FlowContext, upload: Upload) -> None:
        targets = self._targets()
        if not targets:
            await ctx.reply(t.UPLOAD_NOT_EXPECTED)
            return
        ctx.goto(CHOOSE, file=asdict(upload.file), caption=upload.caption)
        await self.prompt(ctx)

    async def prompt(self, ctx: FlowContext) -> None:
        buttons = [[ctx.button(f.upload_label, ROUTE, f.name)] for f in self._targets()]
        await ctx.reply(t.UPLOAD_WHAT_NEXT, buttons)

    async def on_button(self, ctx: FlowContext, press: Press) -> None:
        ctx.require_step(CHOOSE)
        target = next((f for f in self._targets() if (f.name,) == press.args[:1]), None)
        if press.action != ROUTE or target is None:
            raise ButtonExpired
        data = ctx.data
        upload = Upload(
            ctx.event.sender,
            ctx.event.chat_id,
            file=FileRef(**data["file"]),
            caption=data.get("caption", ""),
        )
        ctx.finish()
        await target.on_upload_start(replace(ctx, flow_name=target.name), upload)
