"""The purge: once the grace period is over, every row of the person's is gone from every
table that can hold one, and nobody else's is touched; it runs once a day, claimed."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from core.db.models import User
from core.db.registry import all_metadata
from core.privacy.deletion import AccountDeletions
from core.privacy.export import COVERED, owned_by
from core.privacy.purge import purge_due, run_purge, start_purge
from core.users import Who
from tests.fakes.personal_rows import seed_personal_rows


async def _user(core, external_id):
    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("telegram", external_id))
    return user.id


async def _delete(core, user_id):
    deletions = AccountDeletions(core)
    async with core.db.session() as session:
        deletion = await deletions.request(session, await core.users.get(session, user_id),
                                           "telegram")
    await deletions.finish(deletion)


async def _rows(core, user_id):
    """How many rows of `user_id`'s each covered table holds."""
    tables = all_metadata().tables
    async with core.db.read() as session:
        return {name: await session.scalar(select(func.count()).select_from(tables[name])
                                           .where(owned_by(tables[name], user_id)))
                for name in COVERED}


async def _totals(core):
    tables = all_metadata().tables
    async with core.db.read() as session:
        return {name: await session.scalar(select(func.count()).select_from(tables[name]))
                for name in COVERED}


async def test_nothing_is_purged_within_the_grace_period(core, clock):
    carol = await _user(core, "3")
    await seed_personal_rows(core, carol, "carol")
    await _delete(core, carol)
    clock.advance(timedelta(days=29, hours=23))
    assert await purge_due(core) == 0
    assert (await _rows(core, carol))["users"] == 1


async def test_after_the_grace_period_every_row_of_theirs_is_gone(core, clock):
    carol, dave = await _user(core, "3"), await _user(core, "4")
    await seed_personal_rows(core, carol, "carol")
    await seed_personal_rows(core, dave, "dave")
    await _delete(core, carol)
    dave_before = await _rows(core, dave)
    clock.advance(timedelta(days=30))
    assert await purge_due(core) == 1
    assert {name: n for name, n in (await _rows(core, carol)).items() if n} == {}
    assert await _rows(core, dave) == dave_before
    totals = await _totals(core)
    # Rows hanging from Carol's (her post's targets, her ticket's messages) went too;
    # the purge's own event and her error report, no longer naming her, stay.
    assert {name: n for name, n in totals.items()
            if n != dave_before[name] and name not in ("events", "error_reports")} == {}


async def test_the_purge_leaves_one_anonymous_count(core, clock):
    carol = await _user(core, "3")
    await _delete(core, carol)
    clock.advance(timedelta(days=31))
    await purge_due(core)
    async with core.db.read() as session:
        purged = list(await session.execute(
            select(all_metadata().tables["events"].c.user_id).where(
                all_metadata().tables["events"].c.kind == "user.purged")))
    assert [row.user_id for row in purged] == [None]


async def test_an_account_restored_in_time_is_not_purged(core, clock):
    carol = await _user(core, "3")
    await _delete(core, carol)
    clock.advance(timedelta(days=10))
    async with core.db.session() as session:
        assert await AccountDeletions(core).restore(session, Who("telegram", "3")) is not None
    clock.advance(timedelta(days=30))
    assert await purge_due(core) == 0
    async with core.db.read() as session:
        assert await core.users.get(session, carol) is not None


async def test_the_daily_run_is_claimed_by_one_process(core, clock):
    carol = await _user(core, "3")
    await _delete(core, carol)
    clock.advance(timedelta(days=30))
    assert await run_purge(core) == 1
    assert await run_purge(core) is None  # the same day: another process had it


async def test_every_process_schedules_the_purge_at_the_configured_time(core):
    stop = start_purge(core)
    try:
        assert stop.__self__.spec == core.settings.privacy.purge_cron == "30 3 * * *"
    finally:
        stop()


async def test_purging_a_referrer_keeps_the_referral_of_whom_they_referred_detached(
        core, clock):
    from core.referrals.models import Referral
    from core.referrals.service import ATTRIBUTED, Referrals

    carol = await _user(core, "3")
    referrals = Referrals.from_core(core)
    async with core.db.session() as session:
        code = await referrals.code_for(session, await core.users.get(session, carol))
        erin, _ = await core.users.get_or_create(session, Who("telegram", "5"))
        done = await referrals.attribute(session, erin, code, via="telegram", new_user=True)
    assert done.result == ATTRIBUTED
    await _delete(core, carol)
    clock.advance(timedelta(days=30))
    assert await purge_due(core) == 1
    async with core.db.read() as session:
        kept = (await session.execute(select(Referral.referrer_id, Referral.status)
                                       .where(Referral.referred_id == erin.id))).all()
    assert [tuple(row) for row in kept] == [(None, "pending")]


async def test_the_finished_chat_updates_of_their_chats_are_purged(core, clock):
    from core.inbox.models import InboundUpdate
    from core.inbox.store import Inbox, Incoming, new_owner

    carol = await _user(core, "3")
    await _user(core, "4")
    inbox = Inbox(core.db, core.clock, "telegram", "bot")
    await inbox.record(*(Incoming(n, chat, {"message": {"text": f"from {chat}"}})
                         for n, chat in ((1, "3"), (2, "4"))))
    owner = new_owner()
    for claimed in await inbox.claim(owner, 2, timedelta(minutes=1)):
        await inbox.finish(claimed.id, claimed.token)
    await _delete(core, carol)
    clock.advance(timedelta(days=30))
    assert await purge_due(core) == 1
    async with core.db.read() as session:
        chats = list(await session.scalars(select(InboundUpdate.chat_key)))
    assert chats == ["4"]


async def test_an_error_report_keeps_the_error_but_forgets_whose_it_was(core, clock):
    from core.analytics.models import ErrorReport

    carol = await _user(core, "3")
    for _ in range(2):
        await core.analytics.errors.capture(ValueError("title 'carol's secret'"), "job",
                                            job="posting", user_id=carol)
    await _delete(core, carol)
    clock.advance(timedelta(days=30))
    assert await purge_due(core) == 1
    async with core.db.read() as session:
        [report] = (await session.execute(select(
            ErrorReport.count, ErrorReport.context, ErrorReport.message))).all()
    assert tuple(report) == (2, {"job": "posting"}, "")


async def test_a_restore_committed_while_the_purge_runs_keeps_the_account(
        core, clock, database_url):
    """PostgreSQL: the purge of carol starts while her restore (another process) holds
    her row; it waits, then sees her restored and leaves her be."""
    if not database_url.startswith("postgresql"):
        pytest.skip("row locks are PostgreSQL's; SQLite writes one transaction at a time")
    carol = await _user(core, "3")
    await _delete(core, carol)
    clock.advance(timedelta(days=31))
    async with core.db.session() as session:
        assert await AccountDeletions(core).restore(session, Who("telegram", "3"))
        await session.flush()  # sent, not yet committed
        purging = asyncio.create_task(purge_due(core))
        await _until_waiting_on_a_lock(core)
    assert await purging == 0
    async with core.db.read() as session:
        assert (await session.get(User, carol)).deleted_at is None


async def _until_waiting_on_a_lock(core) -> None:
    async with asyncio.timeout(60.0):
        while True:
            async with core.db.read() as session:
                if await session.scalar(text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = "
                        "current_database() AND wait_event_type = 'Lock'")):
                    return
            await asyncio.sleep(0.01)
