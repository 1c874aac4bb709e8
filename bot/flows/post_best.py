"""/post's Best time, learned: each subreddit's best hour this week for this creator.

core.outcomes.besttime_service decides (their own results there, the subreddit's busy
hours, the documented default without data); this module only asks it for each target,
after committing the update's transaction, because the first ask of a subreddit reads
its activity from Reddit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.conversation.context import FlowContext
from bot.flows import post_zone as zones
from bot.flows.post_state import Target
from core.outcomes.besttime_service import BestTimeService
from core.posting.when import tier_horizon


async def best_times(ctx: FlowContext, targets: Iterable[Target]) -> dict[str, datetime]:
    """Subreddit -> when it goes out (UTC), within the creator's scheduling horizon; a
    subreddit left out has no learned hour that fits."""
    await ctx.checkpoint()  # nothing held while Reddit is asked
    service = BestTimeService(ctx.core)
    tz = ZoneInfo(zones.zone_name(ctx))
    days = tier_horizon(ctx.core.settings, ctx.user.tier)
    horizon = timedelta(days=days) if days is not None else None
    found = {t.sub: await service.next_time(ctx.user.id, t.sub, nsfw=t.nsfw, tz=tz,
                                            horizon=horizon) for t in targets}
    return {sub: at for sub, at in found.items() if at is not None}
