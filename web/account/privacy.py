"""Your data: download everything we keep about you, or delete your account.

GET /account/data shows both; GET /account/data/export answers the JSON file
(core.privacy.export) as an attachment that is never cached; POST /account/delete
needs the form's CSRF token and the word DELETE typed in, then deletes the account
(core.privacy.deletion: the transaction first; Stripe's cancellation and Reddit's
revocation after it), ends this
browser's cookie (every session row is already revoked) and says when the data goes.
"""

from __future__ import annotations

from aiohttp import web

from core.privacy import export
from core.privacy.deletion import AccountDeletions
from core.texts import privacy as texts
from web.bodies import read_form
from web.current import VISIT_KEY, Visit, end_session, require_user_id, signed_in_reading
from web.keys import CORE_KEY
from web.render import form_refused, message, render

NO_STORE = {"Cache-Control": "no-store"}
VIA = "web"


async def show(request: web.Request, *, failed: str = "", status: int = 200) -> web.Response:
    core = request.app[CORE_KEY]
    async with signed_in_reading(request) as (user_id, session):
        renewing = await AccountDeletions(core).renewing_plan(session, user_id)
    days = core.settings.privacy.deletion_grace_days
    return await render(request, "your_data.html", status=status, page_title=texts.PAGE_TITLE,
                        texts=texts, delete_text=texts.PAGE_DELETE.format(days=days),
                        paid_note=texts.PAID_PLAN_NOTE if renewing else "",
                        failed=failed, headers=NO_STORE)


async def page(request: web.Request) -> web.Response:
    return await show(request)


async def download(request: web.Request) -> web.Response:
    core = request.app[CORE_KEY]
    now = core.clock.now()
    async with signed_in_reading(request) as (user_id, session):
        data = await export.export(session, user_id, now)
    return web.Response(body=export.to_json(data), content_type="application/json", headers={
        **NO_STORE,
        "Content-Disposition": f'attachment; filename="{export.filename(now)}"'})


async def delete(request: web.Request) -> web.Response:
    user_id = await require_user_id(request)
    form = await read_form(request)
    if (refused := await form_refused(request, form)) is not None:
        return refused
    if str(form.get("confirm", "")).strip().upper() != texts.CONFIRM_WORD:
        return await show(request, failed=texts.PAGE_NOT_CONFIRMED, status=400)
    core = request.app[CORE_KEY]
    deletions = AccountDeletions(core)
    async with core.db.session() as session:
        user = await core.users.get(session, user_id)
        if user is None:  # deleted meanwhile (another tab, the chat)
            raise web.HTTPSeeOther("/signin")
        deletion = await deletions.request(session, user, VIA)
    revocations = await deletions.finish(deletion)
    heading, text = texts.PAGE_DELETED
    when = deletion.purge_after
    text = text.format(date=f"{when.day} {when:%B %Y}")
    if revocations.failed:
        text = f"{text} {texts.REVOKE_FAILED}"
    if revocations.plans_failed:
        text = f"{text} {texts.PLAN_CANCEL_FAILED}"
    request[VISIT_KEY] = Visit(None, None)  # the page that says so is a signed-out one
    response = await message(request, heading, text, headers=NO_STORE)
    end_session(request, response)
    return response


def setup(app: web.Application) -> None:
    app.router.add_get("/account/data", page)
    app.router.add_get("/account/data/export", download)
    app.router.add_post("/account/delete", delete)
