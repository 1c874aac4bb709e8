"""The engagement score in use: the baseline first, the creator's own refit once their
day-one numbers are in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from core.outcomes.checker import DONE
from core.outcomes.engagement import EngagementService
from core.outcomes.models import PostCheck
from tests.core.outcomes.conftest import text_job

UTC_ZONE = ZoneInfo("UTC")
EVENING = datetime(2026, 11, 26, 21, 0, tzinfo=UTC)


async def test_a_new_creator_gets_the_transparent_baseline_with_reasons(core, user):
    scored = await EngagementService(core).score(
        user.id, "pics", "Who else loves golden hour on a rooftop?", at=EVENING, tz=UTC_ZONE,
        images=1)
    assert scored.fitted_on == 0
    assert 0 <= scored.score <= 100
    assert "question" in [r.feature for r in scored.reasons]


async def test_day_one_numbers_refit_the_creators_model(core, posting, user, account, subs):
    async with core.db.session() as session:  # room for two dozen posts a day
        (await core.users.get(session, user.id)).tier = "premium"
    jobs = [await text_job(posting, user, account, ("pics", f"Post {n}")) for n in range(24)]
    async with core.db.session() as session:
        for n, job in enumerate(jobs):
            asks = n % 2 == 0  # her questions do far better
            posted = EVENING - timedelta(days=n + 1)
            session.add(PostCheck(
                target_id=job.targets[0].id, user_id=user.id, account_id=account.id,
                reddit_id=f"r{n}", subreddit="pics",
                title="What do you think of this light?" if asks else "Evening light",
                label="24h", posted_at=posted, not_before=posted, state=DONE, attempts=1,
                checked_at=posted, score=300 if asks else 4, updated_at=posted))
    service = EngagementService(core)
    model = await service.refit(user.id, UTC_ZONE)
    assert model.fitted_on == 24
    stored = await service.model(user.id)
    assert stored.fitted_on == 24
    ask = await service.score(user.id, "pics", "What do you think of this light?",
                              at=EVENING, tz=UTC_ZONE)
    plain = await service.score(user.id, "pics", "Evening light", at=EVENING, tz=UTC_ZONE)
    assert ask.score > plain.score
