"""Group DMs and DMs between people are not a private chat with the bot.

With "User Install" on, Discord would deliver a command used in a group DM, or in a
DM between two people, to the bot with no server (context PRIVATE_CHANNEL). The
commands declare where they may be used (servers and the bot's own DM, installed to
servers), and an interaction from such a channel is neither adult-allowed nor answered
in the open. The real discord.py client against the fake Discord."""

from __future__ import annotations

import pytest

from bot.discord.commands import command_names
from tests.bot.discord.test_places import DESCRIPTION, an_adult, labels
from tests.fakes.discord_payloads import APP_ID

GUILD, BOT_DM = 0, 1  # InteractionContextType
GUILD_INSTALL = 0  # ApplicationIntegrationType


def adult_labels(call) -> list[str]:
    return [label for label in labels(call) if label and label.startswith("🔞")]


async def test_commands_are_for_servers_and_the_bots_dm_installed_to_servers(
        fake_discord, discord_bot, dispatcher):
    [sync] = await fake_discord.wait_for("PUT", f"/applications/{APP_ID}/commands")
    by_name = {c["name"]: c for c in sync.body}
    for name in [*command_names(dispatcher), "upload"]:
        assert sorted(by_name[name]["contexts"]) == [GUILD, BOT_DM], name
        assert by_name[name]["integration_types"] == [GUILD_INSTALL], name
    assert by_name["announce-here"]["contexts"] == [GUILD]
    assert by_name["announce-here"]["integration_types"] == [GUILD_INSTALL]


@pytest.mark.parametrize("private", ["group", "dm"], ids=["group-dm", "dm-between-people"])
async def test_a_private_channel_is_not_an_adult_place_and_replies_stay_private(
        fake_discord, discord_bot, core, private):
    await an_adult(core)
    interaction = await fake_discord.slash("caption", DESCRIPTION, private=private)
    [setup, *_] = await fake_discord.wait_followups(interaction)
    assert setup.body["content"]
    assert adult_labels(setup) == []
    assert setup.body["flags"] & 64  # others in the group don't see it
    [ack] = fake_discord.callbacks(interaction)
    assert ack.body["data"]["flags"] & 64  # nor the "thinking…" before it


async def test_the_bots_own_dm_is_still_an_adult_place(fake_discord, discord_bot, core):
    await an_adult(core)
    interaction = await fake_discord.slash("caption", DESCRIPTION)
    [setup, *_] = await fake_discord.wait_followups(interaction)
    assert adult_labels(setup)
    assert not setup.body.get("flags", 0) & 64
