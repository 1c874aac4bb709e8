"""The tutorial's steps and what it remembers between taps.

Everything lives in the conversation row (`ctx.goto`), so a restart resumes the step:
the photo's transport reference and content hash (never its bytes), the ids of the
caption options shown, the title, the protection level, the checked post for the
chosen subreddit (`post`: subreddit, title, NSFW mark, flair) and the skipped steps.
"""

from __future__ import annotations

from typing import Any

from bot.conversation.context import FlowContext
from bot.conversation.events import FileRef
from bot.conversation.replies import Button
from core.texts import tutorial as t

NAME = "tutorial"
PHOTO, CAPTION, TITLE, PROTECT, SUB, FIX, WHEN, QUEUING = (
    "photo", "caption", "title", "protect", "sub", "fix", "when", "queuing")
NUMBER = {PHOTO: 1, CAPTION: 1, TITLE: 1, PROTECT: 2, SUB: 3, FIX: 3, WHEN: 4, QUEUING: 4}
TOTAL = 4
MAX_TITLE = 300  # Reddit's own limit; subreddits may ask for less (the rule check says)


def heading(n: int) -> str:
    return f"{t.STEP.format(n=n, title=t.TITLES[n])}\n{t.WHY[n]}"


def skip_button(ctx: FlowContext) -> Button:
    """The Skip button of the step on screen: it names that step, so a second tap, or one on an
    earlier step's message, skips nothing more (`TutorialFlow._skip`)."""
    return ctx.button(t.SKIP, "skip", ctx.step or "")


def number(ctx: FlowContext) -> int:
    return NUMBER.get(ctx.step or "", 1)


def photo(ctx: FlowContext) -> FileRef | None:
    stored = ctx.data.get("file")
    return FileRef(**stored) if stored else None


def post(ctx: FlowContext) -> dict[str, Any]:
    """The checked post for the chosen subreddit (empty before the rule check)."""
    return dict(ctx.data.get("post") or {})


def skip(ctx: FlowContext) -> None:
    """Remember that the current step was skipped (recorded when the tutorial ends)."""
    ctx.update(skipped=sorted({*ctx.data.get("skipped", []), str(number(ctx))}))
