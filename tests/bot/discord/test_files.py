"""Photos in (DM attachments, /upload) with the size limit enforced before reading."""

import pytest

from bot.conversation.events import FileRef
from bot.conversation.replies import FileTooLarge
from tests.fakes.photos import camera_photo


async def test_a_photo_sent_in_a_dm_is_downloaded_and_offered_choices(fake_discord,
                                                                     discord_bot):
    photo = fake_discord.store_attachment(camera_photo())
    await fake_discord.dm("rooftop at sunset", attachments=[photo])
    [reply] = await fake_discord.wait_for("POST", "/channels/")
    assert reply.body["content"]


async def test_upload_command_brings_a_photo_from_a_server(fake_discord, discord_bot):
    photo = fake_discord.store_attachment(camera_photo())
    interaction = await fake_discord.slash(
        "upload", [{"name": "photo", "type": 11, "value": photo["id"]}],
        guild=True, attachments=[photo])
    [reply, *_] = await fake_discord.wait_followups(interaction)
    assert reply.body["content"]
    assert reply.body["flags"] & 64


async def test_a_file_over_the_limit_is_refused_before_any_byte_is_read(fake_discord,
                                                                      discord_bot):
    from bot.discord.channel import Downloader

    photo = fake_discord.store_attachment(b"x" * 4096)
    downloader = Downloader()
    try:
        with pytest.raises(FileTooLarge):
            await downloader.download(FileRef("discord", photo["url"], size=4096), 1024)
        assert fake_discord.cdn_reads == []
        with pytest.raises(FileTooLarge):  # a size Discord did not announce: cut off
            await downloader.download(FileRef("discord", photo["url"]), 1024)
        data = await downloader.download(FileRef("discord", photo["url"]), 8192)
        assert data == b"x" * 4096
    finally:
        await downloader.close()


async def test_a_dm_typed_text_reaches_the_flow(fake_discord, discord_bot):
    await fake_discord.dm("/caption")
    await fake_discord.wait_for("POST", "/channels/")
    await fake_discord.dm("red dress on a rooftop")
    calls = await fake_discord.wait_for("POST", "/channels/", count=2)
    assert calls[1].body["content"] != calls[0].body["content"]
