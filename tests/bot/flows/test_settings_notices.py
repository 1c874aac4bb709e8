"""/settings → 🔔 Notifications in the chat: the same choices as the web page, both ways."""

from __future__ import annotations

from core.push import prefs
from tests.fakes.web_signin import csrf_token, page_text, sign_in
from tests.web.test_settings_page import CHAT_ALICE


async def test_a_choice_switched_in_the_chat_shows_on_the_web(chat, web, core):
    await chat.send("/settings")
    card = await chat.press("🔔 Notifications")
    assert "Live · 💬 chat: on" in [b.label for b in card.buttons]
    await chat.press("Live · 💬 chat: on")
    user_id = await sign_in(web, core, CHAT_ALICE)
    async with core.db.read() as session:
        assert not (await prefs.load(session, user_id)).posted_chat
    page = await page_text(await web.get("/settings"))
    assert 'name="posted_chat">' in page


async def test_a_choice_saved_on_the_web_shows_in_the_chat(chat, web, core):
    await chat.send("/start")
    await sign_in(web, core, CHAT_ALICE)
    await web.post("/settings/notifications", data={
        "csrf_token": await csrf_token(web), "posted_chat": "on"})
    await chat.send("/settings")
    card = await chat.press("🔔 Notifications")
    labels = [b.label for b in card.buttons]
    assert "Failed · 📱 device: off" in labels
    assert "Live · 💬 chat: on" in labels


async def test_back_returns_to_the_settings_card(chat):
    await chat.send("/settings")
    await chat.press("🔔 Notifications")
    card = await chat.press("⬅️ Settings")
    assert "Your settings" in card.text
