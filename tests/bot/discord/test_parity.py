"""Every chat command exists on Telegram and on Discord alike."""

from bot.discord.commands import command_names


async def test_telegram_and_discord_offer_the_same_chat_commands(
        fake_discord, discord_bot, fake_telegram, telegram_bot, dispatcher):
    [published] = await fake_telegram.wait_for("setMyCommands")
    import json

    telegram = {c["command"] for c in json.loads(published.params["commands"])}
    [sync] = await fake_discord.wait_for("PUT", "/commands")
    discord = {c["name"] for c in sync.body}
    assert telegram == set(dispatcher.commands)
    assert telegram <= discord
    assert discord - telegram == {"cancel", "upload", "announce-here", "announce-my-posts"}
    assert set(command_names(dispatcher)) <= discord
