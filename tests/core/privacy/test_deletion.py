"""Deleting an account: soft at once (signed out everywhere, queued posts cancelled,
Reddit tokens revoked at Reddit and dropped here), and undone by coming back in time."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.billing.models import Entitlement
from core.db.models import Event, User
from core.errors import UserFacingError
from core.posting.models import OutboxMessage, PostTarget, State
from core.privacy.deletion import AccountDeletions
from core.reddit.models import AccountStatus, RedditAccount
from core.users import Who

ALICE = Who("console", "alice", "Alice")


async def _delete(core, user_id):
    deletions = AccountDeletions(core)
    async with core.db.session() as session:
        deletion = await deletions.request(session, await core.users.get(session, user_id),
                                           "console")
    return deletion, await deletions.finish(deletion)


async def test_deleting_soft_deletes_the_account_and_names_the_purge_date(core, alice):
    deletion, _ = await _delete(core, alice.user.id)
    async with core.db.read() as session:
        deleted_at = (await session.get(User, alice.user.id)).deleted_at
        assert await core.users.get(session, alice.user.id) is None
    assert deleted_at == core.clock.now()
    assert (deletion.purge_after - core.clock.now()).days == 30


async def test_deleting_signs_out_every_browser(core, alice):
    assert await core.auth.sessions.authenticate(core.db, alice.web_token) is not None
    await _delete(core, alice.user.id)
    assert await core.auth.sessions.authenticate(core.db, alice.web_token) is None


async def test_deleting_revokes_the_reddit_token_at_reddit_and_drops_it(core, alice,
                                                                        fake_reddit):
    _, revocations = await _delete(core, alice.user.id)
    assert (revocations.revoked, revocations.failed) == (1, 0)
    assert fake_reddit.revoked == [(alice.refresh_token, "refresh_token")]
    assert alice.refresh_token not in fake_reddit.refresh_tokens
    async with core.db.read() as session:
        account = await session.get(RedditAccount, alice.account.id)
        assert (account.credentials, account.status) == ("", AccountStatus.REVOKED)


async def test_reddit_not_answering_still_deletes_and_says_so(core, alice, fake_reddit):
    fake_reddit.outage.add("revoke")
    _, revocations = await _delete(core, alice.user.id)
    assert revocations.failed == 1
    async with core.db.read() as session:
        assert (await session.get(RedditAccount, alice.account.id)).credentials == ""


async def test_deleting_cancels_queued_posts(core, alice):
    await _delete(core, alice.user.id)
    async with core.db.read() as session:
        states = list(await session.scalars(
            select(PostTarget.state).where(PostTarget.job_id == alice.job.id)))
    assert states == [State.CANCELLED]


async def test_deleting_stops_looking_at_how_their_live_posts_do(core, alice):
    from datetime import timedelta

    from core.outcomes.models import PostCheck
    from core.outcomes.schedule import plan_checks

    async with core.db.session() as session:
        await plan_checks(session, core.clock.now(), target_id=alice.job.targets[0].id,
                          user_id=alice.user.id, account_id=alice.account.id,
                          reddit_id="abc", subreddit="pics", title="Live one")
    await _delete(core, alice.user.id)
    core.clock.advance(timedelta(days=2))
    async with core.db.read() as session:
        states = set(await session.scalars(
            select(PostCheck.state).where(PostCheck.user_id == alice.user.id)))
    assert states == {State.CANCELLED}


async def test_writing_again_in_the_grace_period_names_the_date_and_restore(core, alice):
    await _delete(core, alice.user.id)
    with pytest.raises(UserFacingError) as caught:
        async with core.db.session() as session:
            await core.users.get_or_create(session, ALICE)
    assert caught.value.code == "account_pending_deletion"
    assert caught.value.params == {"date": "25 December 2026"}


async def test_restoring_within_the_grace_period_keeps_the_account(core, alice):
    await _delete(core, alice.user.id)
    async with core.db.session() as session:
        restored = await AccountDeletions(core).restore(session, ALICE)
        assert restored is not None
        assert restored.id == alice.user.id
    async with core.db.session() as session:
        user, created = await core.users.get_or_create(session, ALICE)
        kinds = list(await session.scalars(select(Event.kind).where(
            Event.user_id == user.id)))
        assert (user.id, created) == (alice.user.id, False)
    assert {"user.deleted", "user.restored"} <= set(kinds)


async def test_restoring_a_live_account_changes_nothing(core, alice):
    async with core.db.session() as session:
        assert await AccountDeletions(core).restore(session, ALICE) is None


async def test_news_not_yet_sent_to_them_is_dropped_but_the_teams_is_kept(core, alice):
    now = core.clock.now()
    async with core.db.session() as session:
        for key, kind in (("posted-1", "posted"), ("ticket-1", "team_ticket")):
            session.add(OutboxMessage(event_key=key, user_id=alice.user.id, kind=kind,
                                      payload={}, not_before=now, created_at=now))
    await _delete(core, alice.user.id)
    async with core.db.read() as session:
        kinds = list(await session.scalars(select(OutboxMessage.kind).where(
            OutboxMessage.user_id == alice.user.id)))
    assert kinds == ["team_ticket"]


async def test_a_card_plan_that_still_renews_is_noticed(core, alice):
    deletions = AccountDeletions(core)
    async with core.db.session() as session:
        assert not await deletions.renewing_plan(session, alice.user.id)
        session.add(Entitlement(user_id=alice.user.id, source="stripe", source_ref="sub_1",
                                tier="pro", status="active", starts_at=core.clock.now(),
                                updated_at=core.clock.now()))
        await session.flush()
        assert await deletions.renewing_plan(session, alice.user.id)


async def test_news_written_after_the_deletion_is_never_delivered(core, alice):
    from datetime import timedelta

    from core.posting import outbox
    from core.posting.outbox import Outbox

    await _delete(core, alice.user.id)
    async with core.db.session() as session:  # a post that was mid-upload settles
        await outbox.notify(session, core.clock.now(), alice.user.id, outbox.POSTED,
                            "target:late:posted", subreddit="pics", title="Late")

    class Anyone:
        name, reached = "console", []

        async def deliver(self, notice):
            self.reached.append(notice)
            return True

    async with core.db.read() as session:
        [late] = await session.scalars(select(OutboxMessage).where(
            OutboxMessage.event_key == "target:late:posted"))
        assert late.state == State.QUEUED
    anyone = Anyone()
    assert await Outbox(core.db, core.clock, timedelta(seconds=15)).deliver_due([anyone]) == 0
    assert anyone.reached == []
