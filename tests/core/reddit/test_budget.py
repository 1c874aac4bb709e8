"""Rules fetches and account connects take their requests from the shared Reddit budget
before calling Reddit; with the minute spent they don't call, and say how long to wait."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.errors import UserFacingError
from core.posting.budget import ApiBudgetLedger
from core.posting.models import ApiBudget
from core.reddit.budget import RULES_FETCH
from core.reddit.client import Credentials


async def _rules(core, account, name):
    async with core.db.session() as session:
        return await core.reddit.rules_or_saved(session, name, await session.merge(account))


async def _remaining(core) -> float:
    async with core.db.read() as session:
        return (await session.scalars(select(ApiBudget.remaining))).one()


async def _spend_the_minute(core) -> None:
    per_minute = core.settings.posting.reddit_requests_per_minute
    assert await ApiBudgetLedger.for_core(core).reserve(per_minute) == 0.0


async def test_a_rules_fetch_reserves_its_requests_from_the_shared_budget(
        core, account, fake_reddit):
    fake_reddit.add_sub("selfie")
    _, saved = await _rules(core, account, "selfie")
    assert not saved
    assert await _remaining(core) == core.settings.posting.reddit_requests_per_minute - RULES_FETCH


async def test_with_the_minute_spent_a_known_subreddit_is_checked_against_saved_rules(
        core, account, fake_reddit):
    fake_reddit.add_sub("selfie")
    await _spend_the_minute(core)
    rules, saved = await _rules(core, account, "selfie")
    assert (saved, rules.known) == (True, True)
    assert fake_reddit.requests["about"] == 0


async def test_with_the_minute_spent_an_unknown_subreddit_is_refused_with_the_wait(
        core, account, fake_reddit):
    fake_reddit.add_sub("brandnewsub")
    await _spend_the_minute(core)
    with pytest.raises(UserFacingError) as refused:
        await _rules(core, account, "brandnewsub")
    assert refused.value.code == "reddit_busy"
    assert 1 <= refused.value.params["seconds"] <= 60
    assert fake_reddit.requests["about"] == 0


async def test_with_the_minute_spent_a_connect_is_refused_before_asking_reddit(
        core, user, fake_reddit):
    creds = Credentials(kind="refresh", refresh_token=fake_reddit.issue_refresh_token("alice"))
    await _spend_the_minute(core)
    async with core.db.session() as session:
        with pytest.raises(UserFacingError) as refused:
            await core.reddit.accounts.connect_with(session, user.id, creds, auth_kind="token")
    assert refused.value.code == "reddit_busy"
    assert fake_reddit.requests["me"] == 0
