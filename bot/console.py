"""Terminal adapter (`thottopilot chat`), also the in-process transport tests drive.

Buttons of the latest message are numbered; typing the number presses it. `/file PATH
[caption]` uploads a local photo as if sent from a phone (its size is checked before it
is read); files the bot sends back are saved into `save_dir` when one is given (the
terminal can't show them).

A terminal obeys escape sequences, so everything printed passes through `printable`:
text a person typed (echoed in a title, a description) must not be able to move the
cursor, retitle the window or hide lines. Keyboards are checked against `limits`
(by default the strictest transport's), so a flow that would not fit on Discord fails
here, where the tests drive it.
"""

from __future__ import annotations

import asyncio
import itertools
import mimetypes
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.conversation.dispatcher import Dispatcher
from bot.conversation.events import ButtonPress, Command, FileRef, Text, Upload
from bot.conversation.replies import (
    FLOW_LIMITS,
    Button,
    FileTooLarge,
    LayoutError,
    LayoutLimits,
    MessageRef,
    Reply,
    layout_problems,
)
from core.texts import common as t
from core.users import Who

TRANSPORT = "console"
MAX_BUTTON_DIGITS = 3  # "²" and 5,000-digit numbers are text, not button numbers
# C0 and C1 control characters and DEL, except newline and tab.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Leading bytes of the image formats a chat platform accepts as a photo.
_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"BM")


def printable(text: str) -> str:
    """`text` safe to print on a terminal: control characters shown as `\\x1b` etc."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


@dataclass
class Sent:
    """A message as the console shows it; `edits` keeps every earlier version."""

    ref: MessageRef
    reply: Reply
    edits: list[Reply] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.reply.text

    @property
    def buttons(self) -> list[Button]:
        return [b for row in self.reply.buttons for b in row]


class ConsoleChannel:
    transport = TRANSPORT

    def __init__(self, out: Callable[[str], None] = print, save_dir: Path | None = None,
                 limits: LayoutLimits = FLOW_LIMITS) -> None:
        self._out = out
        self._save_dir = save_dir
        self._limits = limits
        self.layout_errors: list[str] = []
        self._ids = itertools.count(1)
        self.messages: dict[str, Sent] = {}
        self.files: dict[str, bytes] = {}
        self.buttons: list[Button] = []

    def say(self, line: str) -> None:
        """Print a line of our own (not a bot reply), neutralised like any other."""
        self._out(printable(line))

    def _check(self, reply: Reply) -> None:
        problems = layout_problems(reply.buttons, self._limits)
        if problems:
            self.layout_errors.append(f"{reply.text[:60]!r}: {'; '.join(problems)}")
            raise LayoutError("; ".join(problems))

    async def send(self, reply: Reply) -> MessageRef:
        self._check(reply)
        ref = MessageRef(chat_id=TRANSPORT, message_id=str(next(self._ids)))
        self.messages[ref.message_id] = Sent(ref, reply)
        saved = None
        if reply.attachment is not None:  # file I/O off the loop
            saved = await asyncio.to_thread(
                self._save, reply.attachment.filename, reply.attachment.data)
        self._render(reply, saved=saved)
        return ref

    async def edit(self, ref: MessageRef, reply: Reply) -> MessageRef:
        self._check(reply)
        sent = self.messages[ref.message_id]
        sent.edits.append(sent.reply)
        sent.reply = reply
        self._render(reply, edited=True)
        return ref

    async def download(self, file: FileRef, max_bytes: int) -> bytes:
        data = self.files[file.file_id]
        if len(data) > max_bytes:
            raise FileTooLarge(len(data), max_bytes)
        return data

    def _render(self, reply: Reply, *, edited: bool = False, saved: Path | None = None) -> None:
        prefix = "✎ " if edited else ""
        self.say(f"{prefix}{reply.text}")
        if reply.attachment:
            a = reply.attachment
            where = f", saved to {saved}" if saved else ""
            self.say(f"  [attachment: {a.filename}, {len(a.data)} bytes{where}]")
        if reply.buttons:
            self.buttons = [b for row in reply.buttons for b in row]
            for n, b in enumerate(self.buttons, 1):
                self.say(f"  {n}) {b.label}" + (f" <{b.url}>" if b.url else ""))

    def _save(self, filename: str, data: bytes) -> Path | None:
        """Write an attachment under `save_dir` without overwriting an earlier one."""
        if self._save_dir is None:
            return None
        self._save_dir.mkdir(parents=True, exist_ok=True)
        name = Path(filename).name or "file"
        path = self._save_dir / name
        for n in itertools.count(2):
            if not path.exists():
                break
            path = self._save_dir / f"{Path(name).stem}-{n}{Path(name).suffix}"
        path.write_bytes(data)
        return path


class ConsoleChat:
    """One person at a terminal talking to the dispatcher."""

    def __init__(self, dispatcher: Dispatcher, who: Who, channel: ConsoleChannel) -> None:
        self.dispatcher = dispatcher
        self.who = who
        self.channel = channel
        self._uploads = itertools.count(1)

    async def resume(self) -> bool:
        return await self.dispatcher.resume(Text(self.who, TRANSPORT), self.channel)

    async def open(self) -> None:
        """Start a terminal session: pick up an unfinished step, else show /start (the
        menu for a returning creator), so there are always buttons to number."""
        if not await self.resume():
            await self.say("/start")

    async def say(self, line: str) -> None:
        """Interpret one typed line: a number presses a button, /cmd is a command."""
        line = line.strip()
        if not line:
            return
        number = _button_number(line)
        if number is not None and 1 <= number <= len(self.channel.buttons):
            await self.press_button(self.channel.buttons[number - 1])
        elif line.startswith("/file "):
            path_str, _, caption = line[6:].strip().partition(" ")
            await self.upload_path(path_str, caption)
        elif line.startswith("/"):
            name, _, args = line[1:].partition(" ")
            await self.dispatcher.handle(
                Command(self.who, TRANSPORT, name=name.lower(), args=args.strip()), self.channel
            )
        else:
            await self.dispatcher.handle(Text(self.who, TRANSPORT, text=line), self.channel)

    async def press_button(self, button: Button) -> None:
        if button.payload is None:
            self.channel.say(f"(link) {button.url}")
            return
        await self.dispatcher.handle(
            ButtonPress(self.who, TRANSPORT, payload=button.payload), self.channel
        )

    async def upload(
        self, data: bytes, filename: str, mime: str, caption: str = "", *, photo: bool = False
    ) -> None:
        file_id = f"local-{next(self._uploads)}"
        self.channel.files[file_id] = data
        ref = FileRef(TRANSPORT, file_id, filename, mime, len(data), is_photo=photo)
        await self.dispatcher.handle(
            Upload(self.who, TRANSPORT, file=ref, caption=caption), self.channel
        )


    async def upload_path(self, path_str: str, caption: str = "") -> None:
        """`/file PATH`: send a local photo. The size is checked before anything is read,
        and only an image goes out; anything else gets a friendly line, not a crash."""
        limit = self.dispatcher.core.settings.limits.max_upload_bytes
        problem, data = await asyncio.to_thread(_read_image, path_str, limit)
        if data is None:
            self.channel.say(problem)
            return
        name = Path(path_str).name
        mime = mimetypes.guess_type(name)[0] or "image/jpeg"
        await self.upload(data, name, mime, caption, photo=True)


def _button_number(line: str) -> int | None:
    """The button a typed line presses: a short plain ASCII number, else None."""
    if line.isascii() and line.isdigit() and len(line) <= MAX_BUTTON_DIGITS:
        return int(line)
    return None


def _read_image(path_str: str, limit: int) -> tuple[str, bytes | None]:
    """(why not, None) or ("", the bytes) of the image at `path_str`, at most `limit`."""
    try:
        path = Path(path_str).expanduser()
        if not path.is_file():  # also refuses directories, FIFOs and devices
            return t.FILE_MISSING.format(path=path_str), None
        if path.stat().st_size > limit:
            return t.file_too_large(limit), None
        with path.open("rb") as f:
            data = f.read(limit + 1)
    except (OSError, ValueError) as exc:  # unreadable, permissions, a NUL in the path
        return t.FILE_UNREADABLE.format(path=path_str, reason=type(exc).__name__), None
    if len(data) > limit:  # it grew between the stat and the read
        return t.file_too_large(limit), None
    if not _is_image(data):
        return t.FILE_NOT_IMAGE, None
    return "", data


def _is_image(data: bytes) -> bool:
    if data.startswith(_IMAGE_MAGIC):
        return True
    return data[:4] == b"RIFF" and data[8:12] == b"WEBP"
