"""The getting-started wizard through the real python-telegram-bot Application against
the fake Bot API: what a new creator sees on Telegram, tap by tap."""

from __future__ import annotations

from tests.fakes.telegram_user import TelegramUser

WAIT = 60.0


async def test_a_new_telegram_creator_gets_a_first_caption_in_at_most_ten_actions(
        fake_telegram, telegram_bot):
    alice = TelegramUser(fake_telegram)
    actions = 0

    async def tap(fragment: str, label: str):
        nonlocal actions
        actions += 1
        await alice.tap(await alice.expect(fragment, within=WAIT), label)

    actions += 1
    await alice.say("/start")
    await tap("Step 1 of 4", "SFW")
    await tap("Step 2 of 4", "Skip ▶")
    await tap("Step 3 of 4", "Skip ▶")
    await tap("Step 4 of 4", "✨ Use an example: red dress, rooftop at sunset")
    await tap("Here you go", "✅ Use 1")
    done = await alice.expect("You're all set", within=WAIT)
    assert "ready to copy" in done.params["text"]
    assert actions <= 10


async def test_telegram_nsfw_path_needs_the_confirmation_then_resumes_the_steps(
        fake_telegram, telegram_bot):
    alice = TelegramUser(fake_telegram)
    await alice.say("/start")
    await alice.tap(await alice.expect("Step 1 of 4", within=WAIT), "NSFW (18+)")
    await alice.tap(await alice.expect("18 or older", within=WAIT), "Yes, I confirm")
    step2 = await alice.expect("Adult features are on", within=WAIT)
    assert "Step 2 of 4" in step2.params["text"]
