"""Every live post is looked at after about 1 h, 6 h and 24 h; what Reddit shows is kept."""

from __future__ import annotations

from core.outcomes.checker import DONE
from core.posting.models import State
from core.reddit.models import AccountStatus, RedditAccount
from tests.core.outcomes.conftest import HOUR, checks_of, live_post
from tests.fakes.reddit_listings import set_stats


async def test_a_live_post_gets_checks_at_one_six_and_twenty_four_hours(
        core, posting, user, account, fake_reddit, subs, clock):
    await live_post(posting, user, account, fake_reddit)
    checks = await checks_of(core)
    assert [(c.label, c.not_before - clock.now()) for c in checks] == [
        ("1h", HOUR), ("6h", 6 * HOUR), ("24h", 24 * HOUR)]
    assert {c.state for c in checks} == {State.QUEUED}


async def test_nothing_is_looked_at_before_it_is_due(
        core, posting, user, account, fake_reddit, subs, clock, checker):
    await live_post(posting, user, account, fake_reddit)
    clock.advance(HOUR * 0.9)
    assert await checker.run_due() == 0


async def test_the_first_check_keeps_score_ratio_and_comments(
        core, posting, user, account, fake_reddit, subs, clock, checker):
    post = await live_post(posting, user, account, fake_reddit)
    set_stats(post, score=57, num_comments=4, upvote_ratio=0.93)
    clock.advance(HOUR)
    assert await checker.run_due() == 1
    first = (await checks_of(core))[0]
    assert (first.state, first.score, first.num_comments, first.upvote_ratio) == (
        DONE, 57, 4, 0.93)
    assert first.visible is True
    assert first.removed is None


async def test_each_checkpoint_records_the_numbers_at_its_age(
        core, posting, user, account, fake_reddit, subs, clock, checker):
    post = await live_post(posting, user, account, fake_reddit)
    for hours, score in ((1, 10), (6, 80), (24, 130)):
        clock.advance(hours * HOUR - (clock.now() - (await checks_of(core))[0].posted_at))
        set_stats(post, score=score)
        assert await checker.run_due() == 1
    assert [c.score for c in await checks_of(core)] == [10, 80, 130]


async def test_reddit_trouble_leaves_the_check_queued_for_later(
        core, posting, user, account, fake_reddit, subs, clock, checker):
    await live_post(posting, user, account, fake_reddit)
    clock.advance(HOUR)
    fake_reddit.outage.add("submission")
    await checker.run_due()
    first = (await checks_of(core))[0]
    assert (first.state, first.error, first.attempts) == (State.QUEUED, "reddit_unavailable", 1)
    fake_reddit.outage.clear()
    clock.advance(first.not_before - clock.now())
    assert await checker.run_due() == 1
    assert (await checks_of(core))[0].state == DONE


async def test_a_5xx_then_success_is_retried_once_by_our_backoff_not_inside_the_client(
        core, posting, user, account, fake_reddit, subs, clock, checker):
    await live_post(posting, user, account, fake_reddit)
    clock.advance(HOUR)
    fake_reddit.outage_next["submission"] = 1  # one bad answer, then Reddit is fine
    await checker.run_due()
    first = (await checks_of(core))[0]
    assert (first.state, first.attempts, fake_reddit.requests["submission"]) == (
        State.QUEUED, 1, 1)
    clock.advance(first.not_before - clock.now())
    assert await checker.run_due() == 1
    assert ((await checks_of(core))[0].state, fake_reddit.requests["submission"]) == (DONE, 2)


async def test_a_check_that_finds_the_account_revoked_marks_it_so(
        core, posting, user, account, fake_reddit, subs, clock, checker):
    await live_post(posting, user, account, fake_reddit)
    fake_reddit.revoke_all(account.username)  # the creator removed the app on Reddit
    clock.advance(HOUR)

    await checker.run_due()

    async with core.db.read() as session:
        found = await session.get(RedditAccount, account.id)
        assert found is not None
        assert found.status == AccountStatus.REVOKED
