"""A notice is written once per route the creator wants it on: the chat unless they
turned it off, push when they want it and a browser is subscribed."""

from __future__ import annotations

from sqlalchemy import select

from core.posting.models import OutboxMessage
from core.posting.outbox import notify
from core.push import prefs
from tests.core.push.conftest import subscribed


async def _rows(core) -> list[tuple[str, str]]:
    async with core.db.read() as session:
        rows = await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        return [(r.route, r.event_key) for r in rows]


async def _notify(core, user, kind: str, key: str) -> None:
    async with core.db.session() as session:
        await notify(session, core.clock.now(), user.id, kind, key, subreddit="pics")


async def _choose(core, user, topic: str, route: str, on: bool) -> None:
    async with core.db.session() as session:
        current = await prefs.load(session, user.id)
        await prefs.save(session, user.id, current.with_choice(topic, route, on),
                         core.clock.now())


async def test_without_a_subscribed_browser_a_notice_goes_to_the_chat_only(core, user):
    await _notify(core, user, "post_live", "target:1:posted")
    assert await _rows(core) == [("chat", "target:1:posted")]


async def test_with_a_subscribed_browser_it_goes_to_both(core, user, fake_push):
    await subscribed(core, user, fake_push)
    await _notify(core, user, "post_failed", "target:1:failed:1")
    assert await _rows(core) == [("chat", "target:1:failed:1"),
                                 ("push", "target:1:failed:1#push")]


async def test_the_same_event_twice_is_still_one_row_per_route(core, user, fake_push):
    await subscribed(core, user, fake_push)
    for _ in range(2):
        await _notify(core, user, "post_live", "target:2:posted")
    assert len(await _rows(core)) == 2


async def test_push_turned_off_for_posted_leaves_only_the_chat(core, user, fake_push):
    await subscribed(core, user, fake_push)
    await _choose(core, user, "posted", prefs.PUSH, False)
    await _notify(core, user, "post_live", "target:3:posted")
    assert await _rows(core) == [("chat", "target:3:posted")]


async def test_chat_turned_off_for_failed_leaves_only_push(core, user, fake_push):
    await subscribed(core, user, fake_push)
    await _choose(core, user, "failed", prefs.CHAT, False)
    await _notify(core, user, "post_failed", "target:4:failed:1")
    assert await _rows(core) == [("push", "target:4:failed:1#push")]


async def test_notices_that_ask_the_creator_to_act_always_go_to_the_chat(core, user,
                                                                         fake_push):
    await subscribed(core, user, fake_push)
    await _choose(core, user, "failed", prefs.CHAT, False)
    await _notify(core, user, "post_paused", "pause:1:1")
    assert await _rows(core) == [("chat", "pause:1:1")]
