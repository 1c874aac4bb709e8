"""/ideas' core: best performers, their look-alikes and niche matches, checked against
each subreddit's live rules before the creator wastes a post."""

from __future__ import annotations

from datetime import UTC, datetime

from core.outcomes.ideas import IdeasService
from tests.fakes.outcomes import Outcome, record_outcomes
from tests.fakes.reddit_listings import seed_posts


def at(day: int) -> datetime:
    return datetime(2026, 11, day, 20, tzinfo=UTC)


async def does_well_in_selfie(core, user, account):
    await record_outcomes(core, user.id, account.id, [
        Outcome("selfie", at(20), 40), Outcome("selfie", at(21), 60)])


def subs(ideas):
    return [(i.subreddit, i.reason) for i in ideas]


async def test_best_performers_come_first_then_subreddits_like_them(
        core, user, account, fake_reddit):
    for name in ("selfie", "selfies", "amihot", "amiugly", "RoastMe"):
        fake_reddit.add_sub(name)
    await does_well_in_selfie(core, user, account)
    ideas = await IdeasService(core).ideas(user.id, nsfw_ok=False, niche=None)
    assert subs(ideas)[:3] == [("selfie", "best"), ("selfies", "similar"),
                               ("amihot", "similar")]
    best = ideas[0]
    assert (best.median, best.tone, best.style) == (50.0, "playful", "question")
    assert ideas[1].like == "selfie"


async def test_subreddits_the_creator_cannot_post_to_are_left_out(
        core, user, account, fake_reddit):
    fake_reddit.add_sub("selfie")
    fake_reddit.add_sub("selfies", about={"user_is_banned": True})
    fake_reddit.add_sub("amihot", about={"subreddit_type": "private"})
    fake_reddit.add_sub("amiugly")
    # RoastMe is not on the fake at all: "not found", also left out
    await does_well_in_selfie(core, user, account)
    ideas = await IdeasService(core).ideas(user.id, nsfw_ok=False, niche=None)
    assert subs(ideas) == [("selfie", "best"), ("amiugly", "similar")]


async def test_adult_subreddits_only_after_the_18_plus_confirmation(
        core, user, account, fake_reddit):
    fake_reddit.add_sub("curvy", about={"over18": True})
    service = IdeasService(core)
    assert await service.ideas(user.id, nsfw_ok=False, niche="curvy") == []
    ideas = await service.ideas(user.id, nsfw_ok=True, niche="curvy")
    assert ("curvy", "niche") in subs(ideas)


async def test_rules_worth_checking_first_are_marked(core, user, account, fake_reddit):
    fake_reddit.add_sub("cosplay", rules=[
        {"short_name": "Verified cosplayers only", "description": "Get verified first"},
        {"short_name": "Minimum karma 100", "description": "No new accounts"}])
    [idea] = await IdeasService(core).ideas(user.id, nsfw_ok=False, niche="cosplay")
    assert idea.marks == ("verification", "karma")


async def test_what_is_working_there_now_comes_from_the_hot_listing(
        core, user, account, fake_reddit):
    fake_reddit.add_sub("cosplay")
    seed_posts(fake_reddit, "cosplay", [(at(24).timestamp(), 1500), (at(23).timestamp(), 20)])
    [idea] = await IdeasService(core).ideas(user.id, nsfw_ok=False, niche="cosplay")
    assert (idea.trend_score, idea.trend) == (1500, "post 1")


async def test_the_niche_is_also_learned_from_caption_briefs(core, user):
    from core.captions import CaptionBrief

    async with core.db.session() as session:
        for _ in range(2):
            await core.captions.generate(session, user, CaptionBrief(
                "cosplay shoot at the convention", subreddit="cosplay"))
    assert "cosplay" in await IdeasService(core).niche_words(user.id, None)


async def test_a_hot_title_the_caption_gate_refuses_is_never_shown(
        core, user, account, fake_reddit):
    from tests.fakes.reddit import Post

    fake_reddit.add_sub("cosplay")
    for n, (title, score) in enumerate([("my #sexyteen cosplay", 3000),
                                        ("barely legal schoolgirl cosplay", 2000),
                                        ("witch cosplay at golden hour", 900)]):
        fake_reddit.posts.append(Post("self", "cosplay", title, "someone_else", f"hot{n}",
                                      {"_stats": {"score": score}},
                                      created_utc=at(24).timestamp() - n))
    [idea] = await IdeasService(core).ideas(user.id, nsfw_ok=True, niche="cosplay")
    assert (idea.trend_score, idea.trend) == (900, "witch cosplay at golden hour")
