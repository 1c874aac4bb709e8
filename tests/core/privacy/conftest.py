"""Data-rights specs: the real asyncpraw stack against the local fake Reddit, a real
database (SQLite, and PostgreSQL when configured), the fake clock for grace periods."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from core.bootstrap import Core
from core.db.models import User
from core.posting.service import JobView, PostingService, TargetSpec
from core.reddit.models import RedditAccount
from core.reddit.types import PostRequest
from core.settings import Settings
from tests.fakes.creators import adult_creator, connected_account
from tests.fakes.reddit import FakeReddit
from tests.fakes.stripe import FakeStripe


@pytest.fixture
def settings(make_settings, database_url: str, fake_reddit: FakeReddit) -> Settings:
    return make_settings(database_url, reddit=fake_reddit.settings_section(),
                         privacy={"deletion_grace_days": 30})


@dataclass
class Creator:
    user: User
    account: RedditAccount
    refresh_token: str
    web_token: str
    job: JobView


@pytest.fixture
async def alice(core: Core, fake_reddit: FakeReddit) -> Creator:
    """Alice, signed in on the web, u/alice connected, a post queued for tomorrow."""
    user = await adult_creator(core)
    account = await connected_account(core, user, fake_reddit)
    [token] = list(fake_reddit.refresh_tokens)
    async with core.db.session() as session:
        web = await core.auth.sessions.create(session, user, "telegram_login")
    fake_reddit.add_sub("pics")
    posting = PostingService(core)
    job = await posting.create_job(
        user_id=user.id, account_id=account.id,
        request=PostRequest("pics", "text", "Hello", body="hi"),
        targets=[TargetSpec("pics", "Hello")], due_at=core.clock.now() + timedelta(days=1))
    return Creator(user, account, token, web.token, job)


async def pays_by_card(core: Core, fake_stripe: FakeStripe, user_id: int) -> str:
    """`user_id` pays for Pro by card (Checkout completed, Stripe's webhook applied):
    a live subscription at Stripe and an entitlement here; its id."""
    from core.billing.payments import Payments

    payments = Payments.of(core)
    await payments.stripe_checkout(user_id, "pro", "https://app.test/upgrade")
    [session_id] = fake_stripe.checkouts
    events = fake_stripe.complete_checkout(session_id)
    await payments.handle_stripe_event(events["created"])
    return str(events["created"]["data"]["object"]["id"])
