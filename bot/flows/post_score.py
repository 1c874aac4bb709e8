"""/post's engagement forecast: each subreddit's score at its best hour, with reasons.

Shown just before "Ready to post", so the creator can still change a title. The score
and its reasons come from core.outcomes.engagement (reads only: no Reddit call here).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.conversation.context import FlowContext
from bot.flows import post_zone as zones
from bot.flows.post_state import draft_of
from core.outcomes.engagement import EngagementService
from core.texts import outcomes as t


async def forecast(ctx: FlowContext) -> None:
    draft = draft_of(ctx)
    service = EngagementService(ctx.core)
    tz = ZoneInfo(zones.zone_name(ctx))
    lines, fitted = [], 0
    for target in (tg for tg in draft.targets if tg.pending):
        scored, at = await service.score_at_best(
            ctx.user.id, target.sub, target.title, tz=tz,
            images=len(draft.files_of(target)), nsfw=target.nsfw)
        fitted = max(fitted, scored.fitted_on)
        why = t.score_reasons([(r.feature, r.effect) for r in scored.reasons])
        lines.append(t.SCORE_LINE.format(sub=target.sub, score=scored.score,
                                         when=zones.shown(ctx, at), why=why))
    if lines:
        await ctx.reply("\n".join([t.SCORE_HEADER, *lines, t.SCORE_BASIS[min(fitted, 1)]]))
