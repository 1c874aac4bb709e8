"""/stats numbers against a hand-computed history (the fake clock: Wed 25 Nov 2026)."""

from __future__ import annotations

from datetime import UTC, datetime

from core.outcomes.stats import creator_stats
from tests.fakes.outcomes import Outcome, record_outcomes


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


HISTORY = [
    Outcome("pics", at(16, 20), 40, comments=3),   # Mon 20h
    Outcome("pics", at(17, 20), 10, comments=1),   # Tue 20h
    Outcome("selfie", at(21, 9), 25),              # Sat 09h
    Outcome("selfie", at(22, 9), 5, removed="moderator"),
    Outcome("pics", at(23, 20), 60, comments=6),   # Mon 20h
    Outcome("pics", datetime(2026, 7, 1, 20, tzinfo=UTC), 999),  # older than 90 days
]


async def test_headline_and_breakdowns_match_the_hand_computed_numbers(core, user, account):
    await record_outcomes(core, user.id, account.id, HISTORY)
    stats = await creator_stats(core, user.id, "UTC")
    assert (stats.posts, stats.median_score, stats.best_score, stats.comments,
            stats.removed) == (5, 25.0, 60, 10, 1)
    assert [(b.key, b.posts, b.median_score, b.removed) for b in stats.by_subreddit] == [
        ("pics", 3, 40.0, 0), ("selfie", 2, 15.0, 1)]
    assert stats.by_hour[20] == 40.0  # 40, 10, 60
    assert stats.by_hour[9] == 25.0  # the removed one is left out of timing
    assert stats.by_weekday[0] == 50.0  # Mondays: 40 and 60
    assert stats.by_weekday[5] == 25.0


async def test_hours_are_the_creators_own(core, user, account):
    await record_outcomes(core, user.id, account.id, [Outcome("pics", at(16, 20), 40)])
    stats = await creator_stats(core, user.id, "Asia/Tokyo")  # 20:00 UTC is 05:00 there
    assert stats.by_hour[5] == 40.0
    assert stats.by_weekday[1] == 40.0  # and already Tuesday


async def test_the_chart_is_a_png_a_phone_can_show(core, user, account):
    from io import BytesIO

    from PIL import Image

    from core.outcomes.chart import H, W, render

    await record_outcomes(core, user.id, account.id, HISTORY)
    png = render(await creator_stats(core, user.id, "UTC"), "How your posts did")
    image = Image.open(BytesIO(png))
    assert (image.format, image.size) == ("PNG", (W, H))
