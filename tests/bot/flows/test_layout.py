"""Every keyboard fits the strictest transport (Discord: 5 rows of 5), long lists page.

The chat driver fails any test whose replies break the limits (tests/fakes/chat.py),
so every flow test checks layout; these specs cover the screens whose length comes
from outside (flairs, accounts, catalogues) and the checker itself.
"""

from __future__ import annotations

import pytest

from bot.conversation.replies import (
    DISCORD_LIMITS,
    Button,
    LayoutError,
    check_layout,
    fit_label,
    layout_problems,
    paginate,
)
from core.reddit.client import Credentials
from tests.fakes.chat import ChatDriver
from tests.fakes.reddit import make_jpeg

CALLBACK = Button("x", payload="p")


@pytest.fixture
def settings(make_settings, database_url, fake_reddit):
    return make_settings(database_url, reddit=fake_reddit.settings_section())


async def _adult_with_accounts(chat: ChatDriver, core, fake_reddit, names: list[str]) -> None:
    await chat.send("/start")
    await chat.press("NSFW")
    await chat.press("Yes, I confirm")
    async with core.db.session() as session:
        user = await core.users.find(session, "console", "alice")
        if len(names) > 1:
            user.tier = "premium"  # the free plan connects one Reddit account
        for name in names:
            creds = Credentials("refresh", refresh_token=fake_reddit.issue_refresh_token(name))
            await core.reddit.accounts.save(session, user.id, name, creds, auth_kind="token")


# -- the checker ----------------------------------------------------------------------
def test_the_old_seven_row_tone_picker_breaks_the_discord_limits():
    rows = [[CALLBACK, CALLBACK] for _ in range(7)]
    assert layout_problems(rows, DISCORD_LIMITS) == ["7 rows (at most 5)"]
    with pytest.raises(LayoutError):
        check_layout(rows, DISCORD_LIMITS)


def test_a_six_button_row_an_empty_row_and_a_long_label_are_each_named():
    rows = [[CALLBACK] * 6, [], [Button("y" * 81, payload="p")]]
    problems = layout_problems(rows, DISCORD_LIMITS)
    assert len(problems) == 3
    assert "row 1 has 6 buttons (at most 5)" in problems
    assert "row 2 is empty" in problems


def test_a_button_needs_exactly_one_of_payload_and_url():
    assert layout_problems([[Button("both", payload="p", url="https://x")]])
    assert layout_problems([[Button("neither")]])


def test_outside_text_is_shortened_to_fit_a_label():
    label = fit_label("Very long flair " * 20)
    assert len(label) == DISCORD_LIMITS.max_label
    assert label.endswith("…")
    assert fit_label("  Pic \n") == "Pic"


def test_pages_keep_a_row_for_prev_next_and_reach_every_item():
    items = list(range(13))
    pages = [paginate(items, n, room=5) for n in range(4)]
    assert [len(p.items) for p in pages] == [4, 4, 4, 1]
    assert [i for p in pages for i in p.items] == items
    assert (pages[0].has_prev, pages[0].has_next) == (False, True)
    assert (pages[3].has_prev, pages[3].has_next) == (True, False)


def test_a_list_that_fits_is_one_page_and_a_stale_page_number_is_clamped():
    assert paginate([1, 2, 3, 4, 5], 0, room=5).count == 1
    last = paginate(list(range(13)), 99, room=5)
    assert (last.number, last.items) == (3, (12,))


# -- flows with lists from outside -----------------------------------------------------
async def test_a_subreddit_with_thirty_flairs_pages_them_and_any_can_be_picked(
    chat, core, fake_reddit
):
    await _adult_with_accounts(chat, core, fake_reddit, ["alice"])
    flairs = [{"flair_template_id": f"f{n}", "flair_text": f"Flair {n:02d}"} for n in range(30)]
    fake_reddit.add_sub("ManyFlairs", requirements={"is_flair_required": True}, flairs=flairs)
    await chat.send("/post")
    await chat.upload(make_jpeg())
    await chat.send("Sunday vibes")
    await chat.send("r/ManyFlairs")
    reply = await chat.press("Done")
    assert "needs a flair" in reply.text
    shown = [b.label for b in await chat.every_page() if b.label.startswith("Flair")]
    assert shown == [f"Flair {n:02d}" for n in range(30)]
    reply = await chat.press("Flair 27")
    assert "Ready to post" in reply.text
    await chat.press("Post now")
    assert fake_reddit.posts[-1].data["flair_id"] == "f27"


async def test_eight_accounts_page_in_the_account_picker(chat, core, fake_reddit):
    names = [f"acct{n}" for n in range(8)]
    await _adult_with_accounts(chat, core, fake_reddit, names)
    fake_reddit.add_sub("pics")
    await chat.send("/post")
    await chat.send("https://example.com/page")
    await chat.send("Look at this")
    await chat.send("pics")
    await chat.press("Done")
    shown = [b.label for b in await chat.every_page()]
    assert shown == [f"u/{name}" for name in names]
    await chat.press("u/acct7")
    await chat.press("Post now")
    assert fake_reddit.posts[-1].author == "acct7"


async def test_eight_accounts_page_in_the_connect_list(chat, core, fake_reddit):
    names = [f"acct{n}" for n in range(8)]
    await _adult_with_accounts(chat, core, fake_reddit, names)
    await chat.send("/connect")
    await chat.press("connected")
    shown = {b.label for b in await chat.every_page()}
    offered = {f"Post as u/{name} by default" for name in names}
    assert len(offered - shown) <= 1  # every account but the default one
    assert any(label.startswith("Shield my photos") for label in shown)


async def test_every_tone_can_be_reached_and_picked_from_voice(chat):
    await chat.send("/voice")
    await chat.press("tone")
    tones = [b for b in await chat.every_page() if not b.label.startswith("ℹ️")]
    assert len(tones) == 7
    reply = await chat.press(tones[-1].label.removeprefix("✓ "))
    assert tones[-1].label.removeprefix("✓ ") in reply.text
