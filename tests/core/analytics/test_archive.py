"""The daily archival: old events move to the archive in batches, recent ones stay, the
funnel still sees archived history, and one process per day does the work."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from core.analytics import reports
from core.analytics.archive import archive_events, run_archive
from core.analytics.models import ArchivedEvent, JobClaim
from core.db.models import Event, User
from core.events import EventKind


async def _kinds(core, model) -> list[str]:
    async with core.db.read() as session:
        return list(await session.scalars(select(model.kind).order_by(model.id)))


async def _seed(core, ages_in_days: list[int], user_id: int | None = None) -> None:
    now = core.clock.now()
    async with core.db.session() as session:
        for n, age in enumerate(ages_in_days):
            session.add(Event(kind=f"test.{n}", user_id=user_id, data={"n": n},
                              created_at=now - timedelta(days=age)))


async def test_events_older_than_the_horizon_move_in_batches(core):
    await _seed(core, [200, 120, 95, 91, 89, 10, 0])
    moved = await archive_events(core.db, core.clock.now() - timedelta(days=90), batch=2)
    assert moved == 4
    assert await _kinds(core, ArchivedEvent) == ["test.0", "test.1", "test.2", "test.3"]
    assert await _kinds(core, Event) == ["test.4", "test.5", "test.6"]


async def test_an_archived_event_keeps_its_id_data_and_time(core):
    await _seed(core, [100])
    async with core.db.read() as session:
        before = (await session.execute(select(Event.id, Event.data, Event.created_at))).one()
    await archive_events(core.db, core.clock.now() - timedelta(days=90))
    async with core.db.read() as session:
        after = (await session.execute(select(
            ArchivedEvent.id, ArchivedEvent.data, ArchivedEvent.created_at))).one()
    assert tuple(after) == tuple(before)


async def test_the_day_s_run_is_done_once_however_many_processes_wake(core):
    await _seed(core, [100, 100])
    assert await run_archive(core) == 2
    assert await run_archive(core) is None  # claimed already today
    async with core.db.read() as session:
        claim = (await session.scalars(select(JobClaim))).one()
        assert claim.result == {"moved": 2}
        assert claim.finished_at is not None


async def test_the_next_day_runs_again(core, clock):
    await run_archive(core)
    clock.advance(timedelta(days=1))
    assert await run_archive(core) == 0
    async with core.db.read() as session:
        assert await session.scalar(select(func.count()).select_from(JobClaim)) == 2


async def test_the_funnel_still_counts_archived_history(core):
    now = core.clock.now()
    async with core.db.session() as session:
        user = User(created_at=now - timedelta(days=200), updated_at=now)
        session.add(user)
        await session.flush()
        session.add(Event(kind=EventKind.SIGNUP, user_id=user.id, data={},
                          created_at=now - timedelta(days=200)))
    await run_archive(core)
    async with core.db.read() as session:
        stages = await reports.funnel(session)
    assert stages[0].users == 1
