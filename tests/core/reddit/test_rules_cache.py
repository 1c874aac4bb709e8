"""Where the rule check's rules come from: the starter set, Reddit, the cache, and what
happens while Reddit is having trouble."""

from __future__ import annotations

from datetime import timedelta

from core.reddit.subreddits import load_starter
from core.reddit.types import MediaItem, PostRequest


async def _rules(core, account, name):
    async with core.db.session() as session:
        return await core.reddit.rules_or_saved(session, name, await session.merge(account))


async def _saved(core, name):
    async with core.db.session() as session:
        return await core.reddit.subreddits.get(session, name)


def _selfie_on_reddit(fake_reddit):
    """r/selfie as Reddit has it today: stricter than the bundled starter entry."""
    assert load_starter()["selfie"].title_required_strings == ()
    return fake_reddit.add_sub("selfie", requirements={
        "title_required_strings": ["[F]"], "title_text_max_length": 120})


async def test_starter_subreddit_rules_are_refreshed_from_reddit_and_win(
        core, account, fake_reddit):
    _selfie_on_reddit(fake_reddit)
    rules, saved = await _rules(core, account, "selfie")
    assert not saved
    assert (rules.title_required_strings, rules.title_max) == (("[F]",), 120)
    assert (await _saved(core, "selfie")).title_required_strings == ("[F]",)


async def test_second_check_within_the_cache_ttl_does_not_fetch_again(
        core, account, fake_reddit):
    _selfie_on_reddit(fake_reddit)
    await _rules(core, account, "selfie")
    await _rules(core, account, "selfie")
    assert (fake_reddit.requests["about"], fake_reddit.requests["post_requirements"]) == (1, 1)


async def test_check_after_the_cache_ttl_fetches_again(core, account, fake_reddit, clock):
    sub = _selfie_on_reddit(fake_reddit)
    await _rules(core, account, "selfie")
    sub.requirements = {"title_required_strings": ["[M]"]}
    clock.advance(timedelta(hours=core.settings.reddit.rules_cache_hours + 1))
    rules, _ = await _rules(core, account, "selfie")
    assert fake_reddit.requests["about"] == 2
    assert rules.title_required_strings == ("[M]",)


async def test_rules_outage_falls_back_to_the_starter_set(core, account, fake_reddit):
    fake_reddit.add_sub("selfie")
    fake_reddit.outage = {"about"}
    rules, saved = await _rules(core, account, "selfie")
    assert saved
    assert rules == load_starter()["selfie"]


async def test_post_during_a_rules_outage_uses_saved_rules_and_goes_live(
        core, user, account, fake_reddit, jpeg):
    fake_reddit.add_sub("selfie")
    fake_reddit.outage = {"about"}
    request = PostRequest("selfie", "image", "Sunday vibes", images=(MediaItem(jpeg, "a.jpg"),))
    async with core.db.session() as session:
        outcome = await core.reddit.post(session, await session.merge(user),
                                         await session.merge(account), request)
    assert outcome.posted, outcome
    assert [p.subreddit for p in fake_reddit.posts] == ["selfie"]


async def _caption_titles(core, user, subreddit):
    from core.captions.types import CaptionBrief

    async with core.db.session() as session:
        batch = await core.captions.generate(
            session, await session.merge(user),
            CaptionBrief("red dress, rooftop at sunset", subreddit=subreddit, seed=3))
    return [o.title for o in batch.options]


async def test_captions_use_the_bundled_rules_until_reddit_was_asked(core, user):
    titles = await _caption_titles(core, user, "selfie")
    assert titles
    assert not any("[F]" in t for t in titles)


async def test_captions_use_the_rules_fetched_live_from_reddit(core, user, account, fake_reddit):
    _selfie_on_reddit(fake_reddit)
    await _rules(core, account, "selfie")
    titles = await _caption_titles(core, user, "r/Selfie")
    assert titles
    assert all("[F]" in t and len(t) <= 120 for t in titles)
    assert fake_reddit.requests["about"] == 1  # the caption itself never calls Reddit


async def test_the_subscriber_count_is_kept_for_the_engagement_score(core, account, fake_reddit):
    fake_reddit.add_sub("selfie", about={"subscribers": 2_300_000})
    await _rules(core, account, "selfie")
    assert (await _saved(core, "selfie")).subscribers == 2_300_000
