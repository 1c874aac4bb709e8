"""/tutorial through the real python-telegram-bot Application against the fake Bot API
and the fake Reddit: the photo comes in by getUpdates, the protected copy goes out by
sendDocument, and the post ends up queued in the posting engine."""

from __future__ import annotations

import json

from core.posting.service import PostingService
from core.texts import common
from core.texts import schedule as ts
from core.users import Who
from tests.fakes.creators import connected_account
from tests.fakes.photos import camera_photo
from tests.fakes.telegram_user import TelegramUser

WAIT = 60.0


async def _connect(core, fake_reddit):
    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("telegram", "42", "Alice"))
    await connected_account(core, user, fake_reddit)
    return user


async def test_a_telegram_creator_queues_a_first_post_one_tap_at_a_time(
        fake_telegram, telegram_bot, core, fake_reddit):
    user = await _connect(core, fake_reddit)
    fake_reddit.add_sub("pics")
    alice = TelegramUser(fake_telegram)
    await alice.say("/tutorial")
    await alice.expect("Send me the photo", within=WAIT)
    await alice.send_photo(camera_photo())
    await alice.tap(await alice.expect("Step 1 of 4", within=WAIT), "✅ Use 1")
    await alice.tap(await alice.expect("Step 2 of 4", within=WAIT), "Standard ✓")
    await alice.expect("Step 3 of 4", within=WAIT)
    assert fake_telegram.calls_to("sendDocument")  # the protected copy, as a file
    await alice.say("r/pics")
    when = await alice.expect("Step 4 of 4", within=WAIT)
    await alice.tap(when, "⏰ Queue for Wed 25 Nov, 14:00")
    done = await alice.expect("Your post is queued", within=WAIT)
    [job] = await PostingService(core).list_jobs(user.id)
    assert [t.subreddit for t in job.targets] == ["pics"]
    await alice.tap(done, "🗓 See my queue")  # a next-step button starts /queue
    await alice.expect(ts.QUEUE_HEADER.format(n=1), within=WAIT)


async def test_telegram_lists_tutorial_among_the_bots_commands(fake_telegram, telegram_bot):
    [published] = await fake_telegram.wait_for("setMyCommands")
    commands = {c["command"]: c["description"] for c in json.loads(published.params["commands"])}
    assert commands["tutorial"].startswith("a guided first post")


async def test_a_forged_button_on_telegram_gets_the_friendly_message(
        fake_telegram, telegram_bot, core, fake_reddit):
    await _connect(core, fake_reddit)
    alice = TelegramUser(fake_telegram)
    await alice.say("/tutorial")
    intro = await alice.expect("Send me the photo", within=WAIT)
    await fake_telegram.press(intro.result, "tutorial|best~zz~AAAAAAAAAAAA")
    await alice.expect(common.BUTTON_EXPIRED, within=WAIT)
