"""/tutorial on Discord, as on Telegram: the real discord.py client against the fake
Discord and asyncpraw against the fake Reddit; in a DM and in a server channel (photo
through /upload, text through the answer modal), ending with the post queued."""

from __future__ import annotations

import pytest

from core.posting.service import PostingService
from core.texts import tutorial as t
from core.users import Who
from tests.bot.discord.test_journeys import within_discord_limits
from tests.fakes.creators import connected_account
from tests.fakes.discord_user import DiscordUser
from tests.fakes.photos import camera_photo


@pytest.fixture
def settings(make_settings, database_url, fake_reddit):
    return make_settings(database_url, reddit=fake_reddit.settings_section())


@pytest.mark.parametrize("guild", [False, True], ids=["dm", "server"])
async def test_a_discord_creator_queues_a_first_post_step_by_step(
        fake_discord, discord_bot, core, fake_reddit, guild):
    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("discord", "42", "Alice"))
    await connected_account(core, user, fake_reddit)
    fake_reddit.add_sub("pics")
    alice = DiscordUser(fake_discord, guild=guild)
    await alice.command("tutorial")
    await alice.expect(t.NEED_PHOTO.split(" (")[0])
    await alice.send_photo(camera_photo())
    options = await alice.expect("Step 1 of 4")
    await alice.tap(options, "✅ Use 1")
    levels = await alice.expect("Step 2 of 4")
    await alice.tap(levels, "Standard ✓")
    subs = await alice.expect("Step 3 of 4")
    await alice.say("r/pics")
    when = await alice.expect("Step 4 of 4")
    for call in (options, levels, subs, when):
        within_discord_limits(call)
    await alice.tap(when, "⏰ Queue for Wed 25 Nov, 14:00")
    await alice.expect("Your post is queued")
    [job] = await PostingService(core).list_jobs(user.id)
    assert [target.subreddit for target in job.targets] == ["pics"]
