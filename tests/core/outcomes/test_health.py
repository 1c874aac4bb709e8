"""/health's core: the account as everyone else sees it, plus its recent removals."""

from __future__ import annotations

from core.outcomes import health
from core.outcomes.health import HealthService
from tests.core.outcomes.conftest import HOUR, live_post
from tests.fakes.reddit_listings import set_stats


async def test_a_visible_account_without_removals_is_healthy(core, user, account):
    [report] = await HealthService(core).check_user(user.id)
    assert (report.username, report.verdict) == ("alice", health.OK)


async def test_a_profile_nobody_else_can_see_is_a_shadowban(core, user, account, fake_reddit):
    fake_reddit.shadowbanned.add("alice")
    [report] = await HealthService(core).check_user(user.id)
    assert report.verdict == health.SHADOWBANNED


async def test_a_suspended_account_says_so(core, user, account, fake_reddit):
    fake_reddit.suspended.add("alice")
    [report] = await HealthService(core).check_user(user.id)
    assert report.verdict == health.SUSPENDED


async def test_recent_removals_make_a_visible_account_filtered(
        core, posting, user, account, fake_reddit, subs, clock, checker):
    post = await live_post(posting, user, account, fake_reddit, sub="selfie")
    set_stats(post, hidden=True)
    clock.advance(HOUR)
    await checker.run_due()
    [report] = await HealthService(core).check_user(user.id)
    assert (report.verdict, report.hidden_in, report.removed) == (
        health.FILTERED, ("selfie",), {"spam_filter": 1})


async def test_reddit_down_is_unknown_not_healthy(core, user, account, fake_reddit):
    fake_reddit.outage.add("user_about_slash")
    fake_reddit.outage.add("user_about")
    [report] = await HealthService(core).check_user(user.id)
    assert report.verdict == health.UNKNOWN


async def test_no_account_means_no_reports(core, user):
    assert await HealthService(core).check_user(user.id) == []


async def notices_of(core, kind):
    from sqlalchemy import select

    from core.posting.models import OutboxMessage

    async with core.db.session() as session:
        return list(await session.scalars(select(OutboxMessage).where(
            OutboxMessage.kind == kind)))


async def test_the_periodic_check_tells_a_shadowbanned_creator_once_a_day(
        core, posting, user, account, fake_reddit, subs, clock):
    await live_post(posting, user, account, fake_reddit)
    fake_reddit.shadowbanned.add("alice")
    service = HealthService(core)
    assert await service.sweep() == 1
    await service.sweep()  # the same day: no second message
    [notice] = await notices_of(core, health.NOTICE)
    assert (notice.user_id, notice.payload["verdict"]) == (user.id, health.SHADOWBANNED)
    clock.advance(24 * HOUR)
    await service.sweep()
    assert len(await notices_of(core, health.NOTICE)) == 2


async def test_the_periodic_check_leaves_healthy_and_idle_accounts_alone(
        core, posting, user, account, fake_reddit, subs, clock):
    await live_post(posting, user, account, fake_reddit)
    assert await HealthService(core).sweep() == 0
    fake_reddit.shadowbanned.add("alice")
    clock.advance(8 * 24 * HOUR)  # no post in the last week: not swept
    assert await HealthService(core).sweep() == 0
    assert await notices_of(core, health.NOTICE) == []


async def test_a_spent_reddit_budget_is_unknown_without_asking_reddit(
        core, user, account, fake_reddit):
    service = HealthService(core)
    await service.budget.reserve(service.budget.per_minute)  # other processes spent it
    fake_reddit.suspended.add("alice")  # would show, if the profile were read
    [report] = await service.check_user(user.id)
    assert report.verdict == health.UNKNOWN
