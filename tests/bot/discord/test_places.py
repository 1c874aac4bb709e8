"""Servers and DMs: private replies in servers, adult features only where allowed."""

from core.texts import captions as caption_texts
from core.texts import common
from core.users import Who

DESCRIPTION = [{"name": "text", "type": 3, "value": "red dress on a rooftop at sunset"}]


def labels(call):
    return [c.get("label") for row in call.body.get("components", []) for c in row["components"]]


async def an_adult(core, user_id: int = 42) -> None:
    """A creator who confirmed 18+ and turned adult features on."""
    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("discord", str(user_id), "Alice"))
        await core.users.confirm_adult(session, user)
        await core.users.set_nsfw(session, user, enabled=True)
        await core.users.mark_onboarded(session, user)


async def test_in_a_server_everything_personal_is_ephemeral(fake_discord, discord_bot):
    interaction = await fake_discord.slash("help", guild=True)
    [reply] = await fake_discord.wait_followups(interaction)
    [ack] = fake_discord.callbacks(interaction)
    assert ack.body["data"]["flags"] & 64  # the "thinking" is private too
    assert reply.body["flags"] & 64


async def test_in_a_dm_replies_are_ordinary_messages(fake_discord, discord_bot):
    interaction = await fake_discord.slash("help")
    [reply] = await fake_discord.wait_followups(interaction)
    assert not reply.body.get("flags", 0) & 64


async def test_adult_options_show_in_an_age_restricted_channel(fake_discord, discord_bot, core):
    await an_adult(core)
    interaction = await fake_discord.slash("caption", DESCRIPTION, guild=True, nsfw=True)
    [setup, *_] = await fake_discord.wait_followups(interaction)
    assert any(label and label.startswith("🔞") for label in labels(setup))


async def test_adult_options_are_hidden_in_a_channel_without_age_restriction(
        fake_discord, discord_bot, core):
    await an_adult(core)
    interaction = await fake_discord.slash("caption", DESCRIPTION, guild=True, nsfw=False)
    [setup, *_] = await fake_discord.wait_followups(interaction)
    assert setup.body["content"]
    assert not any(label and label.startswith("🔞") for label in labels(setup))


async def test_an_adult_button_pressed_in_a_channel_without_age_restriction_is_refused(
        fake_discord, discord_bot, core):
    await an_adult(core)
    interaction = await fake_discord.slash("caption", DESCRIPTION, guild=True, nsfw=True)
    [setup, *_] = await fake_discord.wait_followups(interaction)
    spicy = next(c for row in setup.body["components"] for c in row["components"]
                 if c.get("label") in (caption_texts.SPICY_ON, caption_texts.SPICY_OFF))
    press = await fake_discord.press(setup.result, spicy["custom_id"], guild=True, nsfw=False)
    [answer] = await fake_discord.wait_followups(press)
    assert answer.body["content"] == common.NSFW_NOT_HERE


async def test_the_same_adult_button_works_in_a_dm(fake_discord, discord_bot, core):
    await an_adult(core)
    interaction = await fake_discord.slash("caption", DESCRIPTION)
    [setup, *_] = await fake_discord.wait_followups(interaction)
    spicy = next(c for row in setup.body["components"] for c in row["components"]
                 if c.get("label") in (caption_texts.SPICY_ON, caption_texts.SPICY_OFF))
    press = await fake_discord.press(setup.result, spicy["custom_id"])
    [answer] = await fake_discord.wait_followups(press)
    assert answer.body["content"] != common.NSFW_NOT_HERE
    assert spicy["label"] not in labels(answer)  # toggled
