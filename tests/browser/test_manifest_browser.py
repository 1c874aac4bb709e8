"""The manifest as Chromium itself reads it: what installing needs (name, display, id,
icons 192 and 512, maskable ones too), and a start_url inside the scope that opens
signed in under the service worker, offline too. (`test_pwa_browser` checks Chromium's
installability verdict on a page; `tests/web/test_pwa.py` the manifest's JSON and the
icon files.)"""

import json

from tests.browser.test_pwa_browser import controlled_by_worker
from tests.fakes.web_signin import magic_link


async def chromiums_manifest(page):
    cdp = await page.context.new_cdp_session(page)
    found = await cdp.send("Page.getAppManifest")
    assert found["errors"] == []
    return found["manifest"], json.loads(found["data"])


async def test_chromium_reads_a_complete_manifest(site, profile_phone):
    phone = profile_phone
    await phone.goto(f"{site}/help")
    await controlled_by_worker(phone)
    parsed, raw = await chromiums_manifest(phone)
    assert parsed["name"] == "ThottoPilot"
    assert parsed["display"] == "kStandalone"
    assert parsed["id"] == f"{site}/"
    assert parsed["themeColor"].startswith("rgba(")
    assert {i["sizes"] for i in parsed["icons"]} >= {"192x192", "512x512"}
    maskable = {i["sizes"] for i in raw["icons"] if "maskable" in i["purpose"].split()}
    assert maskable == {"192x192", "512x512"}


async def test_the_start_url_is_in_scope_and_opens_under_the_worker(site, profile_phone, core):
    phone = profile_phone
    _, token, _ = await magic_link(core)
    await phone.goto(f"{site}/signin?t={token}")
    await phone.get_by_role("button", name="Continue as").click()
    await phone.wait_for_url(f"{site}/settings")
    await controlled_by_worker(phone)
    parsed, _ = await chromiums_manifest(phone)
    assert parsed["startUrl"].startswith(parsed["scope"])

    await phone.goto(parsed["startUrl"])
    assert phone.url == parsed["startUrl"]  # signed in: no detour to the sign-in page
    await controlled_by_worker(phone)
    cdp = await phone.context.new_cdp_session(phone)
    assert (await cdp.send("Page.getInstallabilityErrors"))["installabilityErrors"] == []

    await phone.context.set_offline(True)
    await phone.goto(parsed["startUrl"] + "&offline=1")
    await phone.get_by_role("heading", name="You're offline").wait_for()

