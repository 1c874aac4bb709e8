"""/voice through the in-process chat driver: what a creator sets there shapes /caption."""

from __future__ import annotations

import re

from core.captions.models import CaptionVoiceRecord
from core.captions.textutil import count_emoji
from tests.fakes.chat import ChatDriver

DESCRIPTION = "red dress, rooftop at sunset"
LINK = "https://linktr.ee/alice"


def options(text: str) -> list[str]:
    """Each option of an options message, title and body ("1. title\\n\\nbody")."""
    return [part.strip() for part in re.split(r"^\d\. ", text, flags=re.MULTILINE)[1:]]


async def set_in_voice(chat: ChatDriver, button: str, text: str):
    await chat.send("/voice")
    await chat.press(button)
    return await chat.send(text)


async def write(chat: ChatDriver, description: str = DESCRIPTION) -> list[str]:
    await chat.send(f"/caption {description}")
    return options((await chat.press("Write captions")).text)


async def test_voice_shows_the_defaults_and_a_button_per_setting(chat):
    reply = await chat.send("/voice")
    assert "Tone: Playful" in reply.text
    assert "Emoji: up to 2 per caption" in reply.text
    assert "Banned words: none" in reply.text
    assert "Promo link: none" in reply.text
    assert [b.label for b in reply.buttons] == [
        "Emoji 0", "Emoji 1", "✓ Emoji 2", "Emoji 3", "🚫 Banned words", "🙅 Phrases to avoid",
        "🔗 Promo link", "🎭 Default tone",
    ]


async def test_voice_shows_what_the_creator_set(chat):
    await set_in_voice(chat, "Banned words", "baby, Cutie ,baby")
    await set_in_voice(chat, "Phrases to avoid", "new post")
    await set_in_voice(chat, "Promo link", LINK)
    await chat.press("Emoji 1")
    await chat.press("Default tone")
    await chat.press("Mysterious")
    reply = await chat.send("/voice")
    assert "Tone: Mysterious" in reply.text
    assert "Emoji: up to 1 per caption" in reply.text
    assert "Banned words: baby, Cutie" in reply.text
    assert "Phrases to avoid: new post" in reply.text
    assert f"Promo link: {LINK}" in reply.text
    assert "✓ Emoji 1" in [b.label for b in reply.buttons]


async def test_none_clears_banned_words(chat):
    await set_in_voice(chat, "Banned words", "baby")
    reply = await set_in_voice(chat, "Banned words", "none")
    assert "Banned words: none" in reply.text


async def test_banned_words_never_appear_in_captions(chat):
    words = {w.lower() for text in await write(chat) for w in re.findall(r"[A-Za-z]{4,}", text)}
    banned = sorted(words & {"dress", "rooftop", "sunset", "golden", "view", "city"})[:3]
    assert banned  # the writer used some of them before the ban
    await set_in_voice(chat, "Banned words", ", ".join(banned))
    for option in await write(chat):
        assert not any(re.search(rf"\b{word}", option, re.IGNORECASE) for word in banned)


async def test_emoji_budget_zero_gives_captions_without_emoji(chat):
    await chat.send("/voice")
    await chat.press("Emoji 0")
    seen = await write(chat)
    seen += options((await chat.press("New options")).text)
    seen += options((await chat.press("Longer")).text)
    assert len(seen) == 9
    assert all(count_emoji(option) == 0 for option in seen)


async def test_phrases_to_avoid_never_appear(chat):
    first = await write(chat)
    phrase = " ".join(re.findall(r"[A-Za-z']+", first[0])[:2])
    await set_in_voice(chat, "Phrases to avoid", phrase)
    again = await write(chat)
    assert len(again) == 3
    assert all(phrase.lower() not in option.lower() for option in again)


async def test_an_invalid_promo_link_is_explained_and_not_saved(chat, core):
    reply = await set_in_voice(chat, "Promo link", "my onlyfans page")
    assert "https://" in reply.text
    assert "can't use that" in reply.text
    card = await chat.send("/voice")
    assert "Promo link: none" in card.text
    async with core.db.session() as session:
        user = await core.users.find(session, "console", "alice")
        assert await session.get(CaptionVoiceRecord, user.id) is None


async def test_saved_link_is_in_every_caption_with_my_link(chat):
    await set_in_voice(chat, "Promo link", "linktr.ee/alice")
    await chat.send(f"/caption {DESCRIPTION}")
    subtle = await chat.press("Promo: off")
    assert "subtle promo" in subtle.text
    explicit = await chat.press("Promo: subtle")
    assert "promo with your link" in explicit.text
    written = options((await chat.press("Write captions")).text)
    assert len(written) == 3
    assert all(LINK in option for option in written)


async def test_without_a_link_promo_offers_subtle_and_a_hint(chat):
    await chat.send(f"/caption {DESCRIPTION}")
    subtle = await chat.press("Promo: off")
    assert "/voice" in subtle.text
    off = await chat.press("Promo: subtle")
    assert "📣 Promo: off" in [b.label for b in off.buttons]


async def test_a_tone_picked_in_caption_starts_the_next_session(chat):
    await chat.send(f"/caption {DESCRIPTION}")
    await chat.press("Tone: Playful")
    picked = await chat.press("Confident")
    assert "confident tone" in picked.text
    await chat.send("/cancel")
    setup = await chat.send("/caption black lace, candlelight")
    assert "confident tone" in setup.text
    card = await chat.send("/voice")
    assert "Tone: Confident" in card.text
