"""/usage in chat (today, this month, the pay-as-you-go bill), the upgrade prompt in
the creator's experiment variant, and /connect at the plan's Reddit account limit."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select, update

from bot.console import ConsoleChannel
from bot.conversation.dispatcher import Dispatcher
from core.bootstrap import Core
from core.db.models import User
from core.experiments.config import UPGRADE_PROMPT
from core.experiments.models import ExperimentExposure
from core.settings import Settings
from core.texts import billing as t
from core.users import Who
from tests.fakes.chat import ChatDriver
from tests.fakes.creators import connected_account
from tests.fakes.photos import camera_photo
from tests.fakes.reddit import FakeReddit

TIERS = {"free": {"images_per_day": 1}}


@pytest.fixture
def settings(make_settings: Callable[..., Settings], database_url: str,
             fake_reddit: FakeReddit) -> Settings:
    return make_settings(database_url, billing={"tiers": TIERS},
                         reddit=fake_reddit.settings_section())


async def protect_one(chat: ChatDriver) -> str:
    await chat.send("/protect")
    await chat.upload(camera_photo())
    return (await chat.press("Light")).text


async def user_of(core: Core, external_id: str = "alice") -> User:
    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("console", external_id))
    return user


async def exposures(core: Core) -> list[tuple[int, str]]:
    async with core.db.read() as session:
        return [(r.user_id, r.variant) for r in (await session.execute(select(
            ExperimentExposure.user_id, ExperimentExposure.variant))).all()]


async def test_usage_shows_this_months_units_as_well_as_today(chat: ChatDriver, core: Core):
    await protect_one(chat)
    reply = await chat.send("/usage")
    assert "• Protected photos: 1 of 1" in reply.text
    assert f"This month ({core.clock.now():%Y-%m}, UTC):" in reply.text
    assert "• Protected photos: 1\n" in reply.text + "\n"
    assert "pay-as-you-go" not in reply.text


async def test_usage_on_pay_as_you_go_shows_the_running_bill(chat: ChatDriver, core: Core):
    await chat.send("/start")
    async with core.db.session() as session:
        await session.execute(update(User).values(tier="payg"))
    await protect_one(chat)
    await protect_one(chat)  # no daily cap on pay-as-you-go: each unit is billed
    reply = await chat.send("/usage")
    assert "• Protected photos: 2 (unlimited)" in reply.text
    assert "Your pay-as-you-go bill so far: 0.02 USD" in reply.text
    assert "• 2 protected photos × 0.01 = 0.02" in reply.text


async def test_the_upgrade_prompt_is_worded_as_each_creators_variant(
        dispatcher: Dispatcher, core: Core):
    """Three creators (ids 1-3 hash to control, momentum and gain) hit the same limit.
    They share the terminal's one channel, so their messages are numbered apart (the
    photo's usage key is chat and message id)."""
    shown = {}
    channel = ConsoleChannel(out=lambda _: None)
    for who in ("alice", "bea", "cleo"):
        chat = ChatDriver(dispatcher, external_id=who, name=who.title(), channel=channel)
        await protect_one(chat)
        prompt = await protect_one(chat)
        user = await user_of(core, who)
        variant = core.billing.experiments.variant(UPGRADE_PROMPT, user.id)
        line = t.UPGRADE_PROMPT[variant].format(upgrade="Starter",
                                                more="30 protected photos a day")
        assert "today's 1 protected photo on the Free plan" in prompt
        assert prompt.endswith(line)
        shown[user.id] = variant
    assert set(shown.values()) == set(t.UPGRADE_PROMPT)
    assert sorted(await exposures(core)) == sorted(shown.items())


async def test_the_prompt_shown_again_is_one_exposure(chat: ChatDriver, core: Core):
    await protect_one(chat)
    await protect_one(chat)
    again = await protect_one(chat)
    assert "/upgrade" in again
    assert len(await exposures(core)) == 1


async def test_a_stopped_experiment_shows_the_control_and_records_nothing(
        make_settings, database_url, clock, fake_reddit):
    from bot.app import build_dispatcher
    from core.bootstrap import open_core

    settings = make_settings(database_url, billing={"tiers": TIERS},
                             experiments={UPGRADE_PROMPT: {"active": False}})
    async with open_core(settings, clock=clock) as core:
        chat = ChatDriver(build_dispatcher(core))
        await protect_one(chat)
        prompt = await protect_one(chat)
        assert prompt.endswith("Starter gives you 30 protected photos a day. "
                               "Tap /upgrade to see the plans.")
        assert await exposures(core) == []


async def test_connect_at_the_account_limit_names_the_plan_that_connects_more(
        chat: ChatDriver, core: Core, fake_reddit: FakeReddit):
    await chat.send("/start")
    await connected_account(core, await user_of(core), fake_reddit)
    reply = await chat.send("/connect")
    assert "Your Free plan connects 1 Reddit account, and you have 1 connected." in reply.text
    variant = core.billing.experiments.variant(UPGRADE_PROMPT, 1)
    assert reply.text.endswith(t.UPGRADE_PROMPT[variant].format(
        upgrade="Starter", more="2 Reddit accounts"))
    assert reply.buttons[0].label == t.RECONNECT_BUTTON


async def test_connect_below_the_limit_offers_the_connect_link(chat: ChatDriver):
    reply = await chat.send("/connect")
    assert t.RECONNECT_BUTTON not in [b.label for b in reply.buttons]
    assert "/upgrade" not in reply.text
