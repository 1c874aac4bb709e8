"""Inbound events: what any transport can tell a flow.

Adapters translate platform updates into these; flows never see a Telegram or Discord
object.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.users import Who


@dataclass(frozen=True)
class FileRef:
    """A file the user uploaded, addressed the transport's way (download on demand)."""

    transport: str
    file_id: str
    filename: str | None = None
    mime_type: str | None = None
    size: int | None = None
    is_photo: bool = False


@dataclass(frozen=True)
class Inbound:
    sender: Who
    chat_id: str


@dataclass(frozen=True)
class Command(Inbound):
    name: str = ""
    args: str = ""


@dataclass(frozen=True)
class Text(Inbound):
    text: str = ""


@dataclass(frozen=True)
class ButtonPress(Inbound):
    payload: str = ""


@dataclass(frozen=True)
class Upload(Inbound):
    file: FileRef = field(default_factory=lambda: FileRef("", ""))
    caption: str = ""


@dataclass(frozen=True)
class Press:
    """A decoded, verified button press handed to a flow."""

    flow: str
    action: str
    args: tuple[str, ...] = ()
