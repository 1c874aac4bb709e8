"""The main menu: what /start shows a creator who finished getting started, and what the
wizard ends with. (The wizard itself is `bot.flows.onboarding`.)"""

from __future__ import annotations

from collections.abc import Sequence

from bot.conversation.context import FlowContext
from bot.conversation.flow import Flow
from bot.conversation.replies import Keyboard


def menu_buttons(ctx: FlowContext, flows: Sequence[Flow]) -> Keyboard:
    """One button per feature flow, two per row; each starts that flow."""
    buttons = [ctx.button(f.menu_label, "start", flow=f.name) for f in flows if f.menu_label]
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


def command_lines(flows: Sequence[Flow]) -> str:
    """The /help line of every listed flow, one per line."""
    return "\n".join(f.help_line for f in flows if f.help_line)
