"""Changes made offline are kept by the service worker and saved when the phone is back
online; a session that ended meanwhile gets a clear message instead."""

from tests.browser.test_pwa_browser import controlled_by_worker
from tests.fakes.web_signin import magic_link


async def _signed_in_settings(site, phone, core) -> int:
    user_id, token, _ = await magic_link(core)
    await phone.goto(f"{site}/signin?t={token}")
    await phone.get_by_role("button", name="Continue as").click()
    await phone.wait_for_url(f"{site}/settings")
    await controlled_by_worker(phone)
    return user_id


async def _zone(core, user_id: int) -> str:
    async with core.db.read() as session:
        return (await core.users.get(session, user_id)).timezone


async def _save_zone_offline(phone, zone: str) -> None:
    await phone.context.set_offline(True)
    await phone.get_by_label("Time zone").fill(zone)
    await phone.get_by_role("button", name="Save posting").click()
    await phone.get_by_role("heading", name="Saved offline").wait_for()
    await phone.get_by_text("we'll send it when you're back online").wait_for()


async def test_a_setting_saved_offline_is_sent_when_back_online(site, phone, core):
    user_id = await _signed_in_settings(site, phone, core)
    await _save_zone_offline(phone, "Europe/Paris")
    assert await _zone(core, user_id) == "UTC"  # nothing reached the server yet

    await phone.context.set_offline(False)
    await phone.get_by_text("the change you made offline is saved").wait_for()
    assert await _zone(core, user_id) == "Europe/Paris"


async def test_a_change_kept_offline_after_signing_out_everywhere_says_so(site, phone, core):
    user_id = await _signed_in_settings(site, phone, core)
    await _save_zone_offline(phone, "Asia/Tokyo")
    async with core.db.session() as session:
        await core.auth.sessions.revoke_all(session, user_id)

    await phone.context.set_offline(False)
    await phone.get_by_text("because you were signed out").wait_for()
    assert await _zone(core, user_id) == "UTC"


async def test_a_change_kept_offline_under_an_old_session_says_the_page_expired(site, phone,
                                                                                core):
    """Signed in again meanwhile (a new session): the kept form's token was the old
    session's, so the server refuses it and the page says what to do."""
    user_id = await _signed_in_settings(site, phone, core)
    await _save_zone_offline(phone, "America/Lima")
    async with core.db.session() as session:
        await core.auth.sessions.revoke_all(session, user_id)
        user = await core.users.get(session, user_id)
        fresh = await core.auth.sessions.create(session, user, via="web")
    await phone.context.add_cookies([{"name": "tp_session", "value": fresh.token,
                                      "url": site}])

    await phone.context.set_offline(False)
    await phone.get_by_text("the page had expired").wait_for()
    assert await _zone(core, user_id) == "UTC"
