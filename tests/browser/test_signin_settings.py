"""A creator goes from the chat's magic link to a saved setting on a phone-sized screen,
and the chat sees it."""

from core.users import Who
from tests.fakes.web_signin import magic_link

CHAT_ALICE = Who("console", "alice", display_name="Alice")


async def no_horizontal_scroll(page) -> bool:
    return await page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth")


async def test_magic_link_then_a_setting_on_a_phone(site, phone, core, chat, artifacts):
    _, token, _ = await magic_link(core, CHAT_ALICE)
    await phone.goto(f"{site}/signin?t={token}")
    await phone.get_by_role("button", name="Continue as").click()
    await phone.wait_for_url(f"{site}/settings")
    assert await no_horizontal_scroll(phone)

    await phone.get_by_label("Words never to use").fill("cheap, daddy")
    await phone.get_by_label("Default tone").select_option("mysterious")
    await phone.get_by_role("button", name="Save captions").click()
    await phone.get_by_text("Saved. The chat uses this").wait_for()
    assert await no_horizontal_scroll(phone)
    await phone.screenshot(path=artifacts / "signin-settings-390x844.png", full_page=True)

    card = (await chat.send("/voice")).text
    assert "cheap, daddy" in card
    assert "Mysterious" in card


async def test_a_used_link_shows_a_friendly_page_in_the_browser(site, phone, core):
    _, token, _ = await magic_link(core, CHAT_ALICE)
    await phone.goto(f"{site}/signin?t={token}")
    await phone.get_by_role("button", name="Continue as").click()
    await phone.wait_for_url(f"{site}/settings")
    await phone.goto(f"{site}/signin?t={token}")
    await phone.get_by_role("heading", name="This link was already used").wait_for()
