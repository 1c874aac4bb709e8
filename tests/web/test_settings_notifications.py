"""Notification preferences and the default caption style on the settings page: the
same core rows the chat and the notifier read."""

from __future__ import annotations

import pytest

from core.onboarding.service import Onboarding
from core.push import prefs
from core.texts import site as texts
from tests.fakes.web_signin import csrf_token, page_text, sign_in
from tests.web.test_settings_page import CHAT_ALICE


@pytest.fixture
async def signed_in(web, core):
    user_id = await sign_in(web, core, CHAT_ALICE)
    return web, user_id, await csrf_token(web)


async def _prefs(core, user_id: int) -> prefs.NoticePrefs:
    async with core.db.read() as session:
        return await prefs.load(session, user_id)


async def test_every_notice_goes_everywhere_until_changed(signed_in):
    web, _, _ = signed_in
    page = await page_text(await web.get("/settings"))
    for name in ("posted_chat", "failed_push", "removed_push"):
        assert f'name="{name}" checked' in page


async def test_unticked_boxes_are_saved_as_off(signed_in, core):
    web, user_id, token = signed_in
    resp = await web.post("/settings/notifications", allow_redirects=False, data={
        "csrf_token": token, "posted_chat": "on", "failed_chat": "on", "failed_push": "on",
        "removed_push": "on"})
    assert resp.headers["Location"] == "/settings?saved=notifications#notifications"
    saved = await _prefs(core, user_id)
    assert saved == prefs.NoticePrefs(posted_push=False, removed_chat=False)


async def test_the_page_shows_the_saved_choices(signed_in):
    web, _, token = signed_in
    resp = await web.post("/settings/notifications", data={"csrf_token": token,
                                                           "posted_push": "on"})
    page = await page_text(resp)
    assert "Saved." in page
    assert 'name="posted_push" checked' in page
    assert 'name="posted_chat">' in page


async def test_notification_choices_need_the_forms_token(signed_in, core):
    web, user_id, _ = signed_in
    resp = await web.post("/settings/notifications", data={"posted_chat": "on"})
    assert resp.status == 403
    assert await _prefs(core, user_id) == prefs.NoticePrefs()


async def test_a_default_style_saved_on_the_web_starts_the_next_caption_in_chat(signed_in,
                                                                                chat):
    web, _, token = signed_in
    await web.post("/settings/voice", data={"csrf_token": token, "style": "story"})
    await chat.send("/caption")
    setup = (await chat.send("me on a beach at sunset")).text
    assert "story style" in setup


async def test_the_style_chosen_in_chat_shows_on_the_web(signed_in, core):
    web, user_id, _ = signed_in
    async with core.db.session() as session:
        user = await core.users.get(session, user_id)
        await Onboarding(core.clock, core.events).update_profile(session, user,
                                                                 preferred_style="pov")
    page = await page_text(await web.get("/settings"))
    assert '<option value="pov" selected>' in page


async def test_an_unknown_style_is_explained_and_nothing_saved(signed_in, core):
    web, user_id, token = signed_in
    resp = await web.post("/settings/voice", data={"csrf_token": token, "style": "haiku"})
    assert resp.status == 422
    assert texts.PICK_STYLE in await page_text(resp)
    async with core.db.read() as session:
        user = await core.users.get(session, user_id)
        assert (await Onboarding(core.clock, core.events).profile(session, user)
                ).preferred_style is None
