"""Server admins pick the announcement channel; linking works from Discord."""

import re

from core.communities import announcement_channel
from core.texts import discord as t
from core.texts import link as link_texts
from tests.fakes.chat import ChatDriver
from tests.fakes.discord_payloads import GUILD_ID, SFW_CHANNEL_ID


async def test_an_admin_sets_the_announcement_channel(fake_discord, discord_bot, core):
    interaction = await fake_discord.slash("announce-here", guild=True, admin=True)
    [reply] = await fake_discord.wait_followups(interaction)
    assert reply.body["content"] == t.ANNOUNCE_SET.format(channel=f"<#{SFW_CHANNEL_ID}>")
    async with core.db.read() as session:
        assert await announcement_channel(session, "discord", GUILD_ID) == SFW_CHANNEL_ID


async def test_a_member_without_manage_server_cannot(fake_discord, discord_bot, core):
    interaction = await fake_discord.slash("announce-here", guild=True, admin=False)
    [reply] = await fake_discord.wait_followups(interaction)
    assert reply.body["content"] == t.ANNOUNCE_ADMINS_ONLY
    async with core.db.read() as session:
        assert await announcement_channel(session, "discord", GUILD_ID) is None


async def test_the_command_is_for_server_managers_only_by_default(fake_discord, discord_bot):
    [sync] = await fake_discord.wait_for("PUT", "/commands")
    [announce] = [c for c in sync.body if c["name"] == "announce-here"]
    assert int(announce["default_member_permissions"]) == 1 << 5  # MANAGE_GUILD


async def test_a_code_from_another_chat_links_the_discord_identity(
        fake_discord, discord_bot, dispatcher):
    elsewhere = ChatDriver(dispatcher, "alice")
    shown = (await elsewhere.send("/link")).text
    code = re.search(r"[2-9A-Z]{4}-[2-9A-Z]{4}", shown).group(0)
    typed = await fake_discord.slash("link", [{"name": "text", "type": 3, "value": code}])
    [confirm] = await fake_discord.wait_followups(typed)
    assert "alice on Console" in confirm.body["content"]
    yes = next(c for row in confirm.body["components"] for c in row["components"]
               if c["label"] == link_texts.YES)
    press = await fake_discord.press(confirm.result, yes["custom_id"])
    [done] = await fake_discord.wait_followups(press)
    assert done.body["content"] == link_texts.LINKED
