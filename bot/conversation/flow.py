"""Base class for a conversation flow (onboarding, caption, protect, post, ...).

A flow is stateless Python: everything it remembers goes through `ctx.goto()` into the
database. Each handler parses the event, calls a core service and renders a reply.
"""

from __future__ import annotations

from typing import ClassVar

from bot.conversation.context import ButtonExpired, FlowContext
from bot.conversation.events import Command, Press, Text, Upload
from core.texts import common as t


class Flow:
    name: ClassVar[str]
    commands: ClassVar[tuple[str, ...]] = ()
    # Shown by /help, in this order; empty to stay unlisted.
    help_line: ClassVar[str] = ""
    # Label offered when a user sends a file outside any flow; empty = not offered.
    upload_label: ClassVar[str] = ""
    # Label of this flow's button in the /start menu; empty = not in the menu.
    menu_label: ClassVar[str] = ""
    # What the words after the command mean ("/caption red dress"), for transports that
    # declare command options (Discord); empty = the command takes none.
    args_hint: ClassVar[str] = ""

    async def on_command(self, ctx: FlowContext, cmd: Command) -> None:
        """Default: a command (re)starts the flow at its first prompt."""
        ctx.finish()
        await self.prompt(ctx)

    async def on_button(self, ctx: FlowContext, press: Press) -> None:
        raise ButtonExpired

    async def on_text(self, ctx: FlowContext, msg: Text) -> None:
        await ctx.reply(t.NOT_UNDERSTOOD)

    async def on_upload(self, ctx: FlowContext, upload: Upload) -> None:
        await ctx.reply(t.UPLOAD_NOT_EXPECTED)

    async def on_upload_start(self, ctx: FlowContext, upload: Upload) -> None:
        """Start this flow with a file the user sent outside any flow."""
        await self.on_upload(ctx, upload)

    def adult_only(self, press: Press) -> bool:
        """Whether `press` turns on or asks for adult content. The dispatcher refuses such
        presses where adult content may not be shown (`Inbound.adult_place`), whoever
        the user is, so no flow has to check where it is talking."""
        return False

    def anonymous(self, press: Press | None) -> bool:
        """Whether this flow's command (`press` is None) or this press is handled without
        a user (/demo): the dispatcher then creates and reads no user, identity or
        conversation row, and the handler's `ctx.user` and state are transient, never
        saved. Such a handler keeps what it needs in its buttons."""
        return False

    def busy(self, ctx: FlowContext) -> str | None:
        """A message while this flow does irreversible outside work (posting), else None.

        While busy, commands (/cancel, or starting another flow) get this message and
        leave the state alone: replacing it mid-run would lose the record of what was
        already done outside.
        """
        return None

    async def prompt(self, ctx: FlowContext) -> None:
        """Re-show the current step (after a restart, or when the user asks)."""
        ctx.finish()
        await ctx.reply(t.NOTHING_PENDING)
