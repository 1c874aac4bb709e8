"""Settings on the web are the chat's settings: saved here, seen there at once (and back)."""

import pytest
from sqlalchemy import select

from core.captions.types import MAX_WORDS
from core.db.models import Event
from core.onboarding import TERMS_VERSION, Consent
from core.reddit.client import Credentials
from core.reddit.models import RedditPrefs
from core.texts import site as texts
from core.users import Who
from tests.fakes.web_signin import csrf_token, page_text, sign_in
from web.account.settings_form import MAX_LINK

CHAT_ALICE = Who("console", "alice", display_name="Alice")  # the ChatDriver's person


@pytest.fixture
async def signed_in(web, core):
    user_id = await sign_in(web, core, CHAT_ALICE)
    return web, user_id, await csrf_token(web)


async def test_captions_saved_on_the_web_show_in_the_chats_voice_card(signed_in, chat):
    web, _, token = signed_in
    resp = await web.post("/settings/voice", data={
        "csrf_token": token, "tone": "mysterious", "emoji_budget": "1",
        "banned_words": "cheap, Daddy,\ncheap", "promo_link": "linktr.ee/alice"},
        allow_redirects=False)
    assert resp.status == 303
    assert resp.headers["Location"] == "/settings?saved=voice#voice"
    card = (await chat.send("/voice")).text
    assert "cheap, Daddy" in card
    assert "https://linktr.ee/alice" in card
    assert "Mysterious" in card


async def test_a_change_in_the_chat_shows_on_the_web_page(signed_in, chat):
    web, _, _ = signed_in
    await chat.send("/voice")
    await chat.press("Banned words")
    await chat.send("sloppy")
    page = await page_text(await web.get("/settings"))
    assert ">sloppy</textarea>" in page


async def test_after_saving_the_page_says_saved(signed_in):
    web, _, token = signed_in
    resp = await web.post("/settings/voice", data={"csrf_token": token, "tone": "flirty"})
    assert resp.status == 200
    page = await page_text(resp)
    assert "Saved." in page
    assert 'role="status"' in page
    assert '<option value="flirty" selected>' in page


async def test_a_bad_link_keeps_what_was_typed_and_saves_nothing(signed_in, core):
    web, user_id, token = signed_in
    resp = await web.post("/settings/voice", data={
        "csrf_token": token, "banned_words": "cheap", "promo_link": "not a link"})
    assert resp.status == 422
    page = await page_text(resp)
    assert "Not saved yet" in page
    assert texts.PROMO_LINK_UNUSABLE in page
    assert 'value="not a link"' in page
    assert 'aria-invalid="true"' in page
    async with core.db.read() as session:
        user = await core.users.get(session, user_id)
        assert (await core.captions.get_voice(session, user)).banned_words == ()


async def test_too_many_banned_words_are_explained(signed_in):
    web, _, token = signed_in
    words = ", ".join(f"word{n}" for n in range(31))
    resp = await web.post("/settings/voice", data={"csrf_token": token, "banned_words": words})
    assert resp.status == 422
    assert texts.WORDS_TOO_MANY.format(limit=MAX_WORDS) in await page_text(resp)



async def test_every_refused_field_says_what_to_pick_in_the_catalogues_words(signed_in):
    web, _, token = signed_in
    voice = await web.post("/settings/voice", data={
        "csrf_token": token, "tone": "grumpy", "style": "haiku", "emoji_budget": "9",
        "promo_link": "linktr.ee/" + "x" * MAX_LINK})
    assert voice.status == 422
    page = await page_text(voice)
    for message in (texts.PICK_TONE, texts.PICK_STYLE, texts.PICK_EMOJI,
                    texts.PROMO_LINK_TOO_LONG.format(limit=MAX_LINK)):
        assert message in page
    posting = await web.post("/settings/posting", data={
        "csrf_token": token, "timezone": "UTC", "protect_level": "maximum"})
    assert posting.status == 422
    assert texts.PICK_PROTECTION in await page_text(posting)

async def test_adult_content_needs_the_18_plus_confirmation(signed_in, core):
    web, user_id, token = signed_in
    refused = await web.post("/settings/content", data={"csrf_token": token, "nsfw": "on"})
    assert refused.status == 422
    assert texts.CONFIRM_ADULT in await page_text(refused)
    ok = await web.post("/settings/content",
                        data={"csrf_token": token, "nsfw": "on", "adult": "on"})
    assert ok.status == 200
    async with core.db.read() as session:
        user = await core.users.get(session, user_id)
        assert user.adult_confirmed_at is not None
        assert user.may_see_nsfw
        consents = (await session.execute(select(Consent.kind, Consent.version, Consent.via)
                                          .where(Consent.user_id == user_id))).all()
    assert [tuple(c) for c in consents] == [("adult", TERMS_VERSION, "web")]


async def test_adult_content_can_be_turned_off_again(signed_in, core):
    web, user_id, token = signed_in
    await web.post("/settings/content", data={"csrf_token": token, "nsfw": "on", "adult": "on"})
    await web.post("/settings/content", data={"csrf_token": token})
    async with core.db.read() as session:
        assert not (await core.users.get(session, user_id)).nsfw_enabled


async def test_no_to_the_chats_age_question_is_seen_on_the_web(signed_in, core, chat):
    web, user_id, token = signed_in
    await web.post("/settings/content", data={"csrf_token": token, "nsfw": "on", "adult": "on"})
    await chat.send("/setup")
    await chat.press("NSFW")
    await chat.press("No")
    page = await page_text(await web.get("/settings"))
    assert "confirmed you're 18 or older" not in page
    refused = await web.post("/settings/content", data={"csrf_token": token, "nsfw": "on"})
    assert refused.status == 422
    assert texts.CONFIRM_ADULT in await page_text(refused)
    async with core.db.read() as session:
        assert not (await core.users.get(session, user_id)).may_see_nsfw


@pytest.mark.both_backends
async def test_time_zone_and_protection_level_are_saved(signed_in, core):
    web, user_id, token = signed_in
    resp = await web.post("/settings/posting", data={
        "csrf_token": token, "timezone": "Europe/Berlin", "protect_level": "heavy"})
    assert resp.status == 200
    async with core.db.read() as session:
        assert (await core.users.get(session, user_id)).timezone == "Europe/Berlin"
        assert (await session.get(RedditPrefs, user_id)).protect_level == "heavy"


@pytest.mark.both_backends
async def test_a_zone_saved_on_the_web_counts_as_chosen_even_utc(signed_in, core):
    web, user_id, token = signed_in
    resp = await web.post("/settings/posting", data={"csrf_token": token, "timezone": "UTC"})
    assert resp.status == 200
    async with core.db.read() as session:
        user = await core.users.get(session, user_id)
        assert await core.users.zone_chosen(session, user)  # scheduling won't ask again
        zones = list(await session.scalars(select(Event.data).where(
            Event.kind == "user.timezone_set", Event.user_id == user_id)))
    assert zones == [{"zone": "UTC"}]


@pytest.mark.parametrize("zone", ["Mars/Olympus", "../../etc/passwd", "/etc/localtime", "x"])
async def test_an_unknown_time_zone_is_explained(signed_in, core, zone):
    web, user_id, token = signed_in
    resp = await web.post("/settings/posting", data={"csrf_token": token, "timezone": zone})
    assert resp.status == 422
    assert texts.BAD_ZONE in await page_text(resp)
    async with core.db.read() as session:
        assert (await core.users.get(session, user_id)).timezone == "UTC"


async def test_a_form_without_its_token_changes_nothing(signed_in, core):
    web, user_id, _ = signed_in
    resp = await web.post("/settings/posting", data={"timezone": "Asia/Tokyo"})
    assert resp.status == 403
    assert "form has expired" in await page_text(resp)
    async with core.db.read() as session:
        assert (await core.users.get(session, user_id)).timezone == "UTC"


async def _connect(core, user_id, name):
    async with core.db.session() as session:
        account = await core.reddit.accounts.save(
            session, user_id, name, Credentials(kind="refresh", refresh_token="rt-secret"),
            auth_kind="token")
        return account.id


async def test_connected_reddit_accounts_are_listed_and_can_be_disconnected(signed_in, core):
    web, user_id, token = signed_in
    account_id = await _connect(core, user_id, "alice_posts")
    page = await page_text(await web.get("/settings"))
    assert "u/alice_posts" in page
    assert "rt-secret" not in page
    resp = await web.post(f"/settings/reddit/{account_id}/disconnect",
                          data={"csrf_token": token})
    assert resp.status == 200
    assert "disconnected" in await page_text(resp)
    async with core.db.read() as session:
        assert await core.reddit.accounts.list(session, user_id) == []


async def test_someone_elses_account_cannot_be_disconnected(signed_in, core):
    web, _, token = signed_in
    async with core.db.session() as session:
        bob, _ = await core.users.get_or_create(session, Who("telegram", "99"))
    bobs = await _connect(core, bob.id, "bob_posts")
    await web.post(f"/settings/reddit/{bobs}/disconnect", data={"csrf_token": token})
    async with core.db.read() as session:
        assert [a.username for a in await core.reddit.accounts.list(session, bob.id)] == [
            "bob_posts"]


async def test_the_page_offers_to_connect_reddit(signed_in):
    web, _, _ = signed_in
    page = await page_text(await web.get("/settings"))
    assert "/reddit/connect?t=" in page
