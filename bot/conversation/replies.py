"""Outbound vocabulary: a reply is text, rows of buttons and an optional attachment.

A reply's buttons are a `Keyboard` (rows of buttons). Platforms bound keyboards
differently (Discord: 5 rows of 5, labels up to 80 characters; Telegram: 64-byte
callback data, about 8 buttons to a row before labels become unreadable), so flows
render within `FLOW_LIMITS`, the strictest of them, and long lists go on pages
(`paginate`). Each adapter checks what it sends against its own limits
(`check_layout`), so a keyboard that would be refused or unreadable is caught in
tests rather than by a creator.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from bot.conversation.events import FileRef

T = TypeVar("T")


@dataclass(frozen=True)
class Button:
    """Either a callback button (`payload`, already signed) or a link (`url`)."""

    label: str
    payload: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Attachment:
    data: bytes
    filename: str
    mime_type: str = "application/octet-stream"
    as_photo: bool = False  # photos get recompressed by platforms; documents do not


Keyboard = list[list[Button]]


@dataclass(frozen=True)
class LayoutLimits:
    """What one transport can show of a keyboard."""

    max_rows: int = 5
    max_per_row: int = 5
    max_label: int = 80
    max_buttons: int = 25


DISCORD_LIMITS = LayoutLimits(max_rows=5, max_per_row=5, max_label=80, max_buttons=25)
TELEGRAM_LIMITS = LayoutLimits(max_rows=12, max_per_row=8, max_label=64, max_buttons=100)
# Flows render within the strictest transport, so every adapter can show every reply.
FLOW_LIMITS = DISCORD_LIMITS


class LayoutError(ValueError):
    """A keyboard a transport cannot show (a flow rendered past `FLOW_LIMITS`)."""


def layout_problems(rows: Keyboard, limits: LayoutLimits = FLOW_LIMITS) -> list[str]:
    """Every way `rows` breaks `limits`, in words (empty when it fits)."""
    problems = []
    if len(rows) > limits.max_rows:
        problems.append(f"{len(rows)} rows (at most {limits.max_rows})")
    if sum(len(row) for row in rows) > limits.max_buttons:
        problems.append(f"{sum(len(r) for r in rows)} buttons (at most {limits.max_buttons})")
    for n, row in enumerate(rows, 1):
        if not row:
            problems.append(f"row {n} is empty")
        if len(row) > limits.max_per_row:
            problems.append(f"row {n} has {len(row)} buttons (at most {limits.max_per_row})")
        for button in row:
            if not button.label.strip() or len(button.label) > limits.max_label:
                problems.append(f"label {button.label!r} must be 1-{limits.max_label} chars")
            if (button.payload is None) == (button.url is None):
                problems.append(f"button {button.label!r} needs a payload or a url")
    return problems


def check_layout(rows: Keyboard, limits: LayoutLimits = FLOW_LIMITS) -> None:
    """Raise `LayoutError` unless `rows` fits `limits` (adapters call this on send)."""
    problems = layout_problems(rows, limits)
    if problems:
        raise LayoutError("; ".join(problems))


def fit_label(text: str, limits: LayoutLimits = FLOW_LIMITS) -> str:
    """Outside text (a flair, a username) shortened to fit a button label."""
    text = " ".join(text.split()) or "?"
    return text if len(text) <= limits.max_label else text[: limits.max_label - 1] + "…"


def grid(buttons: Sequence[Button], per_row: int) -> Keyboard:
    """Buttons laid out `per_row` to a row."""
    return [list(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row)]


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list too long for one keyboard (`number` is 0-based)."""

    items: tuple[T, ...]
    number: int
    count: int

    @property
    def has_prev(self) -> bool:
        return self.number > 0

    @property
    def has_next(self) -> bool:
        return self.number < self.count - 1


def paginate(items: Sequence[T], page: int, room: int) -> Page[T]:
    """The `page`-th slice of `items` when each takes a row and `room` rows are free.

    A list that fits in `room` is one page; otherwise each page keeps a row for the
    Prev/Next buttons. An out-of-range `page` (an old button, a list that shrank) is
    clamped rather than refused: the creator still sees real choices.
    """
    if room < 2:
        raise ValueError("paging needs room for at least one item and the Prev/Next row")
    per_page = room if len(items) <= room else room - 1
    count = max(1, -(-len(items) // per_page))
    number = min(max(page, 0), count - 1)
    start = number * per_page
    return Page(tuple(items[start : start + per_page]), number, count)


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: list[list[Button]] = field(default_factory=list)
    attachment: Attachment | None = None


@dataclass(frozen=True)
class MessageRef:
    """Opaque handle to a sent message so it can be edited (progress updates)."""

    chat_id: str
    message_id: str
    extra: dict[str, Any] = field(default_factory=dict)


class Channel(Protocol):
    """What an adapter must provide for one conversation."""

    transport: str

    async def send(self, reply: Reply) -> MessageRef: ...

    async def edit(self, ref: MessageRef, reply: Reply) -> MessageRef: ...

    async def download(self, file: FileRef, max_bytes: int) -> bytes: ...


class FileTooLarge(Exception):
    """Raised by `Channel.download` when a file exceeds the caller's limit."""

    def __init__(self, size: int | None, limit: int) -> None:
        super().__init__(f"file of {size} bytes exceeds {limit}")
        self.size = size
        self.limit = limit
