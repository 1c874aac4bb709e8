"""Caption and post history: what was written for the creator and what went out.

Rendered on the server in one short read (the newest 50 captions and every post the
posting service knows), which is faster on a phone than a skeleton page that fetches
its rows afterwards.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from sqlalchemy import select

from core.captions.models import CaptionBatchRecord, CaptionOptionRecord
from core.posting.service import PostingService
from core.posting.when import zone
from web.current import require_user_id
from web.keys import CORE_KEY
from web.render import render

CAPTIONS_SHOWN = 50
SHOWN_AS = "%d %b %Y, %H:%M"


async def show(request: web.Request) -> web.Response:
    user_id = await require_user_id(request)
    core = request.app[CORE_KEY]
    async with core.db.read() as session:
        user = await core.users.get(session, user_id)
        tz = zone((user.timezone if user else None) or "UTC")
        rows = (await session.execute(
            select(CaptionOptionRecord.title, CaptionOptionRecord.used_at,
                   CaptionOptionRecord.created_at, CaptionBatchRecord.subreddit,
                   CaptionBatchRecord.tone)
            .join(CaptionBatchRecord, CaptionBatchRecord.id == CaptionOptionRecord.batch_id)
            .where(CaptionOptionRecord.user_id == user_id)
            .order_by(CaptionOptionRecord.id.desc()).limit(CAPTIONS_SHOWN))).all()
    captions: list[dict[str, Any]] = [{
        "title": r.title, "used": r.used_at is not None, "subreddit": r.subreddit,
        "tone": r.tone, "when": r.created_at.astimezone(tz).strftime(SHOWN_AS)} for r in rows]
    jobs = await PostingService(core).list_jobs(user_id, include_done=True)
    posts = [{"when": t.due_at.astimezone(tz).strftime(SHOWN_AS), "subreddit": t.subreddit,
              "title": t.title, "state": t.state, "permalink": t.permalink}
             for job in reversed(jobs) for t in job.targets]
    return await render(request, "history.html", page_title="History", captions=captions,
                        posts=posts)


def setup(app: web.Application) -> None:
    app.router.add_get("/history", show)
