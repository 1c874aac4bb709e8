"""Outbound vocabulary: a reply is text, rows of buttons and an optional attachment."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.conversation.events import FileRef


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
