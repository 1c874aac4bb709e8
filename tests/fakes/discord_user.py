"""A person on Discord, through the fake: slash commands, DMs (text and photos), and
buttons or select options chosen by their label; in a server channel, typing goes
through the "Type an answer" modal, as the bot asks there.

Reads what discord.py really put on the wire (followups, channel messages and their
edits), so a journey test sees exactly what a person would.
"""

from __future__ import annotations

from typing import Any

from tests.fakes.discord import Call, FakeDiscord

CEILING = 60.0  # seconds: a loaded machine's bound, never a speed assertion


def shown(call: Call) -> bool:
    """A message the bot sent or edited (not an acknowledgement, not a login call)."""
    parts = call.path.strip("/").split("/")
    if call.method == "POST":
        return (parts[0] == "webhooks" and len(parts) == 3) or (
            parts[0] == "channels" and parts[-1] == "messages")
    if call.method == "PATCH":
        return parts[0] in ("webhooks", "channels") and "messages" in parts
    return False


def content(call: Call) -> str:
    body = call.body if isinstance(call.body, dict) else {}
    return str(body.get("content") or "")


def is_private(call: Call) -> bool:
    """Sent ephemeral: only the person who asked sees it."""
    body = call.body if isinstance(call.body, dict) else {}
    return bool(int(body.get("flags") or 0) & 64)


def components(call: Call) -> list[dict[str, Any]]:
    """Every component (buttons, select menus) of the message `call` sent."""
    body = call.body if isinstance(call.body, dict) else {}
    return [c for row in body.get("components") or [] for c in row["components"]]


def labels(call: Call) -> list[str]:
    """Button labels and select option labels, in order."""
    out: list[str] = []
    for c in components(call):
        if c.get("type") == 3:
            out += [o["label"] for o in c["options"]]
        else:
            out.append(c["label"])
    return out


class DiscordUser:
    def __init__(self, fake: FakeDiscord, user_id: int = 42, *, guild: bool = False,
                 nsfw: bool = False) -> None:
        self.fake = fake
        self.user_id = user_id
        self.where: dict[str, Any] = {"guild": guild, "nsfw": nsfw}
        self._seen = 0

    def said(self) -> list[Call]:
        return [c for c in self.fake.calls if shown(c)]

    async def expect(self, fragment: str, within: float = CEILING) -> Call:
        """Wait for a new message (or edit) containing `fragment`; returns that call.
        Messages before it count as seen."""
        found: list[Call] = []

        def check() -> bool:
            for n, call in enumerate(self.said()[self._seen:], start=self._seen):
                if fragment in content(call):
                    self._seen = n + 1
                    found.append(call)
                    return True
            return False

        try:
            await self.fake.wait_until(check, within)
        except TimeoutError:
            texts = [content(c) for c in self.said()[self._seen:]]
            raise AssertionError(f"bot never said {fragment!r}; it said {texts}") from None
        return found[0]

    async def command(self, name: str, text: str | None = None) -> dict[str, Any]:
        options = [] if text is None else [{"name": "text", "type": 3, "value": text}]
        return await self.fake.slash(name, options, user_id=self.user_id, **self.where)

    async def say(self, text: str) -> None:
        """Type a line: a DM message, or in a server the answer modal's text."""
        if self.where["guild"]:
            from bot.discord.render import ANSWER_ID

            await self.fake.submit_modal(ANSWER_ID, {"text": text}, user_id=self.user_id,
                                         **self.where)
        else:
            await self.fake.dm(text, user_id=self.user_id)

    async def send_photo(self, data: bytes, caption: str = "") -> dict[str, Any]:
        """A photo: attached to a DM, or through /upload in a server. Its attachment."""
        photo = self.fake.store_attachment(data)
        if self.where["guild"]:
            await self.fake.slash("upload", [{"name": "photo", "type": 11, "value": photo["id"]}],
                                  user_id=self.user_id, attachments=[photo], **self.where)
        else:
            await self.fake.dm(caption, user_id=self.user_id, attachments=[photo])
        return photo

    async def tap(self, call: Call, label: str) -> dict[str, Any]:
        """Press the button labelled `label` on the message `call` sent, or choose that
        option of its select menu. Returns the interaction."""
        message = call.result if isinstance(call.result, dict) else {}
        for c in components(call):
            if c.get("type") == 2 and c.get("label") == label and c.get("custom_id"):
                return await self.fake.press(message, c["custom_id"], user_id=self.user_id,
                                             **self.where)
            for option in c.get("options") or []:
                if option["label"] == label:
                    return await self.fake.select(message, c["custom_id"], [option["value"]],
                                                  user_id=self.user_id, **self.where)
        raise AssertionError(f"no button {label!r}; buttons are {labels(call)}")

    @staticmethod
    def url_of(call: Call, label: str) -> str:
        for c in components(call):
            if c.get("label") == label and c.get("url"):
                return str(c["url"])
        raise AssertionError(f"no link button {label!r}; buttons are {labels(call)}")
