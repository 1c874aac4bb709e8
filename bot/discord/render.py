"""Our `Reply` -> what discord.py sends: content, components and a file.

A keyboard that fits Discord's 5 rows of 5 buttons is sent as it is. A taller one
(a long list laid out one choice a row, as Telegram shows it) becomes select menus:
each run of single-button rows turns into one select of up to 25 options, so a list
of 25 takes one row. Anything that still does not fit is a `LayoutError` before a
request is made (a flow bug, caught by the specs, never a 400 from Discord).

The `discord.ui.View` built here is only a renderer: it is stopped before it is sent,
so discord.py does not keep it in memory. Presses come back by `custom_id` (the
signed payload itself, at most 64 characters, within Discord's 100) and the
dispatcher decides what they mean, which keeps buttons working across restarts and
processes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import discord

from bot.conversation.replies import (
    DISCORD_LIMITS,
    Attachment,
    Button,
    Keyboard,
    LayoutError,
    check_layout,
    layout_problems,
)
from core.texts import discord as t

TEXT_LIMIT = 2000
MAX_OPTIONS = 25
MAX_OPTION_TEXT = 100
MAX_CUSTOM_ID = 100
ANSWER_ID = "tp:answer"  # the "type an answer" button and its modal
SELECT_PREFIX = "tp:select:"


@dataclass(frozen=True)
class Select:
    """One select menu: pick one of `options` (each a callback button)."""

    options: tuple[Button, ...]


Row = list[Button] | Select


def layout(rows: Keyboard) -> list[Row]:
    """Rows as Discord can show them (see module doc); `LayoutError` if impossible."""
    if not layout_problems(rows, DISCORD_LIMITS):
        return [list(row) for row in rows]
    out: list[Row] = []
    run: list[Button] = []

    def flush() -> None:
        for i in range(0, len(run), MAX_OPTIONS):
            out.append(Select(tuple(run[i : i + MAX_OPTIONS])))
        run.clear()

    for row in rows:
        if len(row) == 1 and row[0].payload is not None:
            run.append(row[0])
            continue
        flush()
        out.append(list(row))
    flush()
    if len(out) > DISCORD_LIMITS.max_rows:
        raise LayoutError(f"{len(out)} rows even with select menus (at most 5)")
    for item in out:
        if isinstance(item, Select):
            _check_select(item)
        else:
            check_layout([item], DISCORD_LIMITS)
    return out


def _check_select(select: Select) -> None:
    for option in select.options:
        if not option.label.strip() or len(option.label) > MAX_OPTION_TEXT:
            raise LayoutError(f"option {option.label!r} must be 1-{MAX_OPTION_TEXT} chars")
        if len(option.payload or "") > MAX_OPTION_TEXT:
            raise LayoutError("option value longer than 100 characters")


def view_of(rows: Keyboard, *, answer_button: bool = False) -> discord.ui.View | None:
    """The components for `rows`, plus the answer button where a row is free."""
    shown = layout(rows)
    if not shown and not answer_button:
        return None
    view = discord.ui.View(timeout=None)
    for n, item in enumerate(shown):
        if isinstance(item, Select):
            view.add_item(discord.ui.Select(
                custom_id=f"{SELECT_PREFIX}{n}", placeholder=t.CHOOSE, row=n,
                options=[discord.SelectOption(label=b.label, value=b.payload or "")
                         for b in item.options]))
            continue
        for b in item:
            if b.url is not None:
                view.add_item(discord.ui.Button(label=b.label, url=b.url, row=n))
            else:
                _check_custom_id(b.payload or "")
                view.add_item(discord.ui.Button(label=b.label, custom_id=b.payload, row=n))
    if answer_button and len(shown) < DISCORD_LIMITS.max_rows:
        view.add_item(discord.ui.Button(label=t.ANSWER_BUTTON, custom_id=ANSWER_ID,
                                        style=discord.ButtonStyle.secondary, row=len(shown)))
    view.stop()  # a renderer only: nothing for discord.py to keep (see module doc)
    return view


def _check_custom_id(custom_id: str) -> None:
    if not 1 <= len(custom_id) <= MAX_CUSTOM_ID:
        raise LayoutError(f"custom_id of {len(custom_id)} characters (1-{MAX_CUSTOM_ID})")


def content_of(text: str) -> str:
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"


def file_of(attachment: Attachment | None) -> discord.File | None:
    if attachment is None:
        return None
    return discord.File(io.BytesIO(attachment.data), filename=attachment.filename)


def answer_modal() -> discord.ui.Modal:
    """The one-question modal behind the answer button (sent, never kept in memory)."""
    modal = discord.ui.Modal(title=t.ANSWER_TITLE, custom_id=ANSWER_ID, timeout=None)
    modal.add_item(discord.ui.TextInput(
        label=t.ANSWER_LABEL, custom_id="text", style=discord.TextStyle.paragraph,
        placeholder=t.ANSWER_PLACEHOLDER, max_length=2000))
    modal.stop()
    return modal


def payload_of(data: dict[str, Any] | None) -> str | None:
    """The signed payload a component interaction carries: a button's custom_id, or
    the chosen option of one of our select menus."""
    data = data or {}
    custom_id = str(data.get("custom_id") or "")
    if custom_id.startswith(SELECT_PREFIX):
        values = data.get("values") or []
        return str(values[0]) if values else None
    return custom_id or None
