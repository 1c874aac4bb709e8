"""The settings page: the same rows the chat reads, so a change shows up there at once.

Captions (tone, emoji, banned words, promo link) live in the caption voice row
(`core.captions`), the default style in the creator profile (`core.onboarding`), adult
content and time zone on the user (`core.users`), the default protection level in the
Reddit prefs, the accounts in `core.reddit.accounts` and the notice preferences and
push subscriptions in `core.push`. Each
section is its own form: a mistake in one never throws away what was typed in another.
Success redirects (so a reload does not post again) to the page with a "Saved" notice;
a mistake re-renders the section with what was typed and a message by each field.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from core.captions import catalog
from core.db.models import User
from core.onboarding.service import ADULT, Onboarding
from core.push import prefs as notice_prefs
from core.push import subscriptions
from core.reddit.models import RedditPrefs
from core.texts import site as texts
from web.account import settings_form
from web.bodies import Form, read_form
from web.csrf import FIELD, valid
from web.current import require_user_id, signed_in_reading, visit
from web.keys import CORE_KEY
from web.pwa.push import push_key
from web.render import message, render

SECTIONS = ("voice", "content", "posting", "notifications")


async def _user(request: web.Request, session: AsyncSession, user_id: int) -> User:
    user = await request.app[CORE_KEY].users.get(session, user_id)
    if user is None:  # deleted between the session check and now
        raise web.HTTPSeeOther("/signin")
    return user


async def _current(request: web.Request, session: AsyncSession, user: User) -> dict[str, Any]:
    """What the page shows: today's values from the database."""
    core = request.app[CORE_KEY]
    voice = await core.captions.get_voice(session, user)
    prefs = await session.get(RedditPrefs, user.id)
    accounts = await core.reddit.accounts.list(session, user.id)
    profile = await Onboarding(core.clock, core.events).profile(session, user)
    notices = await notice_prefs.load(session, user.id)
    devices = await subscriptions.of_user(session, user.id)
    return {
        "tone": voice.preferred_tone or "", "style": profile.preferred_style or "",
        "notices": notices, "devices": [d.user_agent or texts.UNNAMED_DEVICE for d in devices],
        "emoji_budget": str(voice.emoji_budget),
        "banned_words": ", ".join(voice.banned_words), "promo_link": voice.promo_link or "",
        "nsfw": user.nsfw_enabled, "adult_confirmed": user.adult_confirmed_at is not None,
        "timezone": user.timezone or "UTC",
        "protect_level": (prefs.protect_level if prefs else None) or settings_form.NO_PROTECTION,
        "accounts": [{"id": a.id, "name": a.username, "status": a.status} for a in accounts],
    }


async def _page(request: web.Request, values: dict[str, Any], *, status: int = 200,
                saved: str = "", failed: str = "", errors: dict[str, str] | None = None,
                notice: str = "") -> web.Response:
    user_id = await require_user_id(request)
    return await render(
        request, "settings.html", status=status, page_title="Settings", v=values,
        saved=saved, failed=failed, errors=errors or {}, notice=notice,
        tones=catalog.keys(catalog.TONES), styles=catalog.keys(catalog.STYLES),
        protect_levels=settings_form.PROTECT_CHOICES, topics=notice_prefs.TOPICS,
        vapid_key=push_key(request),
        connect_url=request.app[CORE_KEY].reddit.oauth.connect_link(user_id),
        texts=texts)


async def show(request: web.Request) -> web.Response:
    async with signed_in_reading(request) as (user_id, session):
        values = await _current(request, session, await _user(request, session, user_id))
    saved = request.query.get("saved", "")
    return await _page(request, values, saved=saved if saved in (*SECTIONS, "reddit") else "")


async def _checked_form(request: web.Request) -> tuple[int, Form]:
    """The signed-in user and their form, if its CSRF token is this session's."""
    user_id = await require_user_id(request)
    form = await read_form(request)
    if not valid(request, (await visit(request)).token, form.get(FIELD)):
        heading, text = texts.CSRF_FAILED
        raise web.HTTPForbidden(text=text, reason=heading)
    return user_id, form


async def save(request: web.Request) -> web.Response:
    section = request.match_info["section"]
    if section not in SECTIONS:
        raise web.HTTPNotFound()
    try:
        user_id, form = await _checked_form(request)
    except web.HTTPForbidden as refused:
        return await message(request, texts.CSRF_FAILED[0], refused.text or "", status=403)
    core = request.app[CORE_KEY]
    async with core.db.session() as session:
        user = await _user(request, session, user_id)
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        if section == "voice":
            result = settings_form.voice(fields, core.captions.clean_link)
        elif section == "content":
            result = settings_form.content(fields, user.adult_confirmed_at is not None)
        elif section == "notifications":
            result = settings_form.notifications(fields)
        else:
            result = settings_form.posting(fields)
        if not result.ok:
            values = await _current(request, session, user)
            values.update({k: v for k, v in fields.items() if k in values})
            if section == "content":
                values["nsfw"] = fields.get("nsfw") == "on"
            return await _page(request, values, status=422, failed=section,
                               errors=result.errors)
        await _apply(request, session, user, section, result.values)
    raise web.HTTPSeeOther(f"/settings?saved={section}#{section}")


async def _apply(request: web.Request, session: AsyncSession, user: User, section: str,
                 values: dict[str, Any]) -> None:
    core = request.app[CORE_KEY]
    if section == "voice":
        await core.captions.update_voice(
            session, user, preferred_tone=values["tone"], emoji_budget=values["emoji_budget"],
            banned_words=tuple(values["banned_words"]), promo_link=values["promo_link"])
        await Onboarding(core.clock, core.events).update_profile(
            session, user, preferred_style=values["style"])
    elif section == "notifications":
        await notice_prefs.save(session, user.id, notice_prefs.NoticePrefs(**values),
                                core.clock.now())
    elif section == "content":
        if values["confirm_adult"]:  # the same record of it as the chat's "Yes"
            await core.users.confirm_adult(session, user)
            await Onboarding(core.clock, core.events).accept(session, user, ADULT, via="web")
        await core.users.set_nsfw(session, user, values["nsfw"])
    else:
        zone = values["timezone"]
        if zone != user.timezone or not await core.users.zone_chosen(session, user):
            await core.users.set_timezone(session, user, zone)  # scheduling stops asking
        await core.reddit.accounts.set_protect_level(session, user.id, values["protect_level"])


async def disconnect(request: web.Request) -> web.Response:
    try:
        user_id, _ = await _checked_form(request)
    except web.HTTPForbidden as refused:
        return await message(request, texts.CSRF_FAILED[0], refused.text or "", status=403)
    raw_id = request.match_info["account_id"]
    core = request.app[CORE_KEY]
    async with core.db.session() as session:
        account = await core.reddit.accounts.get(session, user_id, int(raw_id))
        if account is not None:  # someone else's id, or gone already: nothing to do
            await core.reddit.accounts.remove(session, account)
    raise web.HTTPSeeOther("/settings?saved=reddit#reddit")


def setup(app: web.Application) -> None:
    app.router.add_get("/settings", show)
    app.router.add_post("/settings/{section}", save)
    app.router.add_post(r"/settings/reddit/{account_id:\d{1,18}}/disconnect", disconnect)
