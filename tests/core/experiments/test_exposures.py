"""Exposures are stored once, conversions on the first payment, and the report counts
them per variant (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Row, func, select

from core.billing import grants
from core.bootstrap import Core
from core.db.models import User
from core.experiments.assign import variant_for
from core.experiments.config import UPGRADE_PROMPT
from core.experiments.models import ExperimentExposure
from core.experiments.service import convert
from core.users import Who


async def _user(core: Core, name: str) -> User:
    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("console", name))
    return user


async def _exposures(core: Core) -> list[Row[Any]]:
    async with core.db.read() as session:
        return list((await session.execute(select(
            ExperimentExposure.variant, ExperimentExposure.exposed_at,
            ExperimentExposure.converted_at, ExperimentExposure.conversion_ref))).all())


async def _pay(core: Core, user: User, ref: str, tier: str = "starter") -> None:
    async with core.db.session() as session:
        fresh = await session.get(User, user.id)
        assert fresh is not None
        now = core.clock.now()
        await grants.grant(session, now, fresh, source="stars", ref=ref, tier=tier,
                           status="active", ends_at=now + timedelta(days=30))


async def test_showing_a_variant_twice_records_one_exposure(core: Core):
    user = await _user(core, "alice")
    experiments = core.billing.experiments
    async with core.db.session() as session:
        first = await experiments.expose(session, user.id, UPGRADE_PROMPT)
    async with core.db.session() as session:
        again = await experiments.expose(session, user.id, UPGRADE_PROMPT)
    [row] = await _exposures(core)
    weights = core.settings.experiments[UPGRADE_PROMPT].variants
    assert first == again == row.variant == variant_for(UPGRADE_PROMPT, user.id, weights)
    assert row.exposed_at == core.clock.now()
    assert row.converted_at is None


async def test_an_inactive_experiment_records_nothing(make_settings, database_url, clock):
    from core.bootstrap import open_core

    settings = make_settings(database_url, experiments={UPGRADE_PROMPT: {"active": False}})
    async with open_core(settings, clock=clock) as core:
        user = await _user(core, "alice")
        async with core.db.session() as session:
            shown = await core.billing.experiments.expose(session, user.id, UPGRADE_PROMPT)
        assert shown == "control"
        assert await _exposures(core) == []


async def test_the_first_payment_after_exposure_is_the_conversion(core: Core):
    user = await _user(core, "alice")
    async with core.db.session() as session:
        await core.billing.experiments.expose(session, user.id, UPGRADE_PROMPT)
    core.clock.advance(timedelta(minutes=5))  # type: ignore[attr-defined]
    await _pay(core, user, "charge-1")
    core.clock.advance(timedelta(days=30))  # type: ignore[attr-defined]
    await _pay(core, user, "charge-2", "pro")  # a renewal or an upgrade later
    [row] = await _exposures(core)
    assert row.conversion_ref == "stars:charge-1"
    assert row.converted_at == row.exposed_at + timedelta(minutes=5)


async def test_a_payment_without_exposure_converts_nothing(core: Core):
    user = await _user(core, "alice")
    await _pay(core, user, "charge-1")
    assert await _exposures(core) == []
    async with core.db.session() as session:
        assert await convert(session, core.clock.now(), user.id, "again") == 0


async def test_the_report_counts_exposures_and_conversions_per_variant(core: Core):
    experiments = core.billing.experiments
    users = [await _user(core, f"u{i}") for i in range(12)]
    async with core.db.session() as session:
        shown = {u.id: await experiments.expose(session, u.id, UPGRADE_PROMPT)
                 for u in users}
    payers = users[:5]
    for i, payer in enumerate(payers):
        await _pay(core, payer, f"charge-{i}")
    async with core.db.read() as session:
        report = await experiments.report(session, UPGRADE_PROMPT)
    assert report is not None
    assert [v.name for v in report.variants] == ["control", "gain", "momentum"]
    for variant in report.variants:
        assert variant.exposures == sum(1 for u in users if shown[u.id] == variant.name)
        assert variant.conversions == sum(1 for u in payers if shown[u.id] == variant.name)
    assert sum(v.exposures for v in report.variants) == 12
    assert report.variants[0].vs_control is None
    async with core.db.read() as session:
        stored = await session.scalar(select(func.count()).select_from(ExperimentExposure)
                                      .where(ExperimentExposure.converted_at.is_not(None)))
    assert stored == 5
