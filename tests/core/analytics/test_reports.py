"""Each report against the hand-worked history in conftest.py, on SQLite and PostgreSQL.
Soft-deleted u5 is active, paying and everywhere in the funnel, and counts nowhere."""

from __future__ import annotations

from datetime import date

from core.analytics import reports
from core.analytics.reports import Active, Cohort, Stage
from core.analytics.revenue import revenue
from core.billing.tiers import Plans
from core.db.database import Database
from core.settings import Settings
from tests.core.analytics.conftest import NOW, TODAY


async def test_active_users_on_the_day_in_the_week_and_in_the_month(history: Database):
    # DAU 11-25: u1, u3. WAU 11-19..25: u1, u2, u3, u4. MAU 10-27..11-25: also u6.
    async with history.read() as session:
        assert await reports.active(session, TODAY) == Active(dau=2, wau=4, mau=5)


async def test_daily_active_users_has_a_point_for_every_day(history: Database):
    async with history.read() as session:
        series = await reports.daily_active(session, TODAY, days=3)
    assert series == [(date(2026, 11, 23), 0), (date(2026, 11, 24), 2),
                      (date(2026, 11, 25), 2)]


async def test_the_funnel_counts_users_who_reached_each_stage_in_order(history: Database):
    # Live: u1 u2 u3 u4 u6 u7. Onboarded: u1 u2 u3; captioned: the same; posted: u1 u3;
    # paid: u1 (Stripe), u3 (Stars). u6 and u7 paid but never onboarded.
    async with history.read() as session:
        stages = await reports.funnel(session)
    assert stages == [Stage("signup", 6), Stage("onboarded", 3), Stage("first caption", 3),
                      Stage("first post", 2), Stage("paid", 2)]


async def test_weekly_cohorts_show_who_came_back_each_week(history: Database):
    # Week of 11-09: u1 and u2 (active then; u1 on 11-20; both again on 11-24/25).
    # Week of 11-16: u3 (and deleted u5), back on 11-25. Week of 11-23: u4.
    async with history.read() as session:
        found = await reports.cohorts(session, TODAY, weeks=3)
    assert found == [Cohort(date(2026, 11, 9), 2, (2, 1, 2)),
                     Cohort(date(2026, 11, 16), 1, (1, 1)),
                     Cohort(date(2026, 11, 23), 1, (1,))]


async def test_feature_adoption_is_users_per_feature_among_the_active(history: Database):
    async with history.read() as session:
        found = await reports.adoption(session, TODAY)
    assert found == [("caption", 4, 5), ("post", 1, 5), ("protect", 1, 5)]


async def test_revenue_mrr_arpu_churn_by_tier_and_by_provider(history: Database,
                                                              settings: Settings):
    # Paying now: u1 pro 29 (Stripe), u3 starter 9 (Stars), u7 starter 9 (Stripe).
    # 30 days ago (10-26): u6 and u7; u6 has gone, so churn is 1 of 2. Six live users.
    async with history.read() as session:
        found = await revenue(session, Plans(settings), TODAY, NOW)
    assert (found.mrr, found.paying, found.users) == (47.0, 3, 6)
    assert (found.arpu, found.churn) == (7.83, 0.5)
    assert found.by_tier == {"pro": 29.0, "starter": 18.0}
    assert found.by_provider == {"stripe": 38.0, "stars": 9.0}
