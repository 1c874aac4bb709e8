"""A post taken down is noticed by the next check and told to its creator once."""

from __future__ import annotations

from sqlalchemy import select

from core.outcomes.checker import DONE, REMOVED, RESTORED
from core.posting.models import OutboxMessage, State
from core.subreddits.bundled import bundled_rules
from core.texts.schedule import notice_text
from tests.core.outcomes.conftest import HOUR, checks_of, live_post
from tests.fakes.reddit_listings import set_stats


async def removal_notices(core) -> list[OutboxMessage]:
    async with core.db.session() as session:
        return list(await session.scalars(select(OutboxMessage).where(
            OutboxMessage.kind == REMOVED)))


async def first_check_after(posting, user, account, fake_reddit, clock, checker, **fate):
    """A live post whose fate on Reddit is `fate` (tests/fakes/reddit_listings.set_stats),
    looked at by its first check an hour later."""
    post = await live_post(posting, user, account, fake_reddit)
    set_stats(post, **fate)
    clock.advance(HOUR)
    await checker.run_due()


async def test_a_moderator_removal_is_told_once_with_the_subreddits_rules(
        core, posting, user, account, fake_reddit, subs, clock, checker):
    await first_check_after(posting, user, account, fake_reddit, clock, checker,
                            removed_by_category="moderator")
    [notice] = await removal_notices(core)
    assert notice.payload["reason"] == "moderator"
    assert notice.payload["subreddit"] == "pics"
    assert notice.payload["title"] == "Sunday mood"
    assert notice.payload["rules"] == list(bundled_rules("pics").rules[:3])
    assert notice.user_id == user.id


async def test_later_checks_of_a_removed_post_are_cancelled(
        core, posting, user, account, fake_reddit, subs, clock, checker):
    await first_check_after(posting, user, account, fake_reddit, clock, checker,
                            removed_by_category="moderator")
    assert [c.state for c in await checks_of(core)][1:] == [State.CANCELLED] * 2
    clock.advance(30 * HOUR)
    assert await checker.run_due() == 0
    assert len(await removal_notices(core)) == 1


async def test_a_text_post_emptied_to_removed_counts_as_removed(
        core, posting, user, account, fake_reddit, subs, clock, checker):
    await first_check_after(posting, user, account, fake_reddit, clock, checker,
                            selftext="[removed]")
    [notice] = await removal_notices(core)
    assert notice.payload["reason"] == "moderator"


async def test_a_post_only_its_author_can_see_is_the_spam_filter(
        core, posting, user, account, fake_reddit, subs, clock, checker):
    await first_check_after(posting, user, account, fake_reddit, clock, checker,
                            hidden=True)
    first = (await checks_of(core))[0]
    assert (first.visible, first.removed) == (False, "spam_filter")
    [notice] = await removal_notices(core)
    assert notice.payload["reason"] == "spam_filter"


async def test_a_post_the_creator_deleted_is_not_reported_as_removed(
        core, posting, user, account, fake_reddit, subs, clock, checker):
    await first_check_after(posting, user, account, fake_reddit, clock, checker,
                            removed_by_category="author")
    assert await removal_notices(core) == []
    assert [c.state for c in await checks_of(core)][1:] == [State.CANCELLED] * 2


async def test_two_checkers_at_once_tell_a_removal_once(
        core, posting, user, account, fake_reddit, subs, clock):
    import asyncio

    from core.outcomes.checker import OutcomeChecker

    post = await live_post(posting, user, account, fake_reddit)
    set_stats(post, removed_by_category="reddit")
    clock.advance(30 * HOUR)  # all three checks due at once
    one, two = OutcomeChecker(core), OutcomeChecker(core)
    await asyncio.gather(one.run_due(), two.run_due())
    assert len(await removal_notices(core)) == 1


async def test_a_filtered_post_a_moderator_approves_later_is_told_back_up_once(
        core, posting, user, account, fake_reddit, subs, clock, checker):
    post = await live_post(posting, user, account, fake_reddit)
    set_stats(post, removed_by_category="automod_filtered")
    clock.advance(HOUR)
    await checker.run_due()
    assert [c.state for c in await checks_of(core)][1:] == [State.QUEUED] * 2  # kept

    set_stats(post, removed_by_category=None, score=40)  # approved from the mod queue
    clock.advance(5 * HOUR)
    await checker.run_due()
    clock.advance(18 * HOUR)
    await checker.run_due()

    async with core.db.session() as session:
        kinds = list(await session.scalars(select(OutboxMessage.kind).order_by(
            OutboxMessage.id).where(OutboxMessage.kind.like("post_re%"))))
    assert kinds == [REMOVED, RESTORED]
    checks = await checks_of(core)
    assert [(c.state, c.removed) for c in checks] == [
        (DONE, "automod"), (DONE, None), (DONE, None)]


async def test_a_notice_that_a_post_is_back_up_names_it(core):
    said = notice_text(RESTORED, {"subreddit": "pics", "title": "Sunday mood",
                                  "link": "https://reddit.com/r/pics/x"})
    assert "Sunday mood" in said
    assert "r/pics" in said
    assert said.endswith("https://reddit.com/r/pics/x")
