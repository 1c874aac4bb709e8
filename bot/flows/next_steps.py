"""Next-step buttons: what a key result (a caption written, a photo protected, a post
queued, an account connected, getting started done) offers to do next.

One helper for every flow. Each step is a signed button (`core.signing` through the
payload codec) with the dispatcher's START action, so a tap starts that flow exactly
as its command would; the reply also keeps a text line naming the commands, for a
transport that shows no buttons. A flow names a step here, never another flow's class.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.conversation.context import FlowContext
from bot.conversation.dispatcher import START
from bot.conversation.replies import Button, Keyboard
from core.texts import next_steps as t


@dataclass(frozen=True)
class Step:
    """A flow to start: its name, its first command (what START runs) and a label."""

    flow: str
    command: str
    label: str


CAPTION = Step("caption", "caption", t.CAPTION)
PROTECT = Step("protect", "protect", t.PROTECT)
POST = Step("post", "post", t.POST)
QUEUE = Step("queue", "queue", t.QUEUE)
CONNECT = Step("connect", "connect", t.CONNECT)
TUTORIAL = Step("tutorial", "tutorial", t.TUTORIAL)
UPGRADE = Step("billing", "upgrade", t.UPGRADE)
PER_ROW = 2  # labels stay readable on a phone


def line(*steps: Step, named: tuple[str, ...] = ()) -> str:
    """"Next: /post · /queue", the words that stand in for the buttons (`named`: the
    commands the reply's own buttons stand for, first)."""
    commands = dict.fromkeys([*named, *(s.command for s in steps)])
    return t.LINE.format(commands=t.JOIN.join(f"/{c}" for c in commands))


def buttons(ctx: FlowContext, *steps: Step) -> Keyboard:
    """One START button per step, `PER_ROW` to a row."""
    row = [ctx.button(s.label, START, flow=s.flow) for s in steps]
    return [row[i:i + PER_ROW] for i in range(0, len(row), PER_ROW)]


def offer(ctx: FlowContext, text: str, *steps: Step, lead: Keyboard | None = None,
          named: tuple[str, ...] = ()) -> tuple[str, Keyboard]:
    """`text` with the next-step line, and the buttons after the reply's own (`lead`,
    which start the commands `named`)."""
    if not steps and not named:
        return text, list(lead or [])
    return (f"{text}\n\n{line(*steps, named=named)}",
            [*(lead or []), *buttons(ctx, *steps)])


def button(ctx: FlowContext, step: Step) -> Button:
    return ctx.button(step.label, START, flow=step.flow)
