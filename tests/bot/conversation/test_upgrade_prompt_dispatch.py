"""A plan limit hit anywhere in a flow reaches the creator as billing's upgrade prompt
(the limit, the plan that lifts it) in their variant of the wording experiment."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from bot.app import build_flows
from bot.conversation.context import FlowContext
from bot.conversation.dispatcher import Dispatcher
from bot.conversation.events import Command
from bot.conversation.flow import Flow
from core.billing.tiers import Meter
from core.bootstrap import Core
from core.experiments.config import UPGRADE_PROMPT
from core.experiments.models import ExperimentExposure
from core.settings import Settings
from core.texts import billing as t
from tests.fakes.chat import ChatDriver


class PostsAtOnce(Flow):
    """Takes a post from today's quota the way the posting service does."""

    name = "posts_at_once"
    commands = ("postnow",)

    async def on_command(self, ctx: FlowContext, cmd: Command) -> None:
        await ctx.core.billing.consume(ctx.session, ctx.user, Meter.POST, "job:1")
        await ctx.reply("Posted.")


@pytest.fixture
def settings(make_settings: Callable[..., Settings], database_url: str) -> Settings:
    return make_settings(database_url, billing={"tiers": {"free": {"posts_per_day": 0}}})


@pytest.fixture
def posting_chat(dispatcher: Dispatcher) -> ChatDriver:
    return ChatDriver(Dispatcher(dispatcher.core, [*build_flows(), PostsAtOnce()],
                                 dispatcher.codec))


async def test_a_limit_hit_in_a_flow_shows_the_upgrade_prompt_in_the_variant(
        posting_chat: ChatDriver, core: Core):
    reply = await posting_chat.send("/postnow")
    async with core.db.read() as session:
        [(user_id, variant)] = (await session.execute(select(
            ExperimentExposure.user_id, ExperimentExposure.variant))).all()
    assert variant == core.billing.experiments.variant(UPGRADE_PROMPT, user_id)
    assert reply.text == t.quota_text({"meter": "post", "limit": 0, "tier": "free",
                                       "upgrade": "starter", "upgrade_limit": 20}, variant)
    assert "today's 0 posts on the Free plan" in reply.text
    assert "/upgrade" in reply.text


async def test_hitting_it_again_is_still_one_exposure(posting_chat: ChatDriver, core: Core):
    await posting_chat.send("/postnow")
    await posting_chat.send("/postnow")
    async with core.db.read() as session:
        assert len((await session.execute(select(ExperimentExposure.user_id))).all()) == 1
