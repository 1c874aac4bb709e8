"""Inbound events: what any transport can tell a flow.

Adapters translate platform updates into these; flows never see a Telegram or Discord
object.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TypeVar

from core.users import Who

E = TypeVar("E", bound="Inbound")


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
    # Whether adult content may be shown where this event came from: a private chat, or
    # an age-restricted (NSFW) channel. A shared channel without that mark is not, even
    # for a confirmed adult (`FlowContext.nsfw_ok`). Keyword-only: subclasses keep their
    # positional fields.
    adult_place: bool = field(default=True, kw_only=True)
    # The platform's own id of this event (a Telegram callback query's id, a message's
    # chat and id, a Discord interaction's id), the same however often it is delivered
    # or processed; None where there is none (the terminal). Keys a charge the event
    # makes, so an update processed twice charges once (`FlowContext.charge_key`).
    event_id: str | None = field(default=None, kw_only=True)


@dataclass(frozen=True)
class Command(Inbound):
    name: str = ""
    args: str = ""


@dataclass(frozen=True)
class Text(Inbound):
    text: str = ""
    # The id of the message this one replies to, where the platform says (Telegram's
    # reply_to_message); the dispatcher offers such replies to `TakesReplies` first.
    reply_to: str | None = field(default=None, kw_only=True)


@dataclass(frozen=True)
class ButtonPress(Inbound):
    payload: str = ""


@dataclass(frozen=True)
class Upload(Inbound):
    file: FileRef = field(default_factory=lambda: FileRef("", ""))
    caption: str = ""


@dataclass(frozen=True)
class PaymentCheck(Inbound):
    """The platform asks whether to take a payment now (Telegram's pre-checkout query):
    it must be answered with `answer_payment_check` on the channel, within seconds."""

    query_id: str = ""
    payload: str = ""  # the invoice payload we signed when the invoice was made
    currency: str = ""
    amount: int = 0


@dataclass(frozen=True)
class PaymentDone(Inbound):
    """A payment went through (Telegram's successful_payment, a renewal included)."""

    charge_id: str = ""  # unique per payment: the key that makes granting idempotent
    payload: str = ""
    currency: str = ""
    amount: int = 0
    expires_at: datetime | None = None  # end of the paid subscription period
    recurring: bool = False


@dataclass(frozen=True)
class Press:
    """A decoded, verified button press handed to a flow."""

    flow: str
    action: str
    args: tuple[str, ...] = ()


def clean_text(text: str) -> str:
    """Inbound text as it may be stored: without NUL (PostgreSQL refuses it in text, C
    libraries end a string at it) and without lone surrogates (not encodable as UTF-8,
    so not storable either). Other control characters are kept and neutralised where
    text is shown (a terminal), since only the output side knows what is dangerous."""
    text = text.replace("\x00", "")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def _clean_opt(text: str | None) -> str | None:
    return None if text is None else clean_text(text)


def cleaned(event: E) -> E:
    """`event` with every person-written string passed through `clean_text`.

    The dispatcher applies it to every event, so no adapter can forget it.
    """
    sender = replace(event.sender, display_name=_clean_opt(event.sender.display_name),
                     username=_clean_opt(event.sender.username))
    changes: dict[str, object] = {"sender": sender, "chat_id": clean_text(event.chat_id)}
    if isinstance(event, Text):
        changes["text"] = clean_text(event.text)
    elif isinstance(event, Command):
        changes.update(name=clean_text(event.name), args=clean_text(event.args))
    elif isinstance(event, ButtonPress):
        changes["payload"] = clean_text(event.payload)
    elif isinstance(event, Upload):
        changes["caption"] = clean_text(event.caption)
        changes["file"] = replace(event.file, filename=_clean_opt(event.file.filename),
                                  mime_type=_clean_opt(event.file.mime_type))
    return replace(event, **changes)  # type: ignore[arg-type]
