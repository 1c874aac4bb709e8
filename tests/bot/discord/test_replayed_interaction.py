"""Discord delivers an interaction once, but our handling of it can run twice (a
process killed after the work committed): the charge it made is keyed by the
interaction's id, so pressing "Write captions" is charged once however often it runs."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.billing.models import UsageCounter
from core.bootstrap import Core
from core.texts import captions as ct
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord_user import DiscordUser

CEILING = 60.0


@pytest.fixture
def alice(fake_discord: FakeDiscord) -> DiscordUser:
    return DiscordUser(fake_discord)


async def _used(core: Core) -> int:
    async with core.db.read() as session:
        return int(await session.scalar(
            select(func.coalesce(func.sum(UsageCounter.used), 0))) or 0)


async def test_a_write_captions_press_handled_twice_charges_one_caption(
        fake_discord: FakeDiscord, discord_bot: object, alice: DiscordUser, core: Core) -> None:
    await alice.command("caption")
    await alice.expect(ct.ASK_DESCRIPTION)
    await alice.say("red dress on a rooftop at sunset")
    setup = await alice.expect("red dress")
    press = await alice.tap(setup, ct.WRITE)
    await alice.expect("1. ")
    await fake_discord.wait_until(lambda: len(fake_discord.callbacks(press)) >= 1, CEILING)
    assert await _used(core) == 1

    await fake_discord.dispatch("INTERACTION_CREATE", press)  # the same interaction again
    await alice.expect("1. ")  # written again (the options are the last step's words)
    assert await _used(core) == 1
