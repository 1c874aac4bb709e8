"""The notifications section in a real Chromium: push.js finds the service worker and
offers to turn notifications on for this device, with no script errors."""

from tests.browser.test_offline_queue import _signed_in_settings


async def test_the_page_offers_to_turn_notifications_on_for_this_device(site, phone, core):
    errors: list[str] = []
    phone.on("pageerror", lambda exc: errors.append(str(exc)))
    await _signed_in_settings(site, phone, core)
    await phone.get_by_text("Notifications are off for this device.").wait_for()
    assert await phone.get_by_role("button", name="Turn on notifications here").is_visible()
    assert await phone.get_by_role("button", name="Turn off notifications here").is_hidden()
    assert errors == []
