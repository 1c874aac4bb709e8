"""The installable app in a real Chromium: the worker serves the offline page, and
Chromium itself finds nothing stopping an install."""

import asyncio

from tests.fakes.web_signin import magic_link

CEILING = 60.0  # seconds: waiting for an event on a loaded machine


async def controlled_by_worker(page) -> None:
    """Until the service worker controls the page, as every page after the first visit
    is. A page whose navigation began before the worker was active is not a client its
    `clients.claim()` can reach (it did not exist yet), so it is reloaded, as a person's
    next visit would be. Polled with `evaluate`: Playwright's wait_for_function runs its
    string through eval inside the page, which our CSP (no 'unsafe-eval') refuses."""
    controlled = "navigator.serviceWorker.controller !== null"
    await page.evaluate("navigator.serviceWorker.ready")
    if not await page.evaluate(controlled):
        await page.reload()
    async with asyncio.timeout(CEILING):
        while not await page.evaluate(controlled):  # noqa: ASYNC110 - browser state
            await asyncio.sleep(0.05)


async def test_offline_pages_come_from_the_service_worker(site, phone, core):
    _, token, _ = await magic_link(core)
    await phone.goto(f"{site}/signin?t={token}")
    await phone.get_by_role("button", name="Continue as").click()
    await phone.wait_for_url(f"{site}/settings")
    await controlled_by_worker(phone)

    await phone.context.set_offline(True)
    await phone.goto(f"{site}/settings?again=1")
    await phone.get_by_role("heading", name="You're offline").wait_for()
    # The stylesheet came from the worker's cache, not the network.
    colour = await phone.evaluate(
        "getComputedStyle(document.querySelector('header.top')).borderBottomStyle")
    assert colour == "solid"


async def test_the_offline_indicator_shows_when_the_connection_drops(site, phone):
    await phone.goto(f"{site}/help")
    notice = phone.locator("#offline")
    assert await notice.is_hidden()
    await phone.context.set_offline(True)
    await notice.wait_for(state="visible")
    await phone.context.set_offline(False)
    await notice.wait_for(state="hidden")


async def test_chromium_finds_the_app_installable(site, profile_phone):
    phone = profile_phone
    await phone.goto(f"{site}/help")
    await controlled_by_worker(phone)
    cdp = await phone.context.new_cdp_session(phone)
    manifest = await cdp.send("Page.getAppManifest")
    assert manifest["errors"] == []
    assert manifest["url"].endswith("/manifest.webmanifest")
    result = await cdp.send("Page.getInstallabilityErrors")
    assert result["installabilityErrors"] == []


async def test_ctrl_k_jumps_to_help_search_and_filters_as_you_type(site, phone):
    await phone.goto(f"{site}/help")
    await phone.keyboard.press("Control+k")
    box = phone.get_by_label("Search help")
    assert await box.evaluate("el => el === document.activeElement")
    await phone.keyboard.type("lost phone")
    await phone.get_by_text("1 article", exact=True).wait_for()
    assert await phone.locator("[data-article]:visible").count() == 1
