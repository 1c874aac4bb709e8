"""The first look at an upload meant to be a photo, shared by every flow that takes one:
is it an image at all, and is it within the upload limit (before downloading it)."""

from __future__ import annotations

from bot.conversation.context import FlowContext
from bot.conversation.events import FileRef
from core.texts import common


def is_image(file: FileRef) -> bool:
    return file.is_photo or (file.mime_type or "").startswith("image/")


async def refused(ctx: FlowContext, file: FileRef, not_a_photo: str) -> bool:
    """True (after telling the creator why) when `file` can't be the photo asked for."""
    if not is_image(file):
        await ctx.reply(not_a_photo)
        return True
    limit = ctx.core.settings.limits.max_upload_bytes
    if file.size is not None and file.size > limit:
        await ctx.reply(common.file_too_large(limit))
        return True
    return False
