"""Terminal adapter (`thottopilot chat`), also the in-process transport tests drive.

Buttons of the latest message are numbered; typing the number presses it. `/file PATH
[caption]` uploads a local file as if sent from a phone; files the bot sends back are
saved into `save_dir` when one is given (the terminal can't show them).
"""

from __future__ import annotations

import asyncio
import itertools
import mimetypes
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.conversation.dispatcher import Dispatcher
from bot.conversation.events import ButtonPress, Command, FileRef, Text, Upload
from bot.conversation.replies import Button, FileTooLarge, MessageRef, Reply
from core.users import Who

TRANSPORT = "console"


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

    def __init__(self, out: Callable[[str], None] = print, save_dir: Path | None = None) -> None:
        self._out = out
        self._save_dir = save_dir
        self._ids = itertools.count(1)
        self.messages: dict[str, Sent] = {}
        self.files: dict[str, bytes] = {}
        self.buttons: list[Button] = []

    async def send(self, reply: Reply) -> MessageRef:
        ref = MessageRef(chat_id=TRANSPORT, message_id=str(next(self._ids)))
        self.messages[ref.message_id] = Sent(ref, reply)
        saved = None
        if reply.attachment is not None:  # file I/O off the loop
            saved = await asyncio.to_thread(
                self._save, reply.attachment.filename, reply.attachment.data)
        self._render(reply, saved=saved)
        return ref

    async def edit(self, ref: MessageRef, reply: Reply) -> MessageRef:
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
        self._out(f"{prefix}{reply.text}")
        if reply.attachment:
            a = reply.attachment
            where = f", saved to {saved}" if saved else ""
            self._out(f"  [attachment: {a.filename}, {len(a.data)} bytes{where}]")
        if reply.buttons:
            self.buttons = [b for row in reply.buttons for b in row]
            for n, b in enumerate(self.buttons, 1):
                self._out(f"  {n}) {b.label}" + (f" <{b.url}>" if b.url else ""))


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
        if line.isdigit() and 1 <= int(line) <= len(self.channel.buttons):
            await self.press_button(self.channel.buttons[int(line) - 1])
        elif line.startswith("/file "):
            path_str, _, caption = line[6:].strip().partition(" ")
            data = await asyncio.to_thread(_read_file, path_str)
            name = Path(path_str).name
            if data is None:
                self.channel._out(f"No such file: {path_str}")
                return
            mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
            await self.upload(data, name, mime, caption)
        elif line.startswith("/"):
            name, _, args = line[1:].partition(" ")
            await self.dispatcher.handle(
                Command(self.who, TRANSPORT, name=name.lower(), args=args.strip()), self.channel
            )
        else:
            await self.dispatcher.handle(Text(self.who, TRANSPORT, text=line), self.channel)

    async def press_button(self, button: Button) -> None:
        if button.payload is None:
            self.channel._out(f"(link) {button.url}")
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


def _read_file(path_str: str) -> bytes | None:
    path = Path(path_str).expanduser()
    return path.read_bytes() if path.is_file() else None
