"""Anomaly alerts: each condition opens an incident once (one notice to each team chat),
says nothing while it goes on, closes when it clears, and a recurrence is a new
incident. Seeded conditions, a fake clock, the real metrics registry and database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.analytics.alerts import ALERT_NOTICE, CLEAR, OPEN, AlertChecker, Change
from core.analytics.models import JobClaim
from core.posting.models import OutboxMessage, PostJob, PostTarget, State
from core.reddit.models import RedditAccount
from core.users import Who

ADMIN, DESK = 7, -100500


@pytest.fixture
def settings(make_settings, database_url):
    return make_settings(database_url, admin={"telegram_ids": [ADMIN], "support_chat_id": DESK},
                         launch={"min_handled": 10, "backlog_minutes": 15})


@pytest.fixture
async def admin(core) -> int:
    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("telegram", str(ADMIN)))
        return user.id


class Machine:
    """The load the checker reads, set by the test."""

    def __init__(self) -> None:
        self.load = 0.1

    def __call__(self) -> float:
        return self.load


@pytest.fixture
def machine() -> Machine:
    return Machine()


@pytest.fixture
def checker(core, admin, machine) -> AlertChecker:
    return AlertChecker(core, load=machine)


async def alerts(core) -> list[dict]:
    async with core.db.read() as session:
        rows = await session.scalars(select(OutboxMessage).where(
            OutboxMessage.kind == ALERT_NOTICE).order_by(OutboxMessage.id))
        return [dict(r.payload) for r in rows]


async def test_a_loaded_machine_opens_one_incident_and_one_notice(core, checker, machine):
    machine.load = 3.5
    [change] = await checker.check()
    assert (change.kind, change.phase) == ("load", OPEN)
    [notice] = await alerts(core)
    assert (notice["alert"], notice["phase"]) == ("load", OPEN)
    assert (notice["value"], notice["threshold"], notice["chat"]) == (3.5, 2.0, str(DESK))


async def test_an_incident_that_goes_on_is_not_told_again(core, checker, machine, clock):
    machine.load = 3.5
    await checker.check()
    for _ in range(5):
        clock.advance(timedelta(minutes=1))
        assert await checker.check() == []
    assert len(await alerts(core)) == 1


async def test_a_cleared_incident_is_closed_and_said_once(core, checker, machine, clock):
    machine.load = 3.5
    await checker.check()
    opened = clock.now()
    clock.advance(timedelta(minutes=7))
    machine.load = 0.4
    assert await checker.check() == [Change("load", CLEAR, opened)]
    assert await checker.check() == []
    assert [a["phase"] for a in await alerts(core)] == [OPEN, CLEAR]
    async with core.db.read() as session:
        [(period, finished)] = await session.execute(select(
            JobClaim.period, JobClaim.finished_at).where(JobClaim.name == "alert.load"))
    assert period != OPEN
    assert finished == clock.now()


async def test_a_recurrence_after_it_cleared_is_a_new_alert(core, checker, machine, clock):
    for load in (3.5, 0.4, 3.5):
        machine.load = load
        await checker.check()
        clock.advance(timedelta(minutes=1))
    assert [a["phase"] for a in await alerts(core)] == [OPEN, CLEAR, OPEN]
    async with core.db.read() as session:
        periods = list(await session.scalars(select(JobClaim.period).where(
            JobClaim.name == "alert.load")))
    assert len(periods) == 2
    assert OPEN in periods


async def test_a_second_process_does_not_open_the_same_incident_again(core, admin, machine):
    machine.load = 3.5
    assert len(await AlertChecker(core, load=machine).check()) == 1
    assert await AlertChecker(core, load=machine).check() == []
    assert len(await alerts(core)) == 1


async def test_an_error_rate_over_five_percent_alerts(core, checker):
    metrics = core.analytics.metrics
    await checker.check()  # the baseline
    for n in range(40):
        metrics.observe_request("/queue", "GET", 500 if n < 3 else 200, 0.05)
    for _ in range(3):
        metrics.error("web")
    [change] = await checker.check()
    assert change.kind == "error_rate"
    [notice] = await alerts(core)
    assert notice["value"] == pytest.approx(3 / 40)
    assert notice["handled"] == 40


async def test_errors_under_five_percent_or_too_few_requests_do_not_alert(core, checker):
    metrics = core.analytics.metrics
    await checker.check()
    for _ in range(5):  # under min_handled (10): 20% of five is no signal
        metrics.observe_request("/queue", "GET", 200, 0.05)
    metrics.error("web")
    assert await checker.check() == []
    for _ in range(40):
        metrics.observe_request("/queue", "GET", 200, 0.05)
    metrics.error("bot")
    assert await checker.check() == []  # 1 in 40


async def test_slow_pages_alert_on_the_p99_and_clear_when_fast_again(core, checker):
    metrics = core.analytics.metrics
    await checker.check()
    for n in range(50):
        metrics.observe_request("/settings", "GET", 200, 4.0 if n % 10 == 0 else 0.1)
    [change] = await checker.check()
    assert change.kind == "p99"
    assert (await alerts(core))[0]["value"] == 5.0  # the bucket 4 s falls in
    for _ in range(50):
        metrics.observe_request("/settings", "GET", 200, 0.1)
    [change] = await checker.check()
    assert (change.kind, change.phase) == ("p99", CLEAR)


async def test_too_little_traffic_to_measure_leaves_an_incident_open(core, checker):
    """A quiet window (fewer requests than min_handled) says nothing about the error
    rate: the open incident is neither cleared nor opened again in the team's chat."""
    metrics = core.analytics.metrics
    await checker.check()
    for n in range(40):
        metrics.observe_request("/queue", "GET", 500 if n < 3 else 200, 0.05)
    for _ in range(3):
        metrics.error("web")
    assert [c.phase for c in await checker.check()] == [OPEN]
    metrics.observe_request("/queue", "GET", 200, 0.05)  # a quiet window: one request

    assert await checker.check() == []

    assert [a["phase"] for a in await alerts(core)] == [OPEN]


async def _due_post(core, admin: int, due_in: timedelta) -> None:
    now = core.clock.now()
    async with core.db.session() as session:
        account = RedditAccount(user_id=admin, username="u", auth_kind="token",
                                credentials="x", created_at=now, updated_at=now)
        session.add(account)
        await session.flush()
        job = PostJob(user_id=admin, account_id=account.id, kind="text", source="chat",
                      created_at=now, updated_at=now)
        session.add(job)
        await session.flush()
        session.add(PostTarget(job_id=job.id, account_id=account.id, subreddit="pics",
                               title="t", due_at=now + due_in, not_before=now + due_in,
                               state=State.QUEUED, updated_at=now))


async def test_scheduled_posts_waiting_too_long_alert_until_they_go(core, admin, checker,
                                                                    clock):
    await _due_post(core, admin, timedelta(minutes=5))
    clock.advance(timedelta(minutes=19))  # due 14 min ago: late is more than 15
    assert await checker.check() == []
    clock.advance(timedelta(minutes=2))
    [change] = await checker.check()
    assert change.kind == "backlog"
    notice = (await alerts(core))[0]
    assert (notice["value"], notice["oldest_minutes"]) == (1.0, 16)
    async with core.db.session() as session:
        for target in await session.scalars(select(PostTarget)):
            target.state = State.POSTED
    [change] = await checker.check()
    assert (change.kind, change.phase) == ("backlog", CLEAR)


async def test_without_an_admin_account_the_incident_still_opens_once(core, machine):
    machine.load = 3.5
    assert len(await AlertChecker(core, load=machine).check()) == 1
    assert await alerts(core) == []
    assert await AlertChecker(core, load=machine).check() == []


async def test_each_admin_chat_hears_it_without_a_support_chat(make_settings, database_url,
                                                              clock, machine):
    from core.bootstrap import open_core

    settings = make_settings(database_url, admin={"telegram_ids": [ADMIN, 8]})
    async with open_core(settings, clock=clock) as core:
        async with core.db.session() as session:
            await core.users.get_or_create(session, Who("telegram", str(ADMIN)))
        machine.load = 3.5
        await AlertChecker(core, load=machine).check()
        assert sorted(a["chat"] for a in await alerts(core)) == ["7", "8"]


async def test_the_worker_loop_looks_every_interval_and_stops_cleanly(core, admin, clock):
    import asyncio

    from core.analytics.alerts import start_alerts

    core.analytics.load = lambda: 3.5
    workers = start_alerts(core)
    assert await alerts(core) == []  # the first look waits one interval
    async with asyncio.timeout(60):
        while not await alerts(core):
            clock.advance(timedelta(seconds=60))
            await asyncio.sleep(0.02)
    await workers.stop()
    assert all(task.done() for task in workers.tasks)
    assert len(await alerts(core)) == 1
