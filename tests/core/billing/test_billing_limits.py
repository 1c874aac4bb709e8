"""Standing limits: how many Reddit accounts a plan connects (checked in core, where
every front door saves an account), and the analytics flag anyone can ask about."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.billing.errors import LimitReached
from core.billing.features import UnknownFeature
from core.bootstrap import Core
from core.reddit.client import Credentials
from core.reddit.models import RedditAccount
from tests.core.billing.conftest import MakeUser

CREDS = Credentials("refresh", refresh_token="rt-test")


async def _connect(core: Core, user_id: int, name: str) -> None:
    async with core.db.session() as session:
        await core.reddit.accounts.save(session, user_id, name, CREDS, auth_kind="oauth")


async def _count(core: Core) -> int:
    async with core.db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(RedditAccount)) or 0)


async def test_a_free_creator_connects_one_reddit_account(core: Core, make_user: MakeUser):
    user = await make_user()
    await _connect(core, user.id, "first_acct")
    with pytest.raises(LimitReached) as refused:
        await _connect(core, user.id, "second_acct")
    assert refused.value.code == "reddit_accounts_limit"
    assert refused.value.params == {
        "meter": "reddit_accounts", "limit": 1, "tier": "free", "upgrade": "starter",
        "upgrade_limit": 2, "account": "second_acct"}
    assert await _count(core) == 1


async def test_reconnecting_an_account_already_connected_is_never_refused(
        core: Core, make_user: MakeUser):
    user = await make_user()
    await _connect(core, user.id, "first_acct")
    await _connect(core, user.id, "First_Acct")  # the same account, signing in again
    assert await _count(core) == 1


async def test_a_starter_creator_connects_a_second_account(core: Core, make_user: MakeUser):
    user = await make_user(tier="starter")
    await _connect(core, user.id, "first_acct")
    await _connect(core, user.id, "second_acct")
    with pytest.raises(LimitReached) as refused:
        await _connect(core, user.id, "third_acct")
    assert (refused.value.params["upgrade"], refused.value.params["upgrade_limit"]) == ("pro", 5)


async def test_analytics_is_a_pro_feature(core: Core, make_user: MakeUser):
    free, pro = await make_user("f"), await make_user("p", tier="pro")
    async with core.db.read() as session:
        assert not await core.billing.can_use(session, free, "analytics")
        assert await core.billing.can_use(session, pro, "analytics")


async def test_asking_about_a_feature_no_plan_has_is_a_programming_error(
        core: Core, make_user: MakeUser):
    user = await make_user()
    async with core.db.read() as session:
        with pytest.raises(UnknownFeature):
            await core.billing.can_use(session, user, "teleport")
