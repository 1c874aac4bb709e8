"""/post's Best time never picks an hour the creator's plan can't queue: its hours are
bounded by the plan's scheduling horizon, and a time the plan refuses is said in
words, with the question open again (never "Something went wrong", never a chat stuck
"posting"). The chat driver, the real asyncpraw against the fake Reddit, a fake clock
(it starts Wed 25 Nov 2026, 12:00 UTC); the subreddit's busy hours are stored as if
read from Reddit earlier today."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.outcomes.models import SubredditActivity
from core.posting.service import PostingService
from core.reddit.client import Credentials
from core.texts import schedule as ts
from tests.fakes.reddit import make_jpeg

WED_14 = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)  # the subreddit's busy hour (London)


@pytest.fixture
def settings(make_settings, database_url, fake_reddit):
    return make_settings(database_url, reddit=fake_reddit.settings_section())


async def _creator(chat, core, fake_reddit):
    await chat.send("/start")
    async with core.db.session() as session:
        user = await core.users.find(session, "console", "alice")
        creds = Credentials("refresh", refresh_token=fake_reddit.issue_refresh_token("alice"))
        await core.reddit.accounts.save(session, user.id, "alice", creds, auth_kind="token")
    return user


async def _busy_on_wednesdays_at_14(core) -> None:
    """r/pics is busiest on Wednesdays 14:00-15:00 UTC, a week of its posts say."""
    posts = [[(WED_14 - timedelta(days=7) + timedelta(minutes=m)).timestamp(), 500.0]
             for m in range(0, 60, 5)]
    posts += [[(WED_14 - timedelta(days=d, hours=10)).timestamp(), 1.0] for d in range(7)]
    async with core.db.session() as session:
        session.add(SubredditActivity(subreddit="pics", posts={"posts": posts},
                                      fetched_at=core.clock.now()))


async def _ready(chat):
    await chat.send("/post")
    await chat.upload(make_jpeg())
    await chat.send("Sunday vibes")
    await chat.send("pics")
    return await chat.press("Done")


async def test_best_time_under_the_lead_away_is_not_taken_a_week_and_more_ahead(
        chat, core, fake_reddit, clock):
    """Wed 13:40: the busy hour, 14:00, is under the 30 min lead away, and its next turn
    (7 days 20 min ahead) is past the free plan's 7 days."""
    user = await _creator(chat, core, fake_reddit)
    fake_reddit.add_sub("pics")
    await _busy_on_wednesdays_at_14(core)
    clock.set(WED_14 - timedelta(minutes=20))
    await _ready(chat)

    await chat.press("Best time")
    await chat.press("London")

    [job] = await PostingService(core).list_jobs(user.id)
    assert job.due_at <= clock.now() + timedelta(days=7)
    assert chat.last.text.startswith("Scheduled:\n• r/pics:")
    assert fake_reddit.posts == []


async def test_a_best_time_the_plan_cannot_queue_is_refused_in_words_and_asked_again(
        chat, core, fake_reddit):
    """No hour fits a plan that schedules 0 days ahead: the horizon is said, nothing is
    queued, the draft is kept and a time is asked for (the chat is not left "posting")."""
    core.settings.posting.horizon_days = {"free": 0}
    user = await _creator(chat, core, fake_reddit)
    fake_reddit.add_sub("pics")
    await _ready(chat)

    await chat.press("Best time")
    reply = await chat.press("London")

    assert reply.text == ts.when_error("when_beyond_horizon",
                                       {"days": 0, "example": "in 3 days"})
    assert await PostingService(core).list_jobs(user.id) == []
    await chat.send("now")  # the question is open, and the draft still there
    assert [p.subreddit for p in fake_reddit.posts] == ["pics"]
