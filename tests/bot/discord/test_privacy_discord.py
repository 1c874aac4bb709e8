"""Discord's own commands (not flows) meet an account pending deletion too: the answer
names the date and /restore instead of leaving the command thinking forever."""

from __future__ import annotations

from bot.discord.news import HERE
from core.privacy.deletion import AccountDeletions
from core.texts import privacy as t
from core.users import Who

ALICE = 42


async def test_choosing_news_for_an_account_pending_deletion_names_restore(
        core, fake_discord, discord_bot):
    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("discord", str(ALICE)))
        await AccountDeletions(core).request(session, user, "discord")
    chose = await fake_discord.slash("announce-my-posts",
                                     [{"name": "where", "type": 3, "value": HERE}],
                                     guild=True, user_id=ALICE)
    [answer] = await fake_discord.wait_followups(chose)
    assert answer.body["content"] == t.ERRORS["account_pending_deletion"].format(
        date="25 December 2026")
