"""Best time from real data: the crowd's activity read from (fake) Reddit and stored,
the creator's own outcomes taking over as they build up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from core.outcomes.besttime_service import BestTimeService
from core.outcomes.checker import DONE
from core.outcomes.models import PostCheck
from tests.core.outcomes.conftest import text_job
from tests.fakes.reddit_listings import seed_posts

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(day: int, hour: int, weeks_back: int = 0) -> datetime:
    """`hour` on Berlin's wall clock, day 0 = Mon 23 Nov 2026 (the fake clock starts
    Wed 25 Nov, 12:00 UTC), `weeks_back` weeks earlier (summer time included)."""
    wall = datetime(2026, 11, 23 + day, hour, tzinfo=BERLIN) - timedelta(weeks=weeks_back)
    return wall.astimezone(UTC)  # aware arithmetic keeps the wall clock: 18:00 stays 18:00


def busy_saturday_evenings(fake_reddit, sub="pics"):
    seed_posts(fake_reddit, sub, [(berlin(5, 20, w).timestamp(), 900) for w in range(1, 4)]
               + [(berlin(d, 4, 1).timestamp(), 2) for d in range(7)])


async def test_the_subreddits_activity_decides_before_the_creator_has_history(
        core, user, fake_reddit, subs):
    busy_saturday_evenings(fake_reddit)
    plan = await BestTimeService(core).plan(user.id, "pics", nsfw=False, tz=BERLIN)
    assert plan.source == "crowd"
    best = max(plan.slots, key=lambda s: s.lift)
    assert best.at.astimezone(BERLIN).strftime("%a %H") == "Sat 20"
    assert best.busy


async def test_activity_is_read_once_a_day_and_shared(core, user, fake_reddit, subs, clock):
    busy_saturday_evenings(fake_reddit)
    service = BestTimeService(core)
    await service.plan(user.id, "pics", nsfw=False, tz=BERLIN)
    await BestTimeService(core).plan(user.id + 1, "PICS", nsfw=False, tz=BERLIN)
    assert fake_reddit.requests["top"] == 1
    clock.advance(timedelta(hours=25))
    await service.plan(user.id, "pics", nsfw=False, tz=BERLIN)
    assert fake_reddit.requests["top"] == 2


async def test_reddit_down_falls_back_to_the_documented_default(core, user, fake_reddit, subs):
    fake_reddit.outage.update({"top", "top_slash", "new", "new_slash"})
    plan = await BestTimeService(core).plan(user.id, "pics", nsfw=False, tz=BERLIN)
    assert plan.source == "default"
    assert [s.at.astimezone(ZoneInfo("America/New_York")).hour for s in plan.slots] == [9] * 3


async def test_the_creators_own_outcomes_take_over(
        core, posting, user, account, fake_reddit, subs):
    busy_saturday_evenings(fake_reddit)  # the crowd says Saturday evening …
    async with core.db.session() as session:  # a plan with room for 20 posts a day
        (await core.users.get(session, user.id)).tier = "premium"
    jobs = [await text_job(posting, user, account, ("pics", f"Post {n}"))
            for n in range(20)]
    async with core.db.session() as session:  # … 20 of her posts say Thursday 18h
        for n, job in enumerate(jobs):
            [target] = job.targets
            good = n % 2 == 0
            posted = berlin(3 if good else 5, 18 if good else 20, weeks_back=n // 2 + 1)
            session.add(PostCheck(
                target_id=target.id, user_id=user.id, account_id=account.id, reddit_id=f"r{n}",
                subreddit="pics", title="t", label="24h", posted_at=posted,
                not_before=posted, state=DONE, attempts=1, checked_at=posted,
                score=200 if good else 5, updated_at=posted))
    plan = await BestTimeService(core).plan(user.id, "pics", nsfw=False, tz=BERLIN)
    assert (plan.source, plan.own_posts) == ("own", 20)
    best = max(plan.slots, key=lambda s: s.lift)
    assert best.at.astimezone(BERLIN).strftime("%a %H") == "Thu 18"
    assert best.own_lift is not None
    assert best.own_lift > 1.5  # 201/103.5 at her median, shrunk a little
