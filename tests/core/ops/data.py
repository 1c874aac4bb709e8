"""What the backup specs back up: two creators, a Reddit account and a scheduled post,
and a way to read every table of a database back for comparison."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import MetaData, select
from sqlalchemy.engine import Connection

from core.bootstrap import Core
from core.db.database import Database
from core.posting.service import PostingService, TargetSpec
from core.reddit.client import Credentials
from core.reddit.types import PostRequest
from core.settings import Settings
from core.users import Who


async def seed(core: Core) -> None:
    """Alice (with u/alice_posts and a text post due tomorrow) and Bob."""
    async with core.db.session() as session:
        alice, _ = await core.users.get_or_create(session, Who("telegram", "1", "Alice"))
        await core.users.get_or_create(session, Who("discord", "2", "Bob"))
        account = await core.reddit.accounts.save(
            session, alice.id, "alice_posts", Credentials(kind="refresh", refresh_token="rt"),
            auth_kind="token")
    await PostingService(core).create_job(
        user_id=alice.id, account_id=account.id,
        request=PostRequest(subreddit="selfie", kind="text", title="Sunday mood", body="hi"),
        targets=[TargetSpec("selfie", "Sunday mood")],
        due_at=core.clock.now() + timedelta(days=1))


async def snapshot(settings: Settings) -> dict[str, list[str]]:
    """Every row of every table, as sorted text (order-independent, type-faithful),
    read with a plain connection: no Core, so nothing is written meanwhile."""
    def read(conn: Connection) -> dict[str, list[str]]:
        meta = MetaData()
        meta.reflect(conn)
        out: dict[str, list[str]] = {}
        for name, table in meta.tables.items():
            rows: list[Any] = list(conn.execute(select(table)))
            out[name] = sorted(repr(tuple(row)) for row in rows)
        return out

    db = Database(settings.database_url)
    try:
        async with db.engine.connect() as conn:
            return await conn.run_sync(read)
    finally:
        await db.dispose()
