"""The scheduled-post queue: what will go out when, with cancel and reschedule.

The same jobs as the chat's /queue and `thottopilot queue`, through the one posting
service, so a post cancelled here is cancelled everywhere. Times are shown and typed in
the creator's time zone; the new time may be what the date picker sends or the words
the chat understands ("tomorrow 9pm"). The service works in its own short
transactions, so no handler here holds one.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from aiohttp import web

from core.posting.service import JobView, PostingService
from core.posting.when import WhenError, local, parse_when, zone
from core.texts import site as texts
from web.bodies import read_form
from web.current import require_user_id, signed_in_reading
from web.keys import CORE_KEY
from web.render import form_refused, render

PICKER = "%Y-%m-%dT%H:%M"  # <input type="datetime-local">


def _when(text: str, tz_name: str, now: datetime) -> datetime:
    """The UTC instant typed, or `WhenError`."""
    day, sep, at = text.strip().partition("T")
    try:
        if not sep:
            raise ValueError("not a picker value")
        picked_day, picked_at = date.fromisoformat(day), time.fromisoformat(at)
    except ValueError:
        return parse_when(text, tz_name, now)
    return local(picked_day, picked_at.replace(tzinfo=None), zone(tz_name))


def _rows(views: list[JobView], tz_name: str) -> list[dict[str, Any]]:
    tz = zone(tz_name)
    return [{
        "id": v.id, "when": v.due_at.astimezone(tz).strftime("%a %d %b, %H:%M"),
        "picker": v.due_at.astimezone(tz).strftime(PICKER),
        "targets": [{"subreddit": t.subreddit, "title": t.title, "state": t.state,
                     "error": t.error} for t in v.targets],
        "open": any(t.state in ("queued", "failed") for t in v.targets),
    } for v in views]


async def _zone_of(request: web.Request) -> tuple[int, str]:
    """The signed-in user and their time zone: the session check and the user's row
    in one read unit (the session is not read again if this request already did)."""
    core = request.app[CORE_KEY]
    async with signed_in_reading(request) as (user_id, session):
        user = await core.users.get(session, user_id)
        return user_id, (user.timezone if user else None) or "UTC"


async def _checked_when(request: web.Request, service: PostingService, user_id: int,
                        text: str) -> datetime:
    """The new time, checked (past, tier horizon) before the service is called: a
    `WhenError` raised inside any unit of work does not come out cleanly (a frozen
    dataclass exception cannot take its traceback through `__aexit__`), so it is
    raised only after the read unit has closed."""
    core = request.app[CORE_KEY]
    async with core.db.read() as session:
        user = await core.users.get(session, user_id)
        if user is None:
            raise web.HTTPSeeOther("/signin")
        try:
            return service.check_time(
                user, _when(text, user.timezone or "UTC", core.clock.now()))
        except WhenError as exc:
            refused = exc
    raise refused


async def _page(request: web.Request, *, status: int = 200, done: str = "",
                problem: str = "", problem_job: int | None = None) -> web.Response:
    core = request.app[CORE_KEY]
    user_id, tz_name = await _zone_of(request)
    views = await PostingService(core).list_jobs(user_id)
    return await render(request, "queue.html", status=status, page_title="Queue",
                        jobs=_rows(views, tz_name), tz=tz_name, done=done,
                        problem=problem, problem_job=problem_job)


async def show(request: web.Request) -> web.Response:
    done = request.query.get("done", "")
    return await _page(request, done=done if done in ("cancelled", "moved") else "")


async def change(request: web.Request) -> web.Response:
    user_id = await require_user_id(request)
    form = await read_form(request)
    if (refused := await form_refused(request, form)) is not None:
        return refused
    job_id, action = int(request.match_info["job_id"]), request.match_info["action"]
    core = request.app[CORE_KEY]
    service = PostingService(core)
    if action == "cancel":
        view = await service.cancel(user_id, job_id)
        done = "cancelled"
    else:
        try:
            when = await _checked_when(request, service, user_id, str(form.get("when", "")))
            view = await service.reschedule(user_id, job_id, when)
        except WhenError as exc:
            text = texts.WHEN_ERRORS.get(exc.code, texts.WHEN_ERRORS["when_unreadable"])
            return await _page(request, status=422, problem=text.format(**exc.params),
                               problem_job=job_id)
        done = "moved"
    if view is None:  # not theirs, or gone: the list shows what is there
        raise web.HTTPSeeOther("/queue")
    raise web.HTTPSeeOther(f"/queue?done={done}")


def setup(app: web.Application) -> None:
    app.router.add_get("/queue", show)
    app.router.add_post(r"/queue/{job_id:\d{1,18}}/{action:cancel|reschedule}", change)
