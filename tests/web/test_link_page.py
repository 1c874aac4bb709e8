"""Linked accounts on the web: see what the account is made of, hand out a code for
/link in the other app, or take one from it, joining only after an explicit yes."""

import re
from datetime import timedelta

from sqlalchemy import func, select

from core.db.models import Identity, User
from core.users import Who
from tests.fakes.chat import ChatDriver
from tests.fakes.web_signin import csrf_token, page_text, sign_in

PAGE = "/account/link"
BOB = Who("discord", "9001", display_name="Bob", username="bob")
CODE = re.compile(r"\b[2-9A-Z]{4}-[2-9A-Z]{4}\b")


async def code_from_discord(core, who=BOB):
    """A code as /link in Discord hands it out (the same core service)."""
    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, who)
        return (await core.auth.linker.issue_code(session, user)).display


async def owners(core):
    async with core.db.read() as session:
        return {i.transport: i.user_id for i in await session.scalars(select(Identity))}


async def live_users(core):
    async with core.db.read() as session:
        return await session.scalar(select(func.count()).select_from(User)
                                    .where(User.deleted_at.is_(None)))


async def check(web, code):
    token = await csrf_token(web, PAGE)
    return await web.post(PAGE + "/check", data={"csrf_token": token, "code": code})


async def join(web, code, answer="yes"):
    token = await csrf_token(web, PAGE)
    return await web.post(PAGE + "/confirm", data={"csrf_token": token, "code": code,
                                                   "answer": answer})


async def test_the_page_needs_a_sign_in(web):
    resp = await web.get(PAGE, allow_redirects=False)
    assert resp.status == 303
    assert resp.headers["Location"].startswith("/signin?next=")


async def test_the_page_lists_this_accounts_identities(web, core):
    await sign_in(web, core)
    text = await page_text(await web.get(PAGE))
    assert "Telegram" in text
    assert "@alice" in text
    assert "signed in on 1 browser" in text
    assert "Not linked yet: Discord." in text


async def test_a_code_from_the_web_joins_a_chat_account_with_link(web, core, dispatcher):
    await sign_in(web, core)
    resp = await web.post(PAGE + "/code", data={"csrf_token": await csrf_token(web, PAGE)})
    assert resp.status == 200
    assert resp.headers["Cache-Control"] == "no-store"
    code = CODE.search(await page_text(resp))
    assert code is not None
    chat = ChatDriver(dispatcher, "alice-terminal")
    assert "alice on Telegram" in (await chat.send(f"/link {code.group(0)}")).text
    assert "one account" in (await chat.press("Yes, join")).text
    assert len(set((await owners(core)).values())) == 1
    assert "Terminal" in await page_text(await web.get(PAGE))


async def test_a_code_from_discord_shows_whom_it_joins_before_joining(web, core):
    await sign_in(web, core)
    code = await code_from_discord(core)
    resp = await check(web, code)
    assert resp.status == 200
    text = await page_text(resp)
    assert "This joins your account with @bob on Discord" in text
    ids = await owners(core)
    assert ids["discord"] != ids["telegram"]  # nothing joined yet


async def test_yes_joins_the_accounts_and_this_browser_stays_signed_in(web, core):
    code = await code_from_discord(core)  # Bob's account is the older: it survives
    await sign_in(web, core)
    resp = await join(web, code)
    assert resp.status == 200  # followed the redirect to the page, still signed in
    text = await page_text(resp)
    assert "It's one account now" in text
    assert "@bob" in text
    assert "@alice" in text
    ids = await owners(core)
    assert ids["discord"] == ids["telegram"]
    assert await live_users(core) == 1


async def test_no_changes_nothing_and_the_code_stays_usable(web, core):
    await sign_in(web, core)
    code = await code_from_discord(core)
    resp = await join(web, code, answer="no")
    assert "nothing changed" in await page_text(resp)
    assert await live_users(core) == 2
    assert "This joins your account" in await page_text(await check(web, code))


async def test_an_expired_code_gets_a_friendly_answer(web, core, clock):
    await sign_in(web, core)
    code = await code_from_discord(core)
    clock.advance(timedelta(minutes=core.settings.auth.link_code_minutes + 1))
    resp = await check(web, code)
    assert resp.status == 400
    assert "That code has expired. Send /link in the other app" in await page_text(resp)


async def test_a_used_code_gets_a_friendly_answer(web, core):
    await sign_in(web, core)
    code = await code_from_discord(core)
    await join(web, code)
    resp = await join(web, code)
    assert resp.status == 400
    assert "That code was already used" in await page_text(resp)


async def test_a_mistyped_code_is_refused_kindly_and_kept_in_the_box(web, core):
    await sign_in(web, core)
    resp = await check(web, "ABCD-EF")
    assert resp.status == 400
    text = await page_text(resp)
    assert "That isn't a code we know" in text
    assert 'value="ABCD-EF"' in text
    assert 'aria-invalid="true"' in text


async def test_your_own_code_joins_nothing(web, core):
    await sign_in(web, core)
    resp = await web.post(PAGE + "/code", data={"csrf_token": await csrf_token(web, PAGE)})
    code = CODE.search(await page_text(resp))
    assert code is not None
    assert "from this very account" in await page_text(await check(web, code.group(0)))


async def test_a_form_without_the_csrf_token_is_refused_and_uses_nothing(web, core):
    await sign_in(web, core)
    code = await code_from_discord(core)
    resp = await web.post(PAGE + "/confirm", data={"code": code, "answer": "yes"})
    assert resp.status == 403
    assert "This form has expired" in await page_text(resp)
    assert await live_users(core) == 2
    assert "This joins your account" in await page_text(await check(web, code))


async def test_a_code_cannot_be_asked_for_without_signing_in(web):
    resp = await web.post(PAGE + "/code", data={}, allow_redirects=False)
    assert resp.status == 401
