"""The creator most Reddit and posting specs start from: adult, NSFW on, u/alice linked."""

from __future__ import annotations

from core.bootstrap import Core
from core.db.models import User
from core.reddit.client import Credentials
from core.reddit.models import RedditAccount
from core.users import Who
from tests.fakes.chat import ChatDriver
from tests.fakes.reddit import FakeReddit


async def adult_creator(core: Core) -> User:
    """An adult creator with NSFW features on."""
    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("console", "alice", "Alice"))
        await core.users.confirm_adult(session, user)
        await core.users.set_nsfw(session, user, True)
    return user


async def connected_account(core: Core, user: User, fake_reddit: FakeReddit) -> RedditAccount:
    """u/alice connected through an existing refresh token."""
    creds = Credentials(kind="refresh", refresh_token=fake_reddit.issue_refresh_token("alice"))
    async with core.db.session() as session:
        return await core.reddit.accounts.save(session, user.id, "alice", creds, auth_kind="token")


async def chatting_creator(chat: ChatDriver, core: Core, fake_reddit: FakeReddit
                           ) -> tuple[User, RedditAccount]:
    """Alice as the chat specs meet her: she has said /start in the terminal chat and
    u/alice is connected."""
    await chat.send("/start")
    async with core.db.session() as session:
        user = await core.users.find(session, "console", "alice")
    assert user is not None
    return user, await connected_account(core, user, fake_reddit)
