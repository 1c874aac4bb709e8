"""Caption and post history: what was written for the creator and what went out.

The page arrives rendered on the server with the newest 50 captions and every post the
posting service knows, so the first screen needs no script. Older captions come 50 at a
time from `GET /history/captions?before=<option id>`, an HTML fragment rendered from the
same partial (`_caption_rows.html`) as the first 50; `static/history.js` shows skeleton
rows while a page of them loads, so the list never jumps or looks frozen on a slow link.
Paging is by option id (newest first), not by offset, so captions written meanwhile
never shift a page.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import TYPE_CHECKING, Any

from aiohttp import web
from sqlalchemy import select

from core.captions.models import CaptionBatchRecord, CaptionOptionRecord
from core.posting.service import PostingService
from core.posting.when import zone
from core.texts import site as texts
from web.current import signed_in_reading
from web.keys import CORE_KEY
from web.render import render

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from core.bootstrap import Core

CAPTIONS_SHOWN = 50
SHOWN_AS = "%d %b %Y, %H:%M"


async def _captions(session: AsyncSession, user_id: int, tz: tzinfo,
                    before: int | None) -> tuple[list[dict[str, Any]], int | None]:
    """Up to 50 of the user's captions older than option `before` (newest first), and
    the `before` for the next page, or None when these are the oldest."""
    query = (select(CaptionOptionRecord.id, CaptionOptionRecord.title,
                    CaptionOptionRecord.used_at, CaptionOptionRecord.created_at,
                    CaptionBatchRecord.subreddit, CaptionBatchRecord.tone)
             .join(CaptionBatchRecord, CaptionBatchRecord.id == CaptionOptionRecord.batch_id)
             .where(CaptionOptionRecord.user_id == user_id))
    if before is not None:
        query = query.where(CaptionOptionRecord.id < before)
    rows = (await session.execute(
        query.order_by(CaptionOptionRecord.id.desc()).limit(CAPTIONS_SHOWN + 1))).all()
    shown = rows[:CAPTIONS_SHOWN]
    next_before = shown[-1].id if len(rows) > CAPTIONS_SHOWN else None
    return [{"title": r.title, "used": r.used_at is not None, "subreddit": r.subreddit,
             "tone": r.tone, "when": r.created_at.astimezone(tz).strftime(SHOWN_AS)}
            for r in shown], next_before


async def _zone(core: Core, session: AsyncSession, user_id: int) -> tzinfo:
    user = await core.users.get(session, user_id)
    return zone((user.timezone if user else None) or "UTC")


async def show(request: web.Request) -> web.Response:
    core = request.app[CORE_KEY]
    async with signed_in_reading(request) as (user_id, session):
        tz = await _zone(core, session, user_id)
        captions, next_before = await _captions(session, user_id, tz, None)
    jobs = await PostingService(core).list_jobs(user_id, include_done=True)
    posts = [{"when": t.due_at.astimezone(tz).strftime(SHOWN_AS), "subreddit": t.subreddit,
              "title": t.title, "state": t.state, "permalink": t.permalink}
             for job in reversed(jobs) for t in job.targets]
    return await render(request, "history.html", page_title="History", texts=texts,
                        captions=captions,
                        next_before=next_before, posts=posts)


async def older_captions(request: web.Request) -> web.Response:
    """The next 50 older captions as `<li>` rows (the fragment `history.js` inserts)."""
    raw = request.query.get("before", "")
    core = request.app[CORE_KEY]
    async with signed_in_reading(request) as (user_id, session):
        if not raw.isdigit() or not 0 < int(raw) < 2**63:
            return web.Response(status=400, text=texts.HISTORY_BAD_BEFORE,
                                content_type="text/plain")
        tz = await _zone(core, session, user_id)
        captions, next_before = await _captions(session, user_id, tz, int(raw))
    return await render(request, "_caption_rows.html", captions=captions,
                        next_before=next_before, headers={"Cache-Control": "no-store"})


def setup(app: web.Application) -> None:
    app.router.add_get("/history", show)
    app.router.add_get("/history/captions", older_captions)
