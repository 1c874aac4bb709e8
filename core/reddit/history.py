"""Our own record of posts: what the cooldown, duplicate and repost checks look at."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.reddit.check import History
from core.reddit.models import RedditPost
from core.reddit.requirements import SubredditRules
from core.reddit.types import PostRequest, PostResult, title_key
from core.settings import RedditSettings


class PostHistory:
    def __init__(self, settings: RedditSettings, clock: Clock) -> None:
        self._settings = settings
        self._clock = clock

    async def facts(
        self,
        session: AsyncSession,
        user_id: int,
        account_id: int | None,
        request: PostRequest,
        rules: SubredditRules,
    ) -> History:
        now = self._clock.now()
        sub = request.subreddit_key
        cooldown_ends = None
        if account_id is not None and self._settings.cooldown_hours > 0:
            since = now - timedelta(hours=self._settings.cooldown_hours)
            last = await session.scalar(
                select(RedditPost.created_at)
                .where(RedditPost.account_id == account_id, RedditPost.subreddit == sub,
                       RedditPost.created_at >= since)
                .order_by(RedditPost.created_at.desc())
                .limit(1)
            )
            if last is not None:
                cooldown_ends = last + timedelta(hours=self._settings.cooldown_hours)
        since_dup = now - timedelta(days=self._settings.duplicate_days)
        recent = select(RedditPost.subreddit, RedditPost.created_at).where(
            RedditPost.user_id == user_id, RedditPost.created_at >= since_dup
        ).order_by(RedditPost.created_at.desc()).limit(1)
        content = request.content_hash()
        dup_content = dup_title = None
        reposted = False
        if content is not None:
            row = (await session.execute(
                recent.where(RedditPost.content_hash == content))).first()
            dup_content = row.subreddit if row else None
            if request.kind == "link" and rules.link_repost_age_days:
                since_repost = now - timedelta(days=rules.link_repost_age_days)
                reposted = await session.scalar(
                    select(RedditPost.id).where(
                        RedditPost.user_id == user_id, RedditPost.subreddit == sub,
                        RedditPost.content_hash == content,
                        RedditPost.created_at >= since_repost).limit(1)
                ) is not None
        key = title_key(request.title)
        if key:
            row = (await session.execute(recent.where(RedditPost.title_key == key))).first()
            dup_title = row.subreddit if row else None
        return History(
            last_here_at=cooldown_ends and cooldown_ends - timedelta(
                hours=self._settings.cooldown_hours),
            cooldown_ends_at=cooldown_ends,
            duplicate_content_in=dup_content,
            duplicate_title_in=dup_title,
            reposted_link=reposted,
        )

    async def record(
        self,
        session: AsyncSession,
        user_id: int,
        account_id: int | None,
        request: PostRequest,
        result: PostResult,
        content_hash: str | None,
    ) -> RedditPost:
        """Remember a successful post (the hash is of the original, unshielded media)."""
        post = RedditPost(
            user_id=user_id,
            account_id=account_id,
            subreddit=request.subreddit_key,
            kind=request.kind,
            title=request.title[:320],
            title_key=title_key(request.title)[:320],
            content_hash=content_hash,
            reddit_id=result.reddit_id,
            permalink=result.permalink,
            created_at=self._clock.now(),
        )
        session.add(post)
        await session.flush()
        return post
