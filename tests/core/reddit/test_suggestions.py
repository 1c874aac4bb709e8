"""Subreddit suggestions from the bundled starter set, for every flow that offers them."""

from __future__ import annotations

from core.reddit.subreddits import SubredditDirectory, load_starter
from core.settings import RedditSettings
from tests.fakes.clock import FakeClock

ADULT = {r.name for r in load_starter().values() if r.over18}


def _directory() -> SubredditDirectory:
    return SubredditDirectory(RedditSettings(), FakeClock())


def test_without_nsfw_only_sfw_subreddits_are_suggested():
    names = _directory().suggest(nsfw=False, limit=100)
    assert names
    assert not ADULT & set(names)


def test_with_nsfw_adult_subreddits_come_first():
    names = _directory().suggest(nsfw=True, limit=100)
    assert set(names[:len(ADULT)]) == ADULT
    assert len(names) > len(ADULT)


def test_excluded_names_are_left_out_whatever_their_spelling():
    names = _directory().suggest(nsfw=False, exclude=["r/PICS", "selfie"], limit=100)
    assert {"pics", "selfie"}.isdisjoint(n.lower() for n in names)


def test_limit_caps_the_suggestions():
    assert len(_directory().suggest(nsfw=True, limit=3)) == 3
