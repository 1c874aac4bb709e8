"""/post's Schedule and Best time, and one photo spread over many subreddits: the chat
driver, the real asyncpraw against the fake Reddit, the posting engine, a fake clock
(it starts Wed 25 Nov 2026, 12:00 UTC)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.flows.post_zone import suggestions
from core.posting.service import PostingService
from core.reddit.client import Credentials
from core.texts import schedule as ts
from tests.fakes.reddit import make_jpeg


@pytest.fixture
def settings(make_settings, database_url, fake_reddit):
    return make_settings(database_url, reddit=fake_reddit.settings_section())


async def _creator(chat, core, fake_reddit, *, language=None):
    await chat.send("/start")
    async with core.db.session() as session:
        user = await core.users.find(session, "console", "alice")
        user.language = language
        creds = Credentials("refresh", refresh_token=fake_reddit.issue_refresh_token("alice"))
        await core.reddit.accounts.save(session, user.id, "alice", creds, auth_kind="token")
    return user


async def _ready(chat, subs, title="Sunday vibes"):
    await chat.send("/post")
    await chat.upload(make_jpeg())
    await chat.send(title)
    await chat.send(subs)
    return await chat.press("Done")


async def _jobs(core, user):
    return await PostingService(core).list_jobs(user.id)


async def test_first_schedule_asks_the_zone_then_reads_the_time_in_it(chat, core, fake_reddit):
    user = await _creator(chat, core, fake_reddit)
    fake_reddit.add_sub("pics")
    await _ready(chat, "pics")
    reply = await chat.press("Schedule")
    assert reply.text == ts.ASK_ZONE
    await chat.press("Berlin")
    assert "Europe/Berlin" in chat.texts[-2]
    assert "Europe/Berlin" in chat.last.text  # the time question names the zone
    reply = await chat.send("tomorrow 9pm")
    assert reply.text.startswith("Scheduled:\n• r/pics: Thu 26 Nov, 21:00")
    [job] = await _jobs(core, user)
    assert job.due_at == datetime(2026, 11, 26, 20, 0, tzinfo=UTC)  # 21:00 in Berlin (CET)
    assert fake_reddit.posts == []


async def test_the_zone_is_asked_only_once(chat, core, fake_reddit):
    await _creator(chat, core, fake_reddit)
    fake_reddit.add_sub("pics")
    await _ready(chat, "pics")
    await chat.press("Schedule")
    await chat.press("New York")
    await chat.send("in 2h")
    await _ready(chat, "pics", title="Another one")
    reply = await chat.press("Schedule")
    assert reply.text == ts.ASK_WHEN.format(zone="America/New_York")


async def test_a_zone_can_be_typed_by_its_name(chat, core, fake_reddit):
    user = await _creator(chat, core, fake_reddit)
    fake_reddit.add_sub("pics")
    await _ready(chat, "pics")
    await chat.press("Schedule")
    refused = await chat.send("Mars/Olympus")
    assert "Mars/Olympus" in refused.text
    assert "Europe/Berlin" in refused.text
    await chat.send("asia/tokyo")
    await chat.send("fri 18:30")
    [job] = await _jobs(core, user)
    assert job.due_at == datetime(2026, 11, 27, 9, 30, tzinfo=UTC)  # 18:30 in Tokyo


@pytest.mark.parametrize(("typed", "code"), [("whenever you like", "when_unreadable"),
                                             ("2026-11-01 10:00", "when_past")])
async def test_an_unreadable_or_past_time_is_refused_with_an_example_and_never_posted(
        chat, core, fake_reddit, typed, code):
    user = await _creator(chat, core, fake_reddit)
    fake_reddit.add_sub("pics")
    await _ready(chat, "pics")
    await chat.press("Schedule")
    await chat.press("London")
    reply = await chat.send(typed)
    assert "tomorrow 9pm" in reply.text
    assert reply.text.startswith(ts.WHEN_ERRORS[code].split("{")[0][:10])
    assert fake_reddit.posts == []
    assert await _jobs(core, user) == []
    reply = await chat.send("in 3h")  # the question is still open
    assert reply.text.startswith("Scheduled:")


def test_the_language_only_orders_the_zone_suggestions():
    assert suggestions("de")[0] == "Europe/Berlin"
    assert suggestions("pt-BR")[0] == "America/Sao_Paulo"
    assert set(suggestions("en")) == set(suggestions(None))
    assert "UTC" in suggestions("de")


async def test_a_telegram_style_language_puts_its_zone_first(chat, core, fake_reddit):
    await _creator(chat, core, fake_reddit, language="de")
    fake_reddit.add_sub("pics")
    await _ready(chat, "pics")
    reply = await chat.press("Schedule")
    assert reply.buttons[0].label.startswith("Berlin")


async def test_best_time_is_explained_and_picks_the_subreddits_default(chat, core, fake_reddit):
    user = await _creator(chat, core, fake_reddit)
    fake_reddit.add_sub("pics")
    await _ready(chat, "pics")
    await chat.press("Best time")
    await chat.press("London")
    assert ts.BEST_TIME_IS.format(sfw_hour=9, nsfw_hour=22) in chat.texts
    [job] = await _jobs(core, user)
    # safe for work: the next 09:00 in New York; at noon UTC it is 07:00 there
    assert job.due_at == datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
    assert chat.last.text.startswith("Scheduled:\n• r/pics: Wed 25 Nov, 14:00")


async def test_a_scheduled_post_goes_live_when_due_through_the_engine(
        chat, core, fake_reddit, clock):
    user = await _creator(chat, core, fake_reddit)
    fake_reddit.add_sub("pics")
    await _ready(chat, "pics")
    await chat.press("Schedule")
    await chat.press("London")
    await chat.send("in 2h")
    service = PostingService(core)
    assert await service.run_due() == 0  # not yet
    clock.advance(timedelta(hours=2))
    assert await service.run_due() == 1
    assert [p.title for p in fake_reddit.posts] == ["Sunday vibes"]
    [job] = await service.list_jobs(user.id, include_done=True)
    assert job.targets[0].state == "posted"


# -- one photo, many subreddits ---------------------------------------------------------
async def test_one_photo_to_three_subreddits_is_spread_out_and_says_why(
        chat, core, fake_reddit):
    user = await _creator(chat, core, fake_reddit)
    for name in ("pics", "selfie", "cats"):
        fake_reddit.add_sub(name)
    await _ready(chat, "pics selfie cats")
    reply = await chat.press("Post now")
    assert "can look like spam" in reply.text
    assert "12 h apart" in reply.text
    await chat.press("Spread them out")
    assert [p.subreddit for p in fake_reddit.posts] == ["pics"]
    assert any(text.startswith("Live on r/pics") for text in chat.texts)
    assert "r/selfie is scheduled for Thu 26 Nov, 00:00 (see /queue)." in chat.texts
    [job] = await _jobs(core, user)
    assert [t.due_at - job.targets[0].due_at for t in job.targets] == [
        timedelta(0), timedelta(hours=12), timedelta(hours=24)]


async def test_spacing_can_be_overridden(chat, core, fake_reddit):
    await _creator(chat, core, fake_reddit)
    for name in ("pics", "selfie", "cats"):
        fake_reddit.add_sub(name)
    await _ready(chat, "pics selfie cats")
    await chat.press("Post now")
    await chat.press("All at once anyway")
    assert sorted(p.subreddit for p in fake_reddit.posts) == ["cats", "pics", "selfie"]
    assert chat.last.text.startswith("Live on r/")


async def test_two_subreddits_need_no_spacing(chat, core, fake_reddit):
    await _creator(chat, core, fake_reddit)
    fake_reddit.add_sub("pics")
    fake_reddit.add_sub("selfie")
    await _ready(chat, "pics selfie")
    await chat.press("Post now")
    assert [p.subreddit for p in fake_reddit.posts] == ["pics", "selfie"]


async def test_a_scheduled_time_that_passed_while_asked_about_spacing_is_refused(
        chat, core, fake_reddit, clock):
    user = await _creator(chat, core, fake_reddit)
    for name in ("pics", "selfie", "cats"):
        fake_reddit.add_sub(name)
    await _ready(chat, "pics selfie cats")
    await chat.press("Schedule")
    await chat.press("London")
    assert "can look like spam" in (await chat.send("in 2h")).text
    clock.advance(timedelta(hours=3))
    reply = await chat.press("Spread them out")
    assert reply.text.startswith("Wed 25 Nov, 14:00 has already passed")
    assert await _jobs(core, user) == []
    assert fake_reddit.posts == []
    assert "can look like spam" in (await chat.send("in 1h")).text
    reply = await chat.press("Spread them out")
    assert reply.text.startswith("Scheduled:\n• r/pics: Wed 25 Nov, 16:00\n"
                                 "• r/selfie: Thu 26 Nov, 04:00")
