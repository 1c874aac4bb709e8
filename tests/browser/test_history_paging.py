"""On a phone, "Show older captions" shows skeleton rows while the next 50 load, then
the older captions in their place."""

import asyncio

from core.users import Who
from tests.fakes.caption_history import seed_captions
from tests.fakes.web_signin import magic_link

CHAT_ALICE = Who("console", "alice", display_name="Alice")


async def test_older_captions_load_behind_skeleton_rows(site, phone, core, artifacts):
    user_id, token, _ = await magic_link(core, CHAT_ALICE)
    await seed_captions(core, user_id, 53)
    await phone.goto(f"{site}/signin?t={token}")
    await phone.get_by_role("button", name="Continue as").click()
    await phone.wait_for_url(f"{site}/settings")
    await phone.goto(f"{site}/history")
    await phone.get_by_text("Caption 53", exact=True).wait_for()

    held: asyncio.Queue = asyncio.Queue()
    await phone.route("**/history/captions?*", held.put_nowait)
    await phone.get_by_role("button", name="Show older captions").click()
    route = await asyncio.wait_for(held.get(), 60)
    skeletons = phone.locator("#captions li.skeleton")
    await skeletons.first.wait_for(state="visible")
    assert await skeletons.count() == 3
    await phone.get_by_text("Loading older captions…").wait_for(state="attached")
    await phone.screenshot(path=artifacts / "history-skeleton-390x844.png", full_page=True)

    await route.continue_()
    await phone.get_by_text("Caption 1", exact=True).wait_for()
    assert await skeletons.count() == 0
    await phone.get_by_role("button", name="Show older captions").wait_for(state="detached")


async def test_a_failed_load_says_so_and_can_be_retried(site, phone, core):
    user_id, token, _ = await magic_link(core, CHAT_ALICE)
    await seed_captions(core, user_id, 51)
    await phone.goto(f"{site}/signin?t={token}")
    await phone.get_by_role("button", name="Continue as").click()
    await phone.wait_for_url(f"{site}/settings")
    await phone.goto(f"{site}/history")

    await phone.route("**/history/captions?*", lambda route: route.abort())
    await phone.get_by_role("button", name="Show older captions").click()
    await phone.get_by_role("alert").get_by_text("Couldn't load older captions").wait_for()
    assert await phone.locator("#captions li.skeleton").count() == 0

    await phone.unroute("**/history/captions?*")
    await phone.get_by_role("button", name="Show older captions").click()
    await phone.get_by_text("Caption 1", exact=True).wait_for()
    assert await phone.get_by_role("alert").count() == 0
