"""A submit whose answer is lost (a 5xx from Reddit's edge) is looked for among the
account's newest posts before anything is said: found, it is the post; not there,
Reddit was unavailable. An older post of the same title in the same subreddit that we
already recorded as ours (say a moderator removed it and the creator posts again within
minutes) is not this attempt landing. The real asyncpraw against the fake Reddit."""

from __future__ import annotations

from core.reddit.types import PostRequest


async def _posted_once(core, user, account, fake_reddit) -> str:
    """An earlier post of the title to r/pics, recorded as ours; the title."""
    fake_reddit.add_sub("pics")
    title = "Sunday vibes"
    async with core.db.session() as session:
        first = await core.reddit.post(session, await session.merge(user),
                                       await session.merge(account),
                                       PostRequest("pics", "text", title, body="one"),
                                       confirm_warnings=True)
    assert first.posted
    return title


async def test_a_lost_answer_is_not_matched_to_an_earlier_recorded_post_of_the_same_title(
        core, user, account, fake_reddit):
    title = await _posted_once(core, user, account, fake_reddit)
    [earlier] = fake_reddit.posts  # removed by a moderator since; the creator tries again

    fake_reddit.outage_next["submit"] = 1  # a 503: this try made nothing
    async with core.db.session() as session:
        again = await core.reddit.submit(session, await session.merge(account),
                                         PostRequest("pics", "text", title, body="two"))

    assert fake_reddit.posts == [earlier]
    assert (again.ok, again.reddit_id) == (False, None)
    assert again.error == "reddit_unavailable"


async def test_a_lost_answer_whose_post_landed_is_still_found(core, user, account, fake_reddit):
    title = await _posted_once(core, user, account, fake_reddit)

    fake_reddit.lose_reply.add("submit")  # Reddit makes the post; its answer is lost
    async with core.db.session() as session:
        again = await core.reddit.submit(session, await session.merge(account),
                                         PostRequest("pics", "text", title, body="two"))

    [_, landed] = fake_reddit.posts
    assert (again.ok, again.reddit_id) == (True, landed.id)
