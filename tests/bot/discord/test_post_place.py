"""/post respects the place: an 18+ subreddit can't be posted to from a server channel
without an age restriction, even by a creator who turned adult features on; the same
post from an age-restricted channel reaches the rule check's next step. Through the
real discord.py client against the fake Discord, and asyncpraw against the fake Reddit.
"""

from __future__ import annotations

import pytest

from bot.discord import render
from core.reddit.client import Credentials
from core.texts import reddit as t
from tests.bot.discord.test_places import an_adult

LINK = "https://example.com/sunset"
READY_START = t.READY.split("\n")[0]


@pytest.fixture
def settings(make_settings, database_url, fake_reddit):
    return make_settings(database_url, reddit=fake_reddit.settings_section())


async def _adult_with_reddit(core, fake_reddit) -> None:
    await an_adult(core)
    async with core.db.session() as session:
        user = await core.users.find(session, "discord", "42")
        creds = Credentials("refresh", refresh_token=fake_reddit.issue_refresh_token("alice"))
        await core.reddit.accounts.save(session, user.id, "alice", creds, auth_kind="token")


def _button(call, label: str) -> dict:
    return next(c for row in call.body.get("components", []) for c in row["components"]
                if c.get("label") == label)


async def _post_link_to(fake_discord, sub: str, *, nsfw: bool) -> list[str]:
    """/post a link with a title to r/`sub` from a server channel; what the bot said
    after Done was pressed."""
    where = {"guild": True, "nsfw": nsfw}
    start = await fake_discord.slash("post", **where)
    await fake_discord.wait_followups(start)
    for answer in (LINK, "Sunset from the roof", f"r/{sub}"):
        typed = await fake_discord.submit_modal(render.ANSWER_ID, {"text": answer}, **where)
        [asked, *_] = await fake_discord.wait_followups(typed)
    done = await fake_discord.press(asked.result, _button(asked, t.DONE)["custom_id"], **where)

    def said() -> list[str]:
        return [r.body["content"] for r in fake_discord.followups(done)]

    # The check ends with "ready to post" or, with nothing postable, "can't post this".
    await fake_discord.wait_until(lambda: any(
        line.startswith(READY_START) or line == t.ALL_BLOCKED for line in said()))
    return said()


async def test_an_adult_subreddit_is_refused_in_a_channel_without_age_restriction(
        fake_discord, discord_bot, core, fake_reddit):
    await _adult_with_reddit(core, fake_reddit)
    fake_reddit.add_sub("AfterDark", about={"over18": True})
    said = await _post_link_to(fake_discord, "AfterDark", nsfw=False)
    reason = t.ISSUES["adult_place_needed"].format(subreddit="AfterDark")
    assert t.BLOCKED_PREFIX.format(sub="AfterDark", reason=reason) in said
    assert said[-1] == t.ALL_BLOCKED
    assert fake_reddit.posts == []


async def test_the_same_post_from_an_age_restricted_channel_is_not_refused(
        fake_discord, discord_bot, core, fake_reddit):
    await _adult_with_reddit(core, fake_reddit)
    fake_reddit.add_sub("AfterDark", about={"over18": True})
    said = await _post_link_to(fake_discord, "AfterDark", nsfw=True)
    assert not any(line.startswith(t.BLOCKED_PREFIX.format(sub="AfterDark", reason=""))
                   for line in said)
    assert any(line.startswith(READY_START) for line in said)


async def test_working_on_a_post_here_makes_discord_where_its_news_goes_first(
        fake_discord, discord_bot, core, fake_reddit):
    await _adult_with_reddit(core, fake_reddit)
    fake_reddit.add_sub("EarthPorn")
    await _post_link_to(fake_discord, "EarthPorn", nsfw=False)
    async with core.db.read() as session:
        user = await core.users.find(session, "discord", "42")
        assert user.notify_via == "discord"
