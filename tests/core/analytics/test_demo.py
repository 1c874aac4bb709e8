"""Demo data fills every report of the dashboard, and seeding twice changes nothing."""

from __future__ import annotations

from core.analytics.demo import seed_demo


async def test_demo_data_gives_every_report_something_to_show(core):
    seeded = await seed_demo(core.db, core.clock.now(), users=60)
    assert seeded is not None
    board = await core.analytics.dashboard()
    assert board.active.mau > 0
    assert sum(n for _, n in board.daily) > 0
    assert board.funnel[0].users == 60
    assert all(s.users > 0 for s in board.funnel)
    assert any(c.size for c in board.cohorts)
    assert board.adoption
    assert board.revenue.mrr > 0


async def test_seeding_twice_adds_nothing(core):
    first = await seed_demo(core.db, core.clock.now(), users=10)
    assert first is not None
    assert await seed_demo(core.db, core.clock.now(), users=10) is None
