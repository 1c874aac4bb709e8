"""Slash commands: synced on start, one per chat command, deferred then followed up."""

from bot.discord.commands import command_names
from core.texts import captions as caption_texts
from tests.fakes.discord_payloads import APP_ID


async def test_every_chat_command_is_synced_by_one_bulk_overwrite(fake_discord, discord_bot,
                                                                  dispatcher):
    [sync] = await fake_discord.wait_for("PUT", f"/applications/{APP_ID}/commands")
    synced = {c["name"] for c in sync.body}
    assert set(command_names(dispatcher)) <= synced
    assert {"upload", "announce-here", "cancel", "link"} <= synced


async def test_commands_that_take_words_have_a_text_option(fake_discord, discord_bot):
    [sync] = await fake_discord.wait_for("PUT", "/commands")
    by_name = {c["name"]: c for c in sync.body}
    [option] = by_name["caption"]["options"]
    assert (option["name"], option["type"]) == ("text", 3)
    assert not option["required"]
    assert by_name["queue"].get("options", []) == []
    assert by_name["help"]["options"][0]["name"] == "text"  # /help QUERY searches help


async def test_a_command_is_deferred_first_then_answered_by_a_followup(fake_discord,
                                                                       discord_bot):
    interaction = await fake_discord.slash("help")
    [reply] = await fake_discord.wait_followups(interaction)
    [ack] = fake_discord.callbacks(interaction)
    assert ack.body["type"] == 5  # DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
    assert fake_discord.calls.index(ack) < fake_discord.calls.index(reply)
    assert "/cancel" in reply.body["content"]


async def test_each_command_answers(fake_discord, discord_bot, dispatcher):
    for name in command_names(dispatcher):
        interaction = await fake_discord.slash(name)
        [reply, *_] = await fake_discord.wait_followups(interaction)
        assert reply.body["content"], name


async def test_command_words_reach_the_flow(fake_discord, discord_bot):
    bare = await fake_discord.slash("caption")
    [question, *_] = await fake_discord.wait_followups(bare)
    assert question.body["content"] == caption_texts.ASK_DESCRIPTION
    worded = await fake_discord.slash("caption", [{"name": "text", "type": 3,
                                                   "value": "red dress on a rooftop"}])
    [reply, *_] = await fake_discord.wait_followups(worded)
    assert reply.body["content"] != caption_texts.ASK_DESCRIPTION  # skipped the question
