"""A Telegram group is shared with everyone in it: a confirmed adult's adult options
are hidden there and an adult button pressed there is refused, as in a Discord channel
without an age restriction; in the private chat with the bot they work. The real
python-telegram-bot Application against the fake Bot API."""

from __future__ import annotations

from typing import Any

from core.texts import captions as caption_texts
from core.texts import common
from core.users import Who

GROUP = {"id": -100, "type": "group", "title": "Creators"}
CAPTION = "/caption red dress on a rooftop at sunset"


async def an_adult(core, user_id: int = 42) -> None:
    """A creator who confirmed 18+ and turned adult features on."""
    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("telegram", str(user_id), "Alice"))
        await core.users.confirm_adult(session, user)
        await core.users.set_nsfw(session, user, enabled=True)
        await core.users.mark_onboarded(session, user)


def labels(params: dict[str, Any]) -> list[str]:
    rows = (params.get("reply_markup") or {}).get("inline_keyboard") or []
    return [b["text"] for row in rows for b in row]


async def _setup_in(fake_telegram, group_id: int | None) -> Any:
    await fake_telegram.send_text(CAPTION, group_id=group_id)
    [setup, *_] = await fake_telegram.wait_for("sendMessage")
    return setup


async def test_adult_options_are_hidden_in_a_group(fake_telegram, telegram_bot, core):
    await an_adult(core)
    setup = await _setup_in(fake_telegram, group_id=-100)
    assert setup.params["text"]
    assert not any(label.startswith("🔞") for label in labels(setup.params))


async def test_adult_options_show_in_the_private_chat(fake_telegram, telegram_bot, core):
    await an_adult(core)
    setup = await _setup_in(fake_telegram, group_id=None)
    assert any(label.startswith("🔞") for label in labels(setup.params))


async def test_an_adult_button_pressed_in_a_group_is_refused(fake_telegram, telegram_bot, core):
    await an_adult(core)
    setup = await _setup_in(fake_telegram, group_id=None)
    spicy = next(b for row in setup.params["reply_markup"]["inline_keyboard"] for b in row
                 if b["text"] in (caption_texts.SPICY_ON, caption_texts.SPICY_OFF))
    in_the_group = {**setup.result, "chat": GROUP}  # the same keyboard, shown in a group
    await fake_telegram.press(in_the_group, spicy["callback_data"])
    [_, answer] = await fake_telegram.wait_for("sendMessage", 2)
    assert answer.params["text"] == common.NSFW_NOT_HERE
