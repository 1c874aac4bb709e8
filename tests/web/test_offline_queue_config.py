"""The service worker's offline queue and push handlers, as the server hands them out."""

from __future__ import annotations

import json
import re

from tests.fakes.web_signin import page_text


async def _config(web) -> dict:
    source = await (await web.get("/sw.js")).text()
    match = re.search(r"var CONFIG = (\{.*?\});\n", source)
    assert match, "no CONFIG in sw.js"
    return json.loads(match.group(1))


async def test_the_saved_offline_page_is_precached_and_says_what_happens(web):
    config = await _config(web)
    assert config["saved"] in config["precache"]
    page = await page_text(await web.get(config["saved"]))
    assert "Saved offline: we'll send it when you're back online." in page


async def test_settings_and_queue_forms_are_the_ones_kept_offline(web):
    patterns = [re.compile(p) for p in (await _config(web))["queueable"]]
    kept = ["/settings/voice", "/settings/posting", "/settings/notifications",
            "/queue/12/cancel", "/queue/12/reschedule"]
    not_kept = ["/signin", "/signout/everywhere", "/settings/reddit/3/disconnect",
                "/push/subscribe"]
    assert all(any(p.search(path) for p in patterns) for path in kept)
    assert not any(p.search(path) for p in patterns for path in not_kept)


async def test_the_worker_shows_pushes_and_opens_the_queue_on_a_tap(web):
    source = await (await web.get("/sw.js")).text()
    assert 'addEventListener("push"' in source
    assert 'addEventListener("notificationclick"' in source
    assert (await _config(web))["open"] == "/queue"


async def test_the_replay_messages_come_from_the_catalogue(web):
    from core.texts import site as texts

    assert (await _config(web))["texts"] == texts.OFFLINE_QUEUE
