"""The installable app in a real Chromium: the worker serves the offline page, and
Chromium itself finds nothing stopping an install."""

import asyncio

from tests.fakes.web_signin import magic_link

CEILING = 60.0  # seconds: waiting for an event on a loaded machine


async def controlled_by_worker(page) -> None:
    """Until the service worker controls the page. Polled with `evaluate`: Playwright's
    wait_for_function runs its string through eval inside the page, which our CSP (no
    'unsafe-eval') refuses whenever the page's policy applies to that evaluation."""
    await page.evaluate("navigator.serviceWorker.ready")
    async with asyncio.timeout(CEILING):
        while not await page.evaluate(  # noqa: ASYNC110 - the state is in the browser
                "navigator.serviceWorker.controller !== null"):
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
